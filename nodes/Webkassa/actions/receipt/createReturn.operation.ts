import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { receiptProperties } from './fields';
import { createReceipt } from './receipt';

export const description = updateDisplayOptions(
	{ show: { resource: ['receipt'], operation: ['createReturn'] } },
	receiptProperties('return'),
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await createReceipt(this, itemIndex, 'return');
}

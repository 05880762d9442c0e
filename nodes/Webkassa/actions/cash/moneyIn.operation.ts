import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { moneyOperation, moneyProperties } from './money';

export const description = updateDisplayOptions(
	{ show: { resource: ['cash'], operation: ['moneyIn'] } },
	moneyProperties('in'),
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await moneyOperation(this, itemIndex, 'in');
}

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { listCashboxes } from '../../transport/cashboxes';
import { listControls } from '../common.descriptions';

const properties: INodeProperties[] = [...listControls('cashbox', 'getMany')];

export const description = updateDisplayOptions(
	{ show: { resource: ['cashbox'], operation: ['getMany'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const cashboxes = await listCashboxes(this, itemIndex);
	const limit = returnAll
		? cashboxes.length
		: (this.getNodeParameter('limit', itemIndex, 50) as number);
	return cashboxes.slice(0, limit);
}

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { amoRequest } from '../../transport';
import type { AmoList } from '../../transport/types';
import { dealIdField, requiredId } from '../common.descriptions';
import { catalogField, readCatalog } from './common';

const properties: INodeProperties[] = [
	dealIdField,
	catalogField,
	{ displayName: 'Product ID', name: 'productId', type: 'string', default: '', required: true },
	{
		displayName: 'Quantity',
		name: 'quantity',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 1,
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['product'], operation: ['link'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const dealId = requiredId(this, 'dealId', 'Deal ID', itemIndex);
	const productId = requiredId(this, 'productId', 'Product ID', itemIndex);
	const quantity = Number(this.getNodeParameter('quantity', itemIndex, 1));
	if (!Number.isInteger(quantity) || quantity < 1) {
		throw new NodeOperationError(this.getNode(), 'Quantity must be a whole number of at least 1', {
			itemIndex,
		});
	}
	const catalogId = await readCatalog(this, itemIndex);
	const response = await amoRequest<AmoList<'links', IDataObject>>(
		this,
		{
			method: 'POST',
			path: `/api/v4/leads/${dealId}/link`,
			body: [
				{
					to_entity_id: productId,
					to_entity_type: 'catalog_elements',
					metadata: { catalog_id: catalogId, quantity },
				},
			],
			idempotent: true,
		},
		{ itemIndex },
	);
	return response?._embedded?.links?.[0] ?? { dealId, productId, quantity };
}

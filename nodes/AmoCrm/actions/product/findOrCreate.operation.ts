import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { createProducts, findProductBySku } from '../../helpers/products';
import { catalogField, readCatalog } from './common';

const properties: INodeProperties[] = [
	catalogField,
	{ displayName: 'SKU', name: 'sku', type: 'string', default: '', required: true },
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		description: 'Used when the product is created; the SKU when empty',
	},
	{
		displayName: 'Price',
		name: 'price',
		type: 'number',
		default: 0,
		description: 'Used when the product is created',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['product'], operation: ['findOrCreate'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const sku = String(this.getNodeParameter('sku', itemIndex)).trim();
	if (!sku) throw new NodeOperationError(this.getNode(), 'SKU is empty', { itemIndex });
	const catalogId = await readCatalog(this, itemIndex);
	const existing = await findProductBySku(this, catalogId, sku, { itemIndex });
	if (existing) return { ...existing, created: false } as IDataObject;
	const name = String(this.getNodeParameter('name', itemIndex, '')).trim();
	const price = this.getNodeParameter('price', itemIndex, 0) as number;
	const ids = await createProducts(this, catalogId, [{ sku, name, price }], { itemIndex });
	return { id: ids.get(sku), catalog_id: catalogId, sku, created: true };
}

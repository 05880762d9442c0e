import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { idOf } from '../../helpers/fields';
import { productsCatalogId } from '../../helpers/products';

export const catalogField: INodeProperties = {
	displayName: 'Catalog Name or ID',
	name: 'catalogId',
	type: 'options',
	typeOptions: { loadOptionsMethod: 'getCatalogs' },
	default: '',
	description:
		'The list that holds products; empty means the account’s Products list. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};

export async function readCatalog(context: IExecuteFunctions, itemIndex: number): Promise<number> {
	return (
		idOf(context.getNodeParameter('catalogId', itemIndex, '')) ??
		(await productsCatalogId(context, { itemIndex }))
	);
}

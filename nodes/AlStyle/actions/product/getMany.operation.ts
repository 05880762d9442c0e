import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { getProductPage, type ListFilters } from '../../transport';
import { normaliseElement } from '../../transport/normalise';
import { ALSTYLE_PAGE_LIMIT } from '../../transport/types';
import { additionalFieldsField } from '../common.descriptions';
import { returnAllOrLimit } from '../../../shared/descriptions';

const properties: INodeProperties[] = [
	...returnAllOrLimit,
	{
		displayName:
			'Pages of 250 are requested one by one at the credential’s minimum interval (about 2.5 minutes for 7,000 products at 5 s)',
		name: 'pacingNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { returnAll: [true] } },
	},
	additionalFieldsField,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Brand ID',
				name: 'brand',
				type: 'string',
				default: '',
				description: 'Brand GUID, as Brands → Get Many returns it',
			},
			{
				displayName: 'Category Names or IDs',
				name: 'category',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getCategories' },
				default: [],
				description:
					'Products of these categories only. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'In Stock Only',
				name: 'inStockOnly',
				type: 'boolean',
				default: false,
				description: 'Whether to leave out products with no stock',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['product'], operation: ['getMany'] } },
	properties,
);

/**
 * The chosen categories as Al-Style's comma-separated list. An expression may give an array of
 * IDs or a text such as "3472, 3638" (what this field took before it listed the categories).
 */
function categoryIds(value: unknown): string {
	const ids = Array.isArray(value) ? value : String(value ?? '').split(',');
	return ids
		.map((id) => String(id).trim())
		.filter(Boolean)
		.join(',');
}

export function readFilters(context: IExecuteFunctions, itemIndex: number): ListFilters {
	const filters = context.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	return {
		category: categoryIds(filters.category),
		brand: String(filters.brand ?? '').trim(),
		inStockOnly: filters.inStockOnly === true,
	};
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const wanted = returnAll
		? Number.POSITIVE_INFINITY
		: (this.getNodeParameter('limit', itemIndex, 50) as number);
	const filters = {
		...readFilters(this, itemIndex),
		additionalFields: this.getNodeParameter('additionalFields', itemIndex, []) as string[],
	};
	const out: IDataObject[] = [];
	for (let offset = 0; out.length < wanted; ) {
		const limit = Math.min(ALSTYLE_PAGE_LIMIT, wanted - out.length);
		const page = await getProductPage(this, filters, limit, offset, itemIndex);
		for (const element of page.elements)
			if (out.length < wanted) out.push(normaliseElement(element));
		offset += page.elements.length;
		const { currentPage, totalPages, totalCount } = page.pagination;
		if (!page.elements.length || currentPage >= totalPages || offset >= totalCount) break;
	}
	return out;
}

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { batches, getCategories, getProductPage, type ListFilters } from '../../transport';
import { leafCategoryIds, normaliseElement } from '../../helpers/normalise';
import { ALSTYLE_CATEGORY_CHUNK, ALSTYLE_PAGE_LIMIT } from '../../transport/types';
import {
	additionalFieldsField,
	otherAdditionalFieldsField,
	placeholderPriceField,
	readAdditionalFields,
	readPlaceholderPrice,
} from '../common.descriptions';
import { returnAllOrLimit } from '../../../shared/descriptions';

const properties: INodeProperties[] = [
	...returnAllOrLimit,
	{
		displayName:
			'Pages of 250 are requested one by one at the credential’s minimum interval: about 1 minute per 2,500 products at 5 s. The whole catalogue, sold-out items included, can take 5 minutes or more.',
		name: 'pacingNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { returnAll: [true] } },
	},
	additionalFieldsField,
	otherAdditionalFieldsField,
	placeholderPriceField,
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
					'Products of these categories and the categories inside them. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
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
 * The chosen category IDs. An expression may give an array of IDs or a text such as "3472, 3638"
 * (what this field took before it listed the categories).
 */
function categoryIds(value: unknown): string[] {
	const ids = Array.isArray(value) ? value : String(value ?? '').split(',');
	return ids.map((id) => String(id).trim()).filter(Boolean);
}

function readFilters(context: IExecuteFunctions, itemIndex: number): ListFilters {
	const filters = context.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	return {
		categories: categoryIds(filters.category),
		brand: String(filters.brand ?? '').trim(),
		inStockOnly: filters.inStockOnly === true,
	};
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const wanted = returnAll
		? Number.POSITIVE_INFINITY
		: (this.getNodeParameter('limit', itemIndex, 50) as number);
	const filters: ListFilters = {
		...readFilters(this, itemIndex),
		additionalFields: readAdditionalFields(this, itemIndex),
	};
	const placeholderFrom = readPlaceholderPrice(this, itemIndex);
	// Chosen categories become their leaves, at most 80 per call (docs/services/alstyle.md, "Categories").
	const chunks = filters.categories?.length
		? batches(
				leafCategoryIds(filters.categories, await getCategories(this, itemIndex)),
				ALSTYLE_CATEGORY_CHUNK,
			)
		: [undefined];
	const out: IDataObject[] = [];
	// A server that does include subtrees could still list a product under two chunks: keep it once.
	const seen = new Set<string>();
	for (const categories of chunks) {
		for (let offset = 0; out.length < wanted; ) {
			const limit = Math.min(ALSTYLE_PAGE_LIMIT, wanted - out.length);
			const page = await getProductPage(this, { ...filters, categories }, limit, offset, itemIndex);
			for (const element of page.elements) {
				if (out.length >= wanted || seen.has(String(element.article))) continue;
				seen.add(String(element.article));
				out.push(normaliseElement(element, placeholderFrom));
			}
			offset += page.elements.length;
			const { currentPage, totalPages, totalCount } = page.pagination;
			if (!page.elements.length || currentPage >= totalPages || offset >= totalCount) break;
		}
	}
	return out;
}

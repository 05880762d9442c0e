import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { getStockAndPrices } from '../../transport';
import { normaliseStockPrice } from '../../helpers/normalise';
import {
	articlesField,
	placeholderPriceField,
	readArticles,
	readPlaceholderPrice,
} from '../common.descriptions';

const properties: INodeProperties[] = [
	{
		...articlesField,
		required: false,
		description:
			'Leave empty for the whole catalogue in a single call, the cheap way to refresh stock and prices',
	},
	{
		displayName: 'In Stock Only',
		name: 'inStockOnly',
		type: 'boolean',
		default: false,
		description:
			'Whether to leave out products with no stock. Keep it off for a price list, so sold-out items turn unavailable instead of vanishing.',
	},
	placeholderPriceField,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['product'], operation: ['getStockAndPrices'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const articles = readArticles(this, itemIndex, false);
	const inStockOnly = this.getNodeParameter('inStockOnly', itemIndex, false) as boolean;
	const placeholderFrom = readPlaceholderPrice(this, itemIndex);
	const prices = await getStockAndPrices(this, articles, { inStockOnly }, itemIndex);
	return Object.entries(prices).map(([article, entry]) =>
		normaliseStockPrice(article, entry, placeholderFrom),
	);
}

import type { INodeProperties } from 'n8n-workflow';

import * as getByArticles from './getByArticles.operation';
import * as getImages from './getImages.operation';
import * as getMany from './getMany.operation';
import * as getProperties from './getProperties.operation';
import * as getStockAndPrices from './getStockAndPrices.operation';

export { getByArticles, getImages, getMany, getProperties, getStockAndPrices };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['product'] } },
		options: [
			{
				name: 'Get by Articles',
				value: 'getByArticles',
				description: 'Get products by article number, in batches of 50',
				action: 'Get products by articles',
			},
			{
				name: 'Get Images',
				value: 'getImages',
				description: 'Get the image URLs of products',
				action: 'Get product images',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List products by category and brand, page by page',
				action: 'Get many products',
			},
			{
				name: 'Get Properties',
				value: 'getProperties',
				description: 'Get the property lists of products',
				action: 'Get product properties',
			},
			{
				name: 'Get Stock & Prices',
				value: 'getStockAndPrices',
				description: 'Get stock and prices, for the whole catalogue in one call',
				action: 'Get stock and prices',
			},
		],
		default: 'getMany',
	},
	...getMany.description,
	...getByArticles.description,
	...getStockAndPrices.description,
	...getProperties.description,
	...getImages.description,
];

import type { INodeProperties } from 'n8n-workflow';

import * as findOrCreate from './findOrCreate.operation';
import * as link from './link.operation';

export { findOrCreate, link };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['product'] } },
		options: [
			{
				name: 'Find or Create by SKU',
				value: 'findOrCreate',
				description: 'Return the catalog element with this SKU, creating it when there is none',
				action: 'Find or create a product by SKU',
			},
			{
				name: 'Link to Deal',
				value: 'link',
				description: 'Attach a product to a deal with a quantity',
				action: 'Link a product to a deal',
			},
		],
		default: 'findOrCreate',
	},
	...findOrCreate.description,
	...link.description,
];

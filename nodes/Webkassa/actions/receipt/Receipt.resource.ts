import type { INodeProperties } from 'n8n-workflow';

import * as createReturn from './createReturn.operation';
import * as createSale from './createSale.operation';
import * as get from './get.operation';

export { createReturn, createSale, get };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['receipt'] } },
		options: [
			{
				name: 'Create Return',
				value: 'createReturn',
				description: 'Make a fiscal return receipt for an earlier sale',
				action: 'Create a return receipt',
			},
			{
				name: 'Create Sale',
				value: 'createSale',
				description:
					'Make a fiscal sale receipt; a retry with the same external number never makes a second one',
				action: 'Create a sale receipt',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Find a receipt by its external number or its fiscal number',
				action: 'Get a receipt',
			},
		],
		default: 'createSale',
	},
	...createSale.description,
	...createReturn.description,
	...get.description,
];

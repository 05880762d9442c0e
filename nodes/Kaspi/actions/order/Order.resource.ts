import type { INodeProperties } from 'n8n-workflow';

import * as accept from './accept.operation';
import * as get from './get.operation';
import * as getEntries from './getEntries.operation';
import * as getMany from './getMany.operation';

export { accept, get, getEntries, getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['order'] } },
		options: [
			{
				name: 'Accept',
				value: 'accept',
				description: 'Accept a new order (status APPROVED_BY_BANK → ACCEPTED_BY_MERCHANT)',
				action: 'Accept an order',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get one order by its code or ID, with its entries',
				action: 'Get an order',
			},
			{
				name: 'Get Entries',
				value: 'getEntries',
				description: 'Get the lines of an order: SKU, name, quantity and prices',
				action: 'Get the entries of an order',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List orders by creation date, state and status, across any range of dates',
				action: 'Get many orders',
			},
		],
		default: 'getMany',
	},
	...get.description,
	...getMany.description,
	...getEntries.description,
	...accept.description,
];

import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as searchByCode from './searchByCode.operation';
import * as syncOrders from './syncOrders.operation';
import * as update from './update.operation';

export { create, get, getMany, searchByCode, syncOrders, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['deal'] } },
		options: [
			{ name: 'Create', value: 'create', description: 'Create a deal', action: 'Create a deal' },
			{ name: 'Get', value: 'get', description: 'Get a deal by ID', action: 'Get a deal' },
			{ name: 'Get Many', value: 'getMany', description: 'List deals', action: 'Get many deals' },
			{
				name: 'Search by Order Code',
				value: 'searchByCode',
				description: 'Find the deals whose order-code field holds this code',
				action: 'Search deals by order code',
			},
			{
				name: 'Sync Orders',
				value: 'syncOrders',
				description: 'Create or update one deal per Kaspi order, in batches',
				action: 'Sync kaspi orders to deals',
			},
			{ name: 'Update', value: 'update', description: 'Update a deal', action: 'Update a deal' },
		],
		default: 'syncOrders',
	},
	...create.description,
	...update.description,
	...get.description,
	...getMany.description,
	...searchByCode.description,
	...syncOrders.description,
];

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
			{
				name: 'Get',
				value: 'get',
				description: 'Get a deal by its amoCRM ID',
				action: 'Get a deal',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description:
					'List deals, optionally filtered by full-text search, pipeline, stage, and creation or update time',
				action: 'Get many deals',
			},
			{
				name: 'Search by Order Code',
				value: 'searchByCode',
				description:
					'Find the deal of a Kaspi order: the deals whose order-code field holds exactly this code, each with found: true and its ID, or one item with found: false',
				action: 'Find deals by kaspi order code',
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

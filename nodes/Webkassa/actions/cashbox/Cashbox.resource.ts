import type { INodeProperties } from 'n8n-workflow';

import * as getMany from './getMany.operation';

export { getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['cashbox'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List the cashboxes the cashier can use, with their status',
				action: 'Get many cashboxes',
			},
		],
		default: 'getMany',
	},
	...getMany.description,
];

import type { INodeProperties } from 'n8n-workflow';

import * as getMany from './getMany.operation';

export { getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['brand'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List all brands with their IDs and product counts',
				action: 'Get many brands',
			},
		],
		default: 'getMany',
	},
	...getMany.description,
];

import type { INodeProperties } from 'n8n-workflow';

import * as getMany from './getMany.operation';

export { getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['category'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List all categories with their parent and path',
				action: 'Get many categories',
			},
		],
		default: 'getMany',
	},
	...getMany.description,
];

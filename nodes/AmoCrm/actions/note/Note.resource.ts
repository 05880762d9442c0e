import type { INodeProperties } from 'n8n-workflow';

import * as add from './add.operation';

export { add };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['note'] } },
		options: [
			{
				name: 'Add to Deal',
				value: 'add',
				description: 'Add a text note to a deal',
				action: 'Add a note to a deal',
			},
		],
		default: 'add',
	},
	...add.description,
];

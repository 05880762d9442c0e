import type { INodeProperties } from 'n8n-workflow';

import * as build from './build.operation';
import * as validate from './validate.operation';

export { build, validate };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['priceList'] } },
		options: [
			{
				name: 'Build',
				value: 'build',
				description: 'Turn all input items into one Kaspi XML price list (binary file)',
				action: 'Build a price list',
			},
			{
				name: 'Validate',
				value: 'validate',
				description: 'Check an XML file against the Kaspi price-list schema, offline',
				action: 'Validate a price list',
			},
		],
		default: 'build',
	},
	...build.description,
	...validate.description,
];

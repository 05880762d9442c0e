import type { INodeProperties } from 'n8n-workflow';

import * as moneyIn from './moneyIn.operation';
import * as moneyOut from './moneyOut.operation';

export { moneyIn, moneyOut };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['cash'] } },
		options: [
			{
				name: 'Money In',
				value: 'moneyIn',
				description: 'Book cash put into the drawer (внесение)',
				action: 'Put cash into the drawer',
			},
			{
				name: 'Money Out',
				value: 'moneyOut',
				description: 'Book cash taken from the drawer (изъятие)',
				action: 'Take cash from the drawer',
			},
		],
		default: 'moneyIn',
	},
	...moneyIn.description,
	...moneyOut.description,
];

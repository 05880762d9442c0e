import type { INodeProperties } from 'n8n-workflow';

import * as renewToken from './renewToken.operation';

export { renewToken };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['session'] } },
		options: [
			{
				name: 'Renew Token',
				value: 'renewToken',
				description:
					'Log the cashier in again and check the new token with a cheap call; the token is stored in the credential, never output',
				action: 'Renew the session token',
			},
		],
		default: 'renewToken',
	},
	...renewToken.description,
];

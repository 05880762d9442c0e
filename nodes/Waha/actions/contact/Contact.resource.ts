import type { INodeProperties } from 'n8n-workflow';

import * as checkExists from './checkExists.operation';

export { checkExists };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['contact'] } },
		options: [
			{
				name: 'Check Number Exists',
				value: 'checkExists',
				description:
					'Check whether a phone number has a WhatsApp account, and get the chat ID to send to',
				action: 'Check whether a phone number is on whatsapp',
			},
		],
		default: 'checkExists',
	},
	...checkExists.description,
];

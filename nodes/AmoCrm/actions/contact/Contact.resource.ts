import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as findByPhone from './findByPhone.operation';
import * as findOrCreate from './findOrCreate.operation';

export { create, findByPhone, findOrCreate };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['contact'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Create a contact with a phone number',
				action: 'Create a contact',
			},
			{
				name: 'Find by Phone',
				value: 'findByPhone',
				description: 'Find the contacts whose phone is this number, in any format',
				action: 'Find contacts by phone',
			},
			{
				name: 'Find or Create by Phone',
				value: 'findOrCreate',
				description: 'Return the contact with this phone, creating it when there is none',
				action: 'Find or create a contact by phone',
			},
		],
		default: 'findOrCreate',
	},
	...findByPhone.description,
	...create.description,
	...findOrCreate.description,
];

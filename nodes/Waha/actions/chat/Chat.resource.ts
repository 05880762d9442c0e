import type { INodeProperties } from 'n8n-workflow';

import * as startTyping from './startTyping.operation';
import * as stopTyping from './stopTyping.operation';

export { startTyping, stopTyping };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['chat'] } },
		options: [
			{
				name: 'Start Typing',
				value: 'startTyping',
				description: 'Show "typing…" to the person in a chat until Stop Typing or the next message',
				action: 'Start typing in a chat',
			},
			{
				name: 'Stop Typing',
				value: 'stopTyping',
				description: 'Hide the "typing…" indicator in a chat',
				action: 'Stop typing in a chat',
			},
		],
		default: 'startTyping',
	},
	...startTyping.description,
	...stopTyping.description,
];

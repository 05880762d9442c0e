import type { INodeProperties } from 'n8n-workflow';

import * as sendFile from './sendFile.operation';
import * as sendImage from './sendImage.operation';
import * as sendText from './sendText.operation';

export { sendFile, sendImage, sendText };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['message'] } },
		options: [
			{
				name: 'Send File',
				value: 'sendFile',
				description:
					'Send a document (PDF, invoice, spreadsheet…) from a URL or from binary data, with an optional caption',
				action: 'Send a whatsapp file to a phone number',
			},
			{
				name: 'Send Image',
				value: 'sendImage',
				description: 'Send a picture from a URL or from binary data, with an optional caption',
				action: 'Send a whatsapp image to a phone number',
			},
			{
				name: 'Send Text',
				value: 'sendText',
				description:
					'Send a WhatsApp text message to a phone number (any usual format, e.g. +7 701 123 45 67 or 87011234567) or a chat ID; returns whether it was sent, its message ID and the chat ID',
				action: 'Send a whatsapp text message to a phone number',
			},
		],
		default: 'sendText',
	},
	...sendText.description,
	...sendImage.description,
	...sendFile.description,
];

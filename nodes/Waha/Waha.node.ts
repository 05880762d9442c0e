import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as chat from './actions/chat/Chat.resource';
import * as contact from './actions/contact/Contact.resource';
import * as message from './actions/message/Message.resource';
import { router } from './actions/router';
import * as session from './actions/session/Session.resource';
import { listSearch } from './methods';

/**
 * Hand-written rather than generated from WAHA's OpenAPI: sends normalise Kazakh phone numbers,
 * read the message id whatever the engine returns, and can be made exactly-once (Send Once Key)
 * and human-paced (typing, random delays).
 */
export class Waha implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'WAHA',
		name: 'waha',
		icon: { light: 'file:waha.svg', dark: 'file:waha.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Send WhatsApp messages and manage sessions through WAHA (WhatsApp HTTP API)',
		defaults: { name: 'WAHA' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'wahaApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Chat', value: 'chat' },
					{ name: 'Contact', value: 'contact' },
					{ name: 'Message', value: 'message' },
					{ name: 'Session', value: 'session' },
				],
				default: 'message',
			},
			...message.description,
			...contact.description,
			...session.description,
			...chat.description,
		],
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}

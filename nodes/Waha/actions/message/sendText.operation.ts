import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { deliver, type SendOptions } from '../../helpers/delivery';
import { sendMessage } from '../../transport';
import { optionsCollection, readTarget, recipientField, sessionRLC } from '../common.descriptions';
import { sendOptions } from './sendOptions';

const properties: INodeProperties[] = [
	sessionRLC,
	recipientField,
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		description: 'The message. WhatsApp formatting works: *bold*, _italic_, ~strikethrough~.',
	},
	optionsCollection([
		{
			displayName: 'Link Preview',
			name: 'linkPreview',
			type: 'boolean',
			default: true,
			description: 'Whether WhatsApp shows a preview of the first link in the text',
		},
		...sendOptions,
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['sendText'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const target = readTarget(this, itemIndex);
	const text = String(this.getNodeParameter('text', itemIndex) ?? '');
	if (!text.trim()) {
		throw new NodeOperationError(this.getNode(), 'Text is empty', { itemIndex });
	}
	const options = this.getNodeParameter('options', itemIndex, {}) as SendOptions & {
		linkPreview?: boolean;
	};
	const body = { ...target, text, linkPreview: options.linkPreview ?? true };
	return await deliver(
		this,
		itemIndex,
		{
			...target,
			textLength: text.length,
			send: async () => await sendMessage(this, 'sendText', body, { itemIndex }),
		},
		options,
	);
}

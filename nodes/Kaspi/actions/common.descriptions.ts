import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { DEFAULT_TIMEOUT_SECONDS, type KaspiCallOptions } from '../transport';

export const timeoutOption: INodeProperties = {
	displayName: 'Timeout (Seconds)',
	name: 'timeoutSeconds',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: DEFAULT_TIMEOUT_SECONDS,
	description:
		'How long to wait for Kaspi on each attempt. Large date ranges can be slow; failed reads are retried three times with backoff.',
};

/** The options collection of the operations whose only option is the timeout. */
export const timeoutOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	options: [timeoutOption],
};

export const orderCodeField: INodeProperties = {
	displayName: 'Order Code',
	name: 'orderCode',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. 512345678',
	description: 'The order number the buyer sees (attribute "code"), not the internal ID',
};

/** Options every Kaspi operation reads the same way. */
export function callOptions(context: IExecuteFunctions, itemIndex: number): KaspiCallOptions {
	const options = context.getNodeParameter('options', itemIndex, {}) as { timeoutSeconds?: number };
	return { itemIndex, timeoutSeconds: options.timeoutSeconds };
}

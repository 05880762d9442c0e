import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { getOrderEntries } from '../../transport';
import { toKaspiEntry, type KaspiOrderEntry } from '../../helpers/mapper';
import { callOptions, timeoutOptions } from '../common.descriptions';

const properties: INodeProperties[] = [
	{
		displayName: 'Order ID',
		name: 'orderId',
		type: 'string',
		default: '={{ $json.id }}',
		required: true,
		placeholder: 'e.g. NTEyMzQ1Njc4OjAyMQ',
		description: 'Kaspi’s internal order ID, as output by this node or the Kaspi Trigger',
	},
	timeoutOptions,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['order'], operation: ['getEntries'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<KaspiOrderEntry[]> {
	const orderId = String(this.getNodeParameter('orderId', itemIndex) ?? '').trim();
	if (!orderId) {
		throw new NodeOperationError(this.getNode(), 'Order ID is empty', { itemIndex });
	}
	const entries = await getOrderEntries(this, orderId, callOptions(this, itemIndex));
	return entries.map((entry) => ({ orderId, ...toKaspiEntry(entry) }));
}

import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { findOrderByCode, getOrderById } from '../../transport';
import type { KaspiOrder } from '../../helpers/mapper';
import { callOptions, orderCodeField, timeoutOptions } from '../common.descriptions';

const properties: INodeProperties[] = [
	{
		displayName: 'Find By',
		name: 'findBy',
		type: 'options',
		options: [
			{ name: 'Order Code', value: 'code', description: 'The number the buyer sees' },
			{
				name: 'Order ID',
				value: 'id',
				description: 'Kaspi’s internal ID, as in the order’s API link',
			},
		],
		default: 'code',
	},
	{ ...orderCodeField, displayOptions: { show: { findBy: ['code'] } } },
	{
		displayName: 'Order ID',
		name: 'orderId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. NTEyMzQ1Njc4OjAyMQ',
		displayOptions: { show: { findBy: ['id'] } },
	},
	timeoutOptions,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['order'], operation: ['get'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<KaspiOrder> {
	const options = callOptions(this, itemIndex);
	if (this.getNodeParameter('findBy', itemIndex) === 'id') {
		const orderId = (this.getNodeParameter('orderId', itemIndex) as string).trim();
		if (!orderId) {
			throw new NodeOperationError(this.getNode(), 'Order ID is empty', { itemIndex });
		}
		return await getOrderById(this, orderId, options);
	}
	const code = String(this.getNodeParameter('orderCode', itemIndex)).trim();
	if (!/^\d+$/.test(code)) {
		throw new NodeOperationError(this.getNode(), `Order Code "${code}" is not a Kaspi order code`, {
			itemIndex,
			description: 'A Kaspi order code is made of digits only, e.g. 512345678.',
		});
	}
	const order = await findOrderByCode(this, code, options);
	if (!order) {
		throw new NodeOperationError(this.getNode(), `No Kaspi order with code ${code}`, {
			itemIndex,
			description:
				'Check the Order Code, and that the token belongs to the shop that received the order.',
		});
	}
	return order;
}

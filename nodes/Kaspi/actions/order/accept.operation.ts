import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { acceptOrder, findOrderByCode } from '../../transport';
import type { KaspiOrder } from '../../helpers/mapper';
import { callOptions, orderCodeField, timeoutOptions } from '../common.descriptions';

const properties: INodeProperties[] = [
	{ ...orderCodeField, default: '={{ $json.code }}' },
	timeoutOptions,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['order'], operation: ['accept'] } },
	properties,
);

/**
 * Reads the order first and only then changes it, as careful Kaspi clients do
 * (docs/services/kaspi.md, Accepting an order): an order that is already accepted is returned as
 * is, so a rerun never fails or changes anything. Kaspi accepts only a NEW order in status
 * APPROVED_BY_BANK; one still in SIGN_REQUIRED is refused here, before any change is sent.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<KaspiOrder & { alreadyAccepted: boolean }> {
	const code = String(this.getNodeParameter('orderCode', itemIndex)).trim();
	const options = callOptions(this, itemIndex);
	const order = await findOrderByCode(this, code, options);
	if (!order) {
		throw new NodeOperationError(this.getNode(), `No Kaspi order with code ${code}`, { itemIndex });
	}
	if (order.status === 'ACCEPTED_BY_MERCHANT') return { ...order, alreadyAccepted: true };
	if (order.status !== 'APPROVED_BY_BANK') {
		throw new NodeOperationError(
			this.getNode(),
			`Order ${code} cannot be accepted: its status is ${order.status}`,
			{ itemIndex, description: 'Kaspi accepts only orders in status APPROVED_BY_BANK.' },
		);
	}
	if (order.state !== 'NEW') {
		throw new NodeOperationError(
			this.getNode(),
			`Order ${code} cannot be accepted yet: its state is ${order.state}`,
			{
				itemIndex,
				description:
					'Kaspi accepts only orders in state NEW. A credit order stays in SIGN_REQUIRED until the buyer signs the documents; accept it once it is NEW.',
			},
		);
	}
	return { ...(await acceptOrder(this, order, options)), alreadyAccepted: false };
}

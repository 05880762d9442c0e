import type { IExecuteFunctions, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { OrderState, OrderStatus } from '../../transport/types';

export const stateOptions: Array<INodePropertyOptions & { value: OrderState }> = [
	{ name: 'Archive', value: 'ARCHIVE', description: 'Completed, cancelled or returned' },
	{ name: 'Delivery', value: 'DELIVERY', description: 'Accepted, delivered by the shop' },
	{ name: 'Kaspi Delivery', value: 'KASPI_DELIVERY', description: 'Accepted, delivered by Kaspi' },
	{ name: 'New', value: 'NEW', description: 'Paid, waiting for the shop to accept' },
	{ name: 'Pickup', value: 'PICKUP', description: 'Accepted, the buyer picks it up' },
	{ name: 'Sign Required', value: 'SIGN_REQUIRED', description: 'Credit documents not yet signed' },
];

export const statusOptions: Array<INodePropertyOptions & { value: OrderStatus }> = [
	{ name: 'Accepted by Merchant', value: 'ACCEPTED_BY_MERCHANT' },
	{ name: 'Approved by Bank', value: 'APPROVED_BY_BANK' },
	{ name: 'Cancelled', value: 'CANCELLED' },
	{ name: 'Cancelling', value: 'CANCELLING' },
	{ name: 'Completed', value: 'COMPLETED' },
	{ name: 'Kaspi Delivery Return Requested', value: 'KASPI_DELIVERY_RETURN_REQUESTED' },
	{
		name: 'Return Accepted by Merchant',
		value: 'RETURN_ACCEPTED_BY_MERCHANT',
		description: 'Not in Kaspi’s list of filters, so the node keeps these orders itself',
	},
	{ name: 'Returned', value: 'RETURNED' },
];

/** Reads a date parameter as epoch milliseconds, naming the field when it is not a date. */
export function parseDateParameter(
	context: IExecuteFunctions,
	name: string,
	displayName: string,
	itemIndex: number,
): number {
	const value = context.getNodeParameter(name, itemIndex) as unknown;
	const parsed =
		typeof value === 'number'
			? value
			: value && typeof (value as { toMillis?: unknown }).toMillis === 'function'
				? (value as { toMillis: () => number }).toMillis()
				: Date.parse(String(value));
	if (!Number.isFinite(parsed)) {
		throw new NodeOperationError(context.getNode(), `${displayName} is not a valid date`, {
			itemIndex,
			description: `Got "${String(value)}". Use an ISO date such as 2026-11-22T09:00:00+05:00.`,
		});
	}
	return parsed;
}

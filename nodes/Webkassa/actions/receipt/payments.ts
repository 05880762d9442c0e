import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { buildPayments } from '../../helpers/payments';
import type { PaymentMethod } from '../../transport/types';
import { fail } from './fail';

/** The payments of the Payment fields, and the change. */
export function readPayments(context: IExecuteFunctions, itemIndex: number, total: number) {
	const method = context.getNodeParameter('paymentMethod', itemIndex, 'card') as string;
	let entries: Array<{ method: PaymentMethod; amount: number }> = [];
	if (method === 'split') {
		const collection = context.getNodeParameter('payments', itemIndex, {}) as {
			payment?: IDataObject[];
		};
		entries = (collection.payment ?? []).map((entry) => ({
			method: String(entry.method) as PaymentMethod,
			amount: Number(entry.amount ?? 0),
		}));
		if (entries.length === 0)
			fail(context, itemIndex, 'Payments is empty', 'Add the amounts paid by each method.');
	} else if (method === 'cash') {
		entries = [
			{ method: 'cash', amount: Number(context.getNodeParameter('cashReceived', itemIndex, 0)) },
		];
	}
	const result = buildPayments(total, method, entries);
	if ('error' in result)
		fail(context, itemIndex, result.error, 'Payments must cover the receipt total.');
	return result;
}

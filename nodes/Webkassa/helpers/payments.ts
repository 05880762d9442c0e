import { PAYMENT_TYPES, type PaymentMethod, type WebkassaPayment } from '../transport/types';
import { fromTiyn, toTiyn } from './vat';

/** The largest payment amount taken, in tenge: low enough that every amount stays an exact whole number of tiyn. */
const MAX_PAYMENT = 999_999_999_999.99;

/** Payments (each type at most once) and the change, which only cash can give. */
export function buildPayments(
	total: number,
	method: string,
	entries: Array<{ method: PaymentMethod; amount: number }>,
): { payments: WebkassaPayment[]; change: number } | { error: string } {
	const byType = new Map<PaymentMethod, number>();
	const isMethod = (name: string) => Object.prototype.hasOwnProperty.call(PAYMENT_TYPES, name);
	if (method !== 'split' && !isMethod(method))
		return { error: 'Payment must be card, cash, mobile or split' };
	for (const [index, entry] of entries.entries()) {
		const field = method === 'cash' ? 'Cash Received' : `Payment ${index + 1}`;
		if (!isMethod(entry.method)) {
			return { error: `${field}: method must be card, cash or mobile` };
		}
		if (!Number.isFinite(entry.amount) || entry.amount < 0 || entry.amount > MAX_PAYMENT) {
			return { error: `${field}: amount must be a number from 0 to ${MAX_PAYMENT}` };
		}
	}
	if (method === 'split') {
		for (const entry of entries)
			byType.set(entry.method, (byType.get(entry.method) ?? 0) + toTiyn(entry.amount));
	} else {
		byType.set(method as PaymentMethod, toTiyn(entries[0]?.amount || total));
	}
	const paid = [...byType.values()].reduce((sum, value) => sum + value, 0);
	const change = paid - toTiyn(total);
	if (change < 0)
		return { error: `The payments (${fromTiyn(paid)}) are less than the total (${total})` };
	if (change > (byType.get('cash') ?? 0)) {
		return {
			error: `The payments exceed the total by ${fromTiyn(change)}, but only cash can give change`,
		};
	}
	const payments = [...byType.entries()]
		.filter(([, amount]) => amount > 0)
		.map(([type, amount]) => ({ Sum: fromTiyn(amount), PaymentType: PAYMENT_TYPES[type] }));
	return { payments, change: fromTiyn(change) };
}

import { maskPhone } from '../../shared/phone';
import type { SyncOrder } from './sync';

/** An amount in tenge as a seller reads it: 12 345 ₸. */
export function money(value: number): string {
	return `${Math.round(value)
		.toLocaleString('ru-RU')
		.replace(/\u00a0/g, ' ')} ₸`;
}

/** The note on a new deal: the order as a seller reads it. The phone is masked. */
export function orderNote(order: SyncOrder): string {
	const lines = [`Kaspi order ${order.code} (${order.state})`];
	for (const entry of order.entries) {
		lines.push(`${entry.quantity} × ${entry.name} (SKU ${entry.sku}) — ${money(entry.totalPrice)}`);
	}
	lines.push(`Total: ${money(order.totalPrice)}`);
	if (order.deliveryAddress) lines.push(`Delivery: ${order.deliveryAddress}`);
	const buyer = [order.customerName, order.customerPhone ? maskPhone(order.customerPhone) : null]
		.filter(Boolean)
		.join(', ');
	if (buyer) lines.push(`Buyer: ${buyer}`);
	return lines.join('\n');
}

import type { IDataObject } from 'n8n-workflow';

import { normalisePhone, type PhoneRejection } from '../../shared/phone';
import type { KaspiEntryResource, KaspiOrderResource } from './types';

export interface KaspiOrderEntry extends IDataObject {
	/** The merchant SKU, the same value as `offer@sku` in the price list. */
	sku: string;
	name: string;
	quantity: number;
	unitPrice: number;
	totalPrice: number;
	category: string | null;
}

/** The flat order our nodes output: what an operator maps on the canvas, not the JSON:API shape. */
export interface KaspiOrder extends IDataObject {
	id: string;
	code: string;
	state: string;
	status: string;
	totalPrice: number;
	paymentMode: string;
	deliveryMode: string;
	isKaspiDelivery: boolean;
	preOrder: boolean;
	signatureRequired: boolean;
	pickupPointId: string | null;
	/** Epoch milliseconds, as Kaspi sends it; `createdAt` is the same instant in ISO form. */
	creationDate: number;
	createdAt: string;
	plannedDeliveryAt: string | null;
	customerName: string | null;
	customerFirstName: string | null;
	customerLastName: string | null;
	/** E.164 (`+77011234567`) when Kaspi gave a usable number, otherwise null. */
	customerPhone: string | null;
	/** Why `customerPhone` is null: Kaspi masks it on some orders (`+0(000)-000-00-00`). */
	customerPhoneStatus: 'ok' | PhoneRejection;
	deliveryAddress: string | null;
	entries: KaspiOrderEntry[];
	/** `Name × quantity` per entry, joined; handy in message templates. */
	itemsSummary: string;
}

function text(value: unknown): string | null {
	if (typeof value !== 'string') return null;
	const trimmed = value.trim();
	return trimmed === '' ? null : trimmed;
}

function isoOrNull(epochMs: unknown): string | null {
	return typeof epochMs === 'number' && Number.isFinite(epochMs)
		? new Date(epochMs).toISOString()
		: null;
}

function toNumber(value: unknown): number {
	const parsed = typeof value === 'number' ? value : Number(value);
	return Number.isFinite(parsed) ? parsed : 0;
}

export function toKaspiEntry(entry: KaspiEntryResource): KaspiOrderEntry {
	const attributes = entry.attributes ?? ({} as KaspiEntryResource['attributes']);
	return {
		sku: text(attributes.offer?.code) ?? '',
		name: text(attributes.offer?.name) ?? '',
		quantity: toNumber(attributes.quantity),
		unitPrice: toNumber(attributes.basePrice),
		totalPrice: toNumber(attributes.totalPrice),
		category: text(attributes.category?.title),
	};
}

/**
 * Flattens one JSON:API order. Pass `entries` when they were fetched (or included), or
 * `knownEntries` to keep already-flattened ones; an order without either has `entries: []`.
 */
export function toKaspiOrder(
	resource: KaspiOrderResource,
	entries?: KaspiEntryResource[],
	knownEntries?: KaspiOrderEntry[],
): KaspiOrder {
	const attributes = resource.attributes ?? ({} as KaspiOrderResource['attributes']);
	const customer = attributes.customer ?? null;
	const firstName = text(customer?.firstName);
	const lastName = text(customer?.lastName);
	const fullName = [firstName, lastName].filter(Boolean).join(' ') || text(customer?.name);
	const phone = normalisePhone(customer?.cellPhone);
	const flatEntries = entries ? entries.map(toKaspiEntry) : (knownEntries ?? []);
	const creationDate = toNumber(attributes.creationDate);

	return {
		id: String(resource.id),
		code: String(attributes.code ?? ''),
		state: String(attributes.state ?? ''),
		status: String(attributes.status ?? ''),
		totalPrice: toNumber(attributes.totalPrice),
		paymentMode: String(attributes.paymentMode ?? ''),
		deliveryMode: String(attributes.deliveryMode ?? ''),
		isKaspiDelivery: attributes.isKaspiDelivery === true,
		preOrder: attributes.preOrder === true,
		signatureRequired: attributes.signatureRequired === true,
		pickupPointId: text(attributes.pickupPointId),
		creationDate,
		createdAt: isoOrNull(creationDate) ?? '',
		plannedDeliveryAt: isoOrNull(attributes.plannedDeliveryDate),
		customerName: fullName || null,
		customerFirstName: firstName,
		customerLastName: lastName,
		customerPhone: phone.ok ? `+${phone.digits}` : null,
		customerPhoneStatus: phone.ok ? 'ok' : phone.reason,
		deliveryAddress: text(attributes.deliveryAddress?.formattedAddress),
		entries: flatEntries,
		itemsSummary: flatEntries.map((entry) => `${entry.name} × ${entry.quantity}`).join(', '),
	};
}

import type { IDataObject } from 'n8n-workflow';

import { normalisePhone, type PhoneRejection } from '../../shared/phone';
import type { KaspiEntryResource, KaspiOrderResource } from '../transport/types';

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

/**
 * Thrown for what Kaspi sent and the mapper cannot read (an order that is not an object or has no
 * id, a list member that is not an array); the message names the member.
 */
export class KaspiDataError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'KaspiDataError';
	}
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON:API resource object with an `id`, or a KaspiDataError naming `what`. */
export function resourceObject<T>(value: unknown, what: string): T {
	if (!isObject(value))
		throw new KaspiDataError(`Kaspi sent ${what} that is not a JSON:API resource object`);
	if (typeof value.id !== 'string' && typeof value.id !== 'number') {
		throw new KaspiDataError(`Kaspi sent ${what} without an "id"`);
	}
	return value as T;
}

/** A JSON:API array member such as `data` or `included`: absent or null is empty, a non-array is refused. */
export function resourceList(value: unknown, member: string): unknown[] {
	if (value === undefined || value === null) return [];
	if (!Array.isArray(value))
		throw new KaspiDataError(`Kaspi answered with a "${member}" member that is not an array`);
	return value;
}

function text(value: unknown): string | null {
	if (typeof value !== 'string') return null;
	const trimmed = value.trim();
	return trimmed === '' ? null : trimmed;
}

/** A scalar as text; an object or array (which `String()` may even fail on) is ''. */
function scalar(value: unknown): string {
	return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
		? String(value)
		: '';
}

/** The latest instant a JavaScript Date can hold, in epoch milliseconds. */
const MAX_DATE_MS = 8.64e15;

function isoOrNull(epochMs: unknown): string | null {
	return typeof epochMs === 'number' && Math.abs(epochMs) <= MAX_DATE_MS
		? new Date(epochMs).toISOString()
		: null;
}

function toNumber(value: unknown): number {
	const parsed =
		typeof value === 'number' || typeof value === 'string' ? Number(value) : Number.NaN;
	return Number.isFinite(parsed) ? parsed : 0;
}

export function toKaspiEntry(entry: KaspiEntryResource): KaspiOrderEntry {
	if (!isObject(entry))
		throw new KaspiDataError('Kaspi sent an order entry that is not a JSON:API resource object');
	const attributes = (isObject(entry.attributes) ? entry.attributes : {}) as Partial<
		KaspiEntryResource['attributes']
	>;
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
	resourceObject<KaspiOrderResource>(resource, 'an order');
	const attributes = (isObject(resource.attributes) ? resource.attributes : {}) as Partial<
		KaspiOrderResource['attributes']
	>;
	const customer = isObject(attributes.customer) ? attributes.customer : null;
	const firstName = text(customer?.firstName);
	const lastName = text(customer?.lastName);
	const fullName = [firstName, lastName].filter(Boolean).join(' ') || text(customer?.name);
	const phone = normalisePhone(customer?.cellPhone);
	const flatEntries = entries ? entries.map(toKaspiEntry) : (knownEntries ?? []);
	const creationDate = toNumber(attributes.creationDate);

	return {
		id: String(resource.id),
		code: scalar(attributes.code),
		state: scalar(attributes.state),
		status: scalar(attributes.status),
		totalPrice: toNumber(attributes.totalPrice),
		paymentMode: scalar(attributes.paymentMode),
		deliveryMode: scalar(attributes.deliveryMode),
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
		deliveryAddress: isObject(attributes.deliveryAddress)
			? text(attributes.deliveryAddress.formattedAddress)
			: null,
		entries: flatEntries,
		itemsSummary: flatEntries.map((entry) => `${entry.name} × ${entry.quantity}`).join(', '),
	};
}

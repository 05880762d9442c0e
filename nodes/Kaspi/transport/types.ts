/**
 * Kaspi Shop API wire types (JSON:API), as docs/services/kaspi.md states them with their sources.
 * Shared by the node and the trigger; the sandbox emulator keeps its own, taken from the same
 * sources, so a mistake here cannot hide in it.
 */

export const ORDER_STATES = [
	'NEW',
	'SIGN_REQUIRED',
	'PICKUP',
	'DELIVERY',
	'KASPI_DELIVERY',
	'ARCHIVE',
] as const;
export type OrderState = (typeof ORDER_STATES)[number];

export const ORDER_STATUSES = [
	'APPROVED_BY_BANK',
	'ACCEPTED_BY_MERCHANT',
	'COMPLETED',
	'CANCELLED',
	'CANCELLING',
	'KASPI_DELIVERY_RETURN_REQUESTED',
	'RETURN_ACCEPTED_BY_MERCHANT',
	'RETURNED',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/**
 * The statuses Kaspi's guide lists for `filter[orders][status]`. RETURN_ACCEPTED_BY_MERCHANT is
 * known only from public clients, so it is never sent and always filtered here.
 */
export const FILTERABLE_STATUSES: readonly OrderStatus[] = ORDER_STATUSES.filter(
	(status) => status !== 'RETURN_ACCEPTED_BY_MERCHANT',
);

export type DeliveryType = 'PICKUP' | 'DELIVERY';

/** The guide allows `filter[orders][deliveryType]` only with these states. */
export const DELIVERY_TYPE_STATES: readonly OrderState[] = ['NEW', 'SIGN_REQUIRED', 'ARCHIVE'];

export const DELIVERY_MODES = [
	'DELIVERY_LOCAL',
	'DELIVERY_PICKUP',
	'DELIVERY_REGIONAL_TODOOR',
	'DELIVERY_REGIONAL_PICKUP',
] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];

export interface KaspiCustomer {
	id: string;
	name: string | null;
	/** 10 digits without the country code, or the mask `+0(000)-000-00-00`. */
	cellPhone: string | null;
	firstName: string | null;
	lastName: string | null;
}

interface KaspiDeliveryAddress {
	streetName?: string;
	streetNumber?: string;
	town?: string;
	district?: string | null;
	building?: string | null;
	apartment?: string | null;
	formattedAddress?: string;
	latitude?: number;
	longitude?: number;
}

export interface KaspiOrderAttributes {
	code: string;
	totalPrice: number;
	paymentMode: 'PAY_WITH_CREDIT' | 'PREPAID';
	/** Epoch milliseconds, like every Kaspi date. */
	creationDate: number;
	approvedByBankDate?: number;
	plannedDeliveryDate?: number | null;
	reservationDate?: number;
	deliveryCostForSeller?: number;
	deliveryCost?: number;
	isKaspiDelivery: boolean;
	deliveryMode: DeliveryMode;
	signatureRequired: boolean;
	creditTerm?: number;
	preOrder: boolean;
	pickupPointId?: string;
	state: OrderState;
	status: OrderStatus;
	customer: KaspiCustomer | null;
	deliveryAddress?: KaspiDeliveryAddress | null;
	cancellationReason?: string;
	assembled?: boolean;
	completionDate?: number;
}

export interface JsonApiLinks {
	self?: string;
	related?: string;
}

export interface KaspiOrderResource {
	type: 'orders';
	id: string;
	attributes: KaspiOrderAttributes;
	relationships?: {
		user?: { links?: JsonApiLinks; data?: { type: 'customers'; id: string } };
		entries?: { links?: JsonApiLinks; data?: Array<{ type: 'orderentries'; id: string }> };
	};
	links?: JsonApiLinks;
}

export interface KaspiEntryAttributes {
	entryNumber: number;
	quantity: number;
	basePrice: number;
	totalPrice: number;
	deliveryCost?: number;
	weight?: number;
	unitType?: 'PIECES' | 'MEASURABLE' | 'MEASURABLE_PIECES';
	category?: { code: string; title: string };
	/** `offer.code` is the merchant SKU, the same value as the price list's `offer@sku`. */
	offer: { code: string; name: string };
	isImeiRequired?: boolean;
}

export interface KaspiEntryResource {
	type: 'orderentries';
	id: string;
	attributes: KaspiEntryAttributes;
	relationships?: Record<string, { data?: { type: string; id: string }; links?: JsonApiLinks }>;
	links?: JsonApiLinks;
}

export interface KaspiListResponse<T> {
	data: T[];
	included: Array<KaspiEntryResource | { type: string; id: string; attributes: object }>;
	meta: { pageCount: number; totalCount: number };
}

export interface KaspiSingleResponse<T> {
	data: T;
	included: unknown[];
}

export interface KaspiErrorBody {
	errors: Array<{ title: string; detail?: string; status?: string; code?: string }>;
}

/** Body of `POST /orders`, the status change (docs/services/kaspi.md, Accepting an order). */
export interface KaspiStatusChangeBody {
	data: {
		type: 'orders';
		id: string;
		attributes: {
			code: string;
			status: string;
			cancellationReason?: string;
			numberOfSpace?: string;
		};
	};
}

/** Query names of `GET /orders`; brackets are part of the names (docs/services/kaspi.md). */
export const ORDER_QUERY = {
	pageNumber: 'page[number]',
	pageSize: 'page[size]',
	creationFrom: 'filter[orders][creationDate][$ge]',
	creationTo: 'filter[orders][creationDate][$le]',
	state: 'filter[orders][state]',
	status: 'filter[orders][status]',
	code: 'filter[orders][code]',
	deliveryType: 'filter[orders][deliveryType]',
	include: 'include[orders]',
} as const;

/** The API refuses creation-date ranges longer than this (docs/services/kaspi.md). */
export const MAX_WINDOW_MS = 14 * 24 * 60 * 60 * 1000;
export const MAX_PAGE_SIZE = 100;

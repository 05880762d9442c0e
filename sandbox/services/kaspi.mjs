// @ts-check
/**
 * Kaspi Shop API emulator: JSON:API orders with the real query names, paging, the 14-day window,
 * includes, and status changes through `POST /orders`. Every rule here is taken from Kaspi's guide
 * or the public clients, as listed in docs/services/kaspi.md; nothing is loaded from the nodes, so
 * a wrong constant in a node cannot hide in its emulator.
 */
import { createHash } from 'node:crypto';

import { HttpError, Router, controlError, isObject, json } from '../lib/http.mjs';
import { createRandom } from '../lib/random.mjs';
import { headerSecretAuth } from '../lib/service.mjs';
import {
	ALMATY_STREETS,
	BUYER_NAMES,
	MASKED_PHONE,
	MERCHANT_ID,
	MOBILE_PREFIXES,
	PRODUCTS,
	SEED_ORDERS,
} from './kaspi-seed.mjs';

/** Query names of `GET /orders` and of the entries list (the guide's order-list page). */
const Q = {
	pageNumber: 'page[number]',
	pageSize: 'page[size]',
	creationFrom: 'filter[orders][creationDate][$ge]',
	creationTo: 'filter[orders][creationDate][$le]',
	state: 'filter[orders][state]',
	status: 'filter[orders][status]',
	code: 'filter[orders][code]',
	deliveryType: 'filter[orders][deliveryType]',
	signatureRequired: 'filter[orders][signatureRequired]',
	include: 'include[orders]',
};

/** The guide's six order tabs. */
const ORDER_STATES = /** @type {const} */ ([
	'NEW',
	'SIGN_REQUIRED',
	'PICKUP',
	'DELIVERY',
	'KASPI_DELIVERY',
	'ARCHIVE',
]);
/** The statuses the guide lists for `filter[orders][status]`. */
const FILTER_STATUSES = /** @type {const} */ ([
	'APPROVED_BY_BANK',
	'ACCEPTED_BY_MERCHANT',
	'COMPLETED',
	'CANCELLED',
	'CANCELLING',
	'KASPI_DELIVERY_RETURN_REQUESTED',
	'RETURNED',
]);
/**
 * What an order can carry: the filter values plus RETURN_ACCEPTED_BY_MERCHANT, which the Go client
 * `abdymazhit/kaspi-merchant-api` knows but the guide does not list, so it is refused as a filter.
 */
const ORDER_STATUSES = /** @type {const} */ ([...FILTER_STATUSES, 'RETURN_ACCEPTED_BY_MERCHANT']);
const DELIVERY_MODES = /** @type {const} */ ([
	'DELIVERY_LOCAL',
	'DELIVERY_PICKUP',
	'DELIVERY_REGIONAL_TODOOR',
	'DELIVERY_REGIONAL_PICKUP',
]);
const DELIVERY_TYPES = /** @type {const} */ (['PICKUP', 'DELIVERY']);
/** The guide: use `deliveryType` only when the state is not PICKUP, DELIVERY or KASPI_DELIVERY. */
const DELIVERY_TYPE_STATES = ['NEW', 'SIGN_REQUIRED', 'ARCHIVE'];
/** The guide: "Maximum search period is 14 days". */
const MAX_WINDOW_MS = 14 * 24 * 60 * 60 * 1000;
const MAX_PAGE_SIZE = 100;
/**
 * Page size of `/orders/{id}/entries` when none is asked for. Kaspi documents none; the guide's
 * own list example asks for 20, so a client that does not page loses the lines after the 20th.
 */
const DEFAULT_ENTRIES_PAGE_SIZE = 20;

/** @typedef {(typeof ORDER_STATES)[number]} OrderState */
/** @typedef {(typeof ORDER_STATUSES)[number]} OrderStatus */
/** @typedef {(typeof DELIVERY_MODES)[number]} DeliveryMode */
/**
 * @typedef {object} KaspiCustomer
 * @property {string} id
 * @property {string | null} name
 * @property {string | null} cellPhone 10 digits without the country code, or the mask.
 * @property {string | null} firstName
 * @property {string | null} lastName
 */
/**
 * @typedef {object} KaspiOrderAttributes
 * @property {string} code
 * @property {number} totalPrice
 * @property {'PAY_WITH_CREDIT' | 'PREPAID'} paymentMode
 * @property {number} creationDate
 * @property {number} [approvedByBankDate]
 * @property {number | null} [plannedDeliveryDate]
 * @property {number} [reservationDate]
 * @property {number} [deliveryCostForSeller]
 * @property {number} [deliveryCost]
 * @property {boolean} isKaspiDelivery
 * @property {DeliveryMode} deliveryMode
 * @property {boolean} signatureRequired
 * @property {number} [creditTerm]
 * @property {boolean} preOrder
 * @property {string} [pickupPointId]
 * @property {OrderState} state
 * @property {OrderStatus} status
 * @property {KaspiCustomer | null} customer
 * @property {object | null} [deliveryAddress]
 * @property {string} [cancellationReason]
 * @property {boolean} [assembled]
 * @property {number} [completionDate]
 */
/**
 * @typedef {object} KaspiEntryAttributes
 * @property {number} entryNumber
 * @property {number} quantity
 * @property {number} basePrice
 * @property {number} totalPrice
 * @property {number} [deliveryCost]
 * @property {number} [weight]
 * @property {string} [unitType]
 * @property {{ code: string, title: string }} [category]
 * @property {{ code: string, name: string }} offer
 * @property {boolean} [isImeiRequired]
 */
/** @typedef {{ self?: string, related?: string }} JsonApiLinks */
/**
 * @typedef {object} KaspiResource A JSON:API resource object.
 * @property {string} type
 * @property {string} id
 * @property {object} attributes
 * @property {Record<string, { links?: JsonApiLinks, data?: unknown }>} [relationships]
 * @property {JsonApiLinks} [links]
 */
/** @typedef {{ data: KaspiResource[], included: KaspiResource[], meta: { pageCount: number, totalCount: number } }} KaspiList */
/** @typedef {{ errors: Array<{ status: string, title: string }> }} KaspiErrorBody */
/** @typedef {import('../lib/http.mjs').RequestContext} RequestContext */
/** @typedef {import('../lib/random.mjs').Random} Random */

export const KASPI_DEFAULT_TOKEN = 'sandbox-kaspi-token';
const PREFIX = '/kaspi/shop/api/v2';
const CONTENT_TYPE = 'application/vnd.api+json';
/** Fixed, so seed data and generated orders are identical on every run. */
const RANDOM_SEED = 20261122;
const DAY_MS = 24 * 60 * 60 * 1000;
const CANCELLATION_REASONS = [
	'BUYER_CANCELLATION_BY_MERCHANT',
	'BUYER_NOT_REACHABLE',
	'MERCHANT_OUT_OF_STOCK',
];
const MAX_CANCELLATION_COMMENT = 1000;
const INCLUDABLE = ['user', 'entries'];

/** @type {Record<'pickup' | 'ownDelivery' | 'kaspiDelivery' | 'postomat', { deliveryMode: DeliveryMode, isKaspiDelivery: boolean }>} */
const DELIVERY_PROFILES = {
	pickup: { deliveryMode: 'DELIVERY_PICKUP', isKaspiDelivery: false },
	ownDelivery: { deliveryMode: 'DELIVERY_LOCAL', isKaspiDelivery: false },
	kaspiDelivery: { deliveryMode: 'DELIVERY_REGIONAL_TODOOR', isKaspiDelivery: true },
	postomat: { deliveryMode: 'DELIVERY_PICKUP', isKaspiDelivery: true },
};

/**
 * @typedef {object} OrderRecord
 * @property {string} id Opaque JSON:API id.
 * @property {KaspiOrderAttributes} attributes
 * @property {Array<{ id: string, attributes: KaspiEntryAttributes }>} entries
 */

/**
 * @typedef {object} KaspiState
 * @property {OrderRecord[]} orders In creation order; listings use a fixed shuffle (inListOrder).
 * @property {Random} random
 * @property {Map<string, number>} drift Listing (its query without `page[number]`) → how many
 *   orders entered (+) or left (−) the list before the pages still to be read, by page drift faults.
 */

/**
 * Page drift faults (`POST /_control/faults`, service `kaspi`): the listing moves between two page
 * requests, shifting the rest of it by one order. The value is the shift: +1 when an order enters
 * the list before the page asked for (its previous page's last order comes again), −1 when one
 * leaves it (the page's first order falls between the two pages). Kaspi promises no order, so an
 * order entering or leaving the filtered set can land anywhere in the list, e.g. a credit order
 * signed (SIGN_REQUIRED → NEW) or an order accepted in the cabinet (it leaves NEW).
 * @type {Record<string, number>}
 */
const PAGE_DRIFT = { pageRepeat: 1, pageSkip: -1 };

/**
 * What the control API accepts to create an order; everything is optional and filled plausibly.
 * @typedef {object} OrderSpec
 * @property {string} [code]
 * @property {OrderState} [state]
 * @property {OrderStatus} [status]
 * @property {number} [creationDate] Epoch ms.
 * @property {{ firstName?: string, lastName?: string, cellPhone?: string | null } | null} [customer]
 * @property {Array<{ sku: string, name: string, quantity?: number, basePrice: number }>} [entries]
 * @property {DeliveryMode} [deliveryMode]
 * @property {boolean} [isKaspiDelivery]
 * @property {'PAY_WITH_CREDIT' | 'PREPAID'} [paymentMode]
 * @property {string} [cancellationReason]
 */

/** @type {import('../lib/service.mjs').ServiceModule} */
export const kaspiService = {
	name: 'kaspi',
	create({ secret = KASPI_DEFAULT_TOKEN, seed }) {
		/** @type {KaspiState} */
		const state = { orders: [], random: createRandom(RANDOM_SEED), drift: new Map() };
		const reset = (/** @type {boolean} */ withSeed) => {
			state.random = createRandom(RANDOM_SEED);
			state.drift.clear();
			state.orders = withSeed ? seedOrders(state.random, Date.now()) : [];
		};
		reset(seed);

		return {
			name: 'kaspi',
			prefix: PREFIX,
			contentType: CONTENT_TYPE,
			state,
			authenticate: headerSecretAuth('x-auth-token', secret),
			errorBody,
			unauthorized: () =>
				json(errorBody(401, 'Unauthorized: the X-Auth-Token is missing or not valid'), 401),
			api: apiRoutes(state),
			control: controlRoutes(state),
			reset,
			faultKinds: { pageRepeat: isLaterListPage, pageSkip: isLaterListPage },
			plantedPhones: () =>
				state.orders.flatMap((order) => {
					const phone = order.attributes.customer?.cellPhone;
					return phone ? [phone] : [];
				}),
		};
	},
};

/**
 * JSON:API error document. Kaspi documents only `title` (docs/services/kaspi.md, Errors), so it carries the reason.
 * @param {number} status
 * @param {string} title
 * @returns {KaspiErrorBody}
 */
function errorBody(status, title) {
	return { errors: [{ status: String(status), title }] };
}

/**
 * @param {number} status
 * @param {string} title
 */
function apiError(status, title) {
	return new HttpError(status, errorBody(status, title));
}

// ---------------------------------------------------------------------------------------------
// API routes

/** @param {KaspiState} state */
function apiRoutes(state) {
	return new Router()
		.on('GET', '/orders', (ctx) => json(listOrders(state, ctx)))
		.on('GET', '/orders/:id', (ctx) => {
			const order = findById(state, ctx.params.id);
			const include = parseInclude(ctx.query[Q.include]);
			return json({
				data: orderResource(order, ctx.baseUrl, include),
				included: includedFor([order], ctx.baseUrl, include),
			});
		})
		.on('GET', '/orders/:id/entries', (ctx) => {
			const order = findById(state, ctx.params.id);
			return json(entriesPage(order, ctx));
		})
		.on('POST', '/orders', (ctx) =>
			json(statusChangeAnswer(changeStatus(state, ctx.body), ctx.baseUrl)),
		);
}

/**
 * The answer to a status change: the guide's samples carry only `code` and `status` (and the
 * reason of a cancellation), not the order, so a client must not read the order from it.
 * @param {OrderRecord} order
 * @param {string} baseUrl
 */
function statusChangeAnswer(order, baseUrl) {
	const { code, status, cancellationReason } = order.attributes;
	return {
		data: {
			type: 'orders',
			id: order.id,
			attributes: { code, status, ...(status === 'CANCELLED' && { cancellationReason }) },
			links: { self: `${baseUrl}/orders/${order.id}` },
		},
		included: [],
	};
}

/**
 * `GET /orders/{id}/entries`, paged like the order list. Without `page[size]` it answers
 * DEFAULT_ENTRIES_PAGE_SIZE lines, so a client must page through `meta.pageCount`.
 * @param {OrderRecord} order
 * @param {RequestContext} ctx
 * @returns {KaspiList}
 */
function entriesPage(order, ctx) {
	const pageNumber =
		ctx.query[Q.pageNumber] === undefined ? 0 : requiredInteger(ctx.query, Q.pageNumber, 0);
	const pageSize =
		ctx.query[Q.pageSize] === undefined
			? DEFAULT_ENTRIES_PAGE_SIZE
			: requiredInteger(ctx.query, Q.pageSize, 1);
	if (pageSize > MAX_PAGE_SIZE)
		throw apiError(400, `${Q.pageSize} must not exceed ${MAX_PAGE_SIZE}`);
	const all = entryResources(order, ctx.baseUrl);
	return {
		data: all.slice(pageNumber * pageSize, (pageNumber + 1) * pageSize),
		included: [],
		meta: { pageCount: Math.ceil(all.length / pageSize), totalCount: all.length },
	};
}

/**
 * A page drift fault is taken by a list request for a page after the first one.
 * @param {RequestContext} ctx
 */
function isLaterListPage(ctx) {
	const page = ctx.query[Q.pageNumber];
	return (
		ctx.method === 'GET' &&
		ctx.path === '/orders' &&
		ctx.query[Q.code] === undefined &&
		page !== undefined &&
		/^\d+$/.test(page) &&
		Number(page) >= 1
	);
}

/**
 * How far the listing this request belongs to has drifted. Page 0 starts a new listing, which
 * sees the list as it is; a drift fault on a later page shifts that page and every one after it,
 * as a real insertion or removal would, so the client neither loses an order to a repeat nor
 * gets one twice after a skip.
 * @param {KaspiState} state
 * @param {RequestContext} ctx
 * @param {number} pageNumber
 */
function driftOf(state, ctx, pageNumber) {
	const listing = JSON.stringify(
		Object.entries(ctx.query)
			.filter(([name]) => name !== Q.pageNumber)
			.sort(([a], [b]) => a.localeCompare(b)),
	);
	if (pageNumber === 0) state.drift.delete(listing);
	const shift = (state.drift.get(listing) ?? 0) + (PAGE_DRIFT[ctx.fault ?? ''] ?? 0);
	if (shift === 0) state.drift.delete(listing);
	else state.drift.set(listing, shift);
	return shift;
}

/**
 * @param {KaspiState} state
 * @param {RequestContext} ctx
 * @returns {KaspiList}
 */
function listOrders(state, ctx) {
	const query = ctx.query;
	const pageNumber = requiredInteger(query, Q.pageNumber, 0);
	const pageSize = requiredInteger(query, Q.pageSize, 1);
	if (pageSize > MAX_PAGE_SIZE)
		throw apiError(400, `${Q.pageSize} must not exceed ${MAX_PAGE_SIZE}`);
	const include = parseInclude(query[Q.include]);

	const code = query[Q.code];
	// The guide uses the code filter on its own, so a lookup by code needs no date range.
	const matches =
		code !== undefined
			? state.orders.filter((order) => order.attributes.code === code)
			: state.orders.filter(orderFilter(query));
	const sorted = inListOrder(matches);
	// Position i of the drifted list is order i − shift of the list as stored.
	const shift = code === undefined ? driftOf(state, ctx, pageNumber) : 0;
	const totalCount = Math.max(0, sorted.length + shift);
	const start = Math.max(0, pageNumber * pageSize - shift);
	const page = sorted.slice(start, Math.max(start, (pageNumber + 1) * pageSize - shift));

	return {
		data: page.map((order) => orderResource(order, ctx.baseUrl, include)),
		included: includedFor(page, ctx.baseUrl, include),
		meta: { pageCount: Math.ceil(totalCount / pageSize), totalCount },
	};
}

/**
 * Kaspi promises no order for a list ("does not guarantee support for sorting"), so the emulator
 * uses one a client cannot lean on: a fixed shuffle by a hash of the order id. It is stable, so
 * the pages of one listing still fit together.
 * @param {OrderRecord[]} orders
 */
function inListOrder(orders) {
	const rank = (/** @type {OrderRecord} */ order) =>
		createHash('sha256').update(order.id).digest('hex');
	return orders
		.map((order) => ({ order, rank: rank(order) }))
		.sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0))
		.map(({ order }) => order);
}

/**
 * The creation-date window and the optional filters of `GET /orders` (docs/services/kaspi.md, Listing orders).
 * @param {Record<string, string>} query
 * @returns {(order: OrderRecord) => boolean}
 */
function orderFilter(query) {
	if (query[Q.creationFrom] === undefined) throw apiError(400, `${Q.creationFrom} is required`);
	const from = epochParam(query, Q.creationFrom);
	// The guide: the upper bound defaults to now.
	const to = query[Q.creationTo] === undefined ? Date.now() : epochParam(query, Q.creationTo);
	if (to < from) throw apiError(400, `${Q.creationTo} must not be before ${Q.creationFrom}`);
	if (to - from > MAX_WINDOW_MS) throw apiError(400, 'Maximum search period is 14 days');

	const state = enumParam(query, Q.state, ORDER_STATES);
	const status = enumParam(query, Q.status, FILTER_STATUSES);
	const deliveryType = enumParam(query, Q.deliveryType, DELIVERY_TYPES);
	// Whether Kaspi answers 400 or ignores the filter is not known; refusing is the strict reading.
	if (deliveryType !== undefined && state !== undefined && !DELIVERY_TYPE_STATES.includes(state))
		throw apiError(400, `${Q.deliveryType} cannot be used with ${Q.state}=${state}`);
	const signatureRequired = enumParam(query, Q.signatureRequired, ['true', 'false']);

	return ({ attributes }) =>
		attributes.creationDate >= from &&
		attributes.creationDate <= to &&
		(state === undefined || attributes.state === state) &&
		(status === undefined || attributes.status === status) &&
		(deliveryType === undefined || deliveryTypeOf(attributes) === deliveryType) &&
		(signatureRequired === undefined || String(attributes.signatureRequired) === signatureRequired);
}

/**
 * `PICKUP` is the buyer collecting from the merchant's point; everything else, including a Kaspi
 * Postomat, is some form of delivery.
 * @param {KaspiOrderAttributes} attributes
 */
function deliveryTypeOf(attributes) {
	return attributes.deliveryMode === 'DELIVERY_PICKUP' && !attributes.isKaspiDelivery
		? 'PICKUP'
		: 'DELIVERY';
}

/**
 * @param {Record<string, string>} query
 * @param {string} name
 * @param {number} min
 */
function requiredInteger(query, name, min) {
	const raw = query[name];
	if (raw === undefined) throw apiError(400, `${name} is required`);
	if (!/^\d+$/.test(raw) || Number(raw) < min)
		throw apiError(400, `${name} must be an integer >= ${min}`);
	return Number(raw);
}

/**
 * @param {Record<string, string>} query
 * @param {string} name
 */
function epochParam(query, name) {
	const raw = query[name];
	if (!/^\d+$/.test(raw)) throw apiError(400, `${name} must be a timestamp in milliseconds`);
	return Number(raw);
}

/**
 * One value of a known set. Comma lists are not documented, so they are refused.
 * @template {string} T
 * @param {Record<string, string>} query
 * @param {string} name
 * @param {readonly T[]} allowed
 * @returns {T | undefined}
 */
function enumParam(query, name, allowed) {
	const raw = query[name];
	if (raw === undefined) return undefined;
	const value = allowed.find((candidate) => candidate === raw);
	if (value === undefined) throw apiError(400, `${name} must be one of: ${allowed.join(', ')}`);
	return value;
}

/**
 * `include[orders]=user`, `=entries`, or both comma-separated (undocumented but harmless).
 * @param {string | undefined} raw
 * @returns {Set<string>}
 */
function parseInclude(raw) {
	if (raw === undefined || raw === '') return new Set();
	const names = raw.split(',');
	const unknown = names.filter((name) => !INCLUDABLE.includes(name));
	if (unknown.length > 0)
		throw apiError(400, `${Q.include} must be user or entries, got ${unknown.join(',')}`);
	return new Set(names);
}

/**
 * @param {KaspiState} state
 * @param {string} id
 */
function findById(state, id) {
	const order = state.orders.find((candidate) => candidate.id === id);
	if (order === undefined) throw apiError(404, `Order ${id} not found`);
	return order;
}

/**
 * @param {OrderRecord} order
 * @param {string} baseUrl
 * @param {Set<string>} include
 * @returns {KaspiResource}
 */
function orderResource(order, baseUrl, include) {
	const self = `${baseUrl}/orders/${order.id}`;
	const customer = order.attributes.customer;
	/** @type {KaspiResource} */
	const resource = {
		type: 'orders',
		id: order.id,
		attributes: structuredClone(order.attributes),
		relationships: {
			user: {
				links: { self: `${self}/relationships/user`, related: `${self}/user` },
				...(customer && { data: { type: 'customers', id: customer.id } }),
			},
			entries: {
				links: { self: `${self}/relationships/entries`, related: `${self}/entries` },
				...(include.has('entries') && {
					data: order.entries.map((entry) => ({ type: 'orderentries', id: entry.id })),
				}),
			},
		},
		links: { self },
	};
	return resource;
}

/**
 * @param {OrderRecord[]} orders
 * @param {string} baseUrl
 * @param {Set<string>} include
 * @returns {KaspiResource[]}
 */
function includedFor(orders, baseUrl, include) {
	/** @type {KaspiResource[]} */
	const included = [];
	for (const order of orders) {
		const customer = order.attributes.customer;
		if (include.has('user') && customer) {
			const { firstName, lastName, cellPhone } = customer;
			included.push({
				type: 'customers',
				id: customer.id,
				attributes: { firstName, lastName, cellPhone },
			});
		}
		if (include.has('entries')) included.push(...entryResources(order, baseUrl));
	}
	return included;
}

/**
 * @param {OrderRecord} order
 * @param {string} baseUrl
 * @returns {KaspiResource[]}
 */
function entryResources(order, baseUrl) {
	return order.entries.map((entry) => ({
		type: 'orderentries',
		id: entry.id,
		attributes: structuredClone(entry.attributes),
		relationships: {
			product: {
				data: { type: 'masterproducts', id: opaqueId(entry.attributes.offer.code) },
				links: { related: `${baseUrl}/orderentries/${entry.id}/product` },
			},
			deliveryPointOfService: {
				data: {
					type: 'pointofservices',
					id: opaqueId(order.attributes.pickupPointId ?? `${MERCHANT_ID}_PP1`),
				},
			},
		},
		links: { self: `${baseUrl}/orderentries/${entry.id}` },
	}));
}

/**
 * `POST /orders` (docs/services/kaspi.md, Accepting an order). The two-step completion code is not emulated: `COMPLETED` is
 * accepted without `X-Security-Code`.
 * @param {KaspiState} state
 * @param {unknown} body
 */
function changeStatus(state, body) {
	const data = isObject(body) ? body.data : undefined;
	if (
		!isObject(data) ||
		data.type !== 'orders' ||
		typeof data.id !== 'string' ||
		!isObject(data.attributes)
	) {
		throw apiError(
			400,
			'Body must be {"data":{"type":"orders","id":"...","attributes":{"code":"...","status":"..."}}}',
		);
	}
	const { code, status, cancellationReason, cancellationComment } = data.attributes;
	const order = findById(state, data.id);
	const attributes = order.attributes;
	if (code !== attributes.code)
		throw apiError(400, `Order code ${code} does not match order ${data.id}`);

	switch (status) {
		case 'ACCEPTED_BY_MERCHANT':
			if (attributes.status !== 'APPROVED_BY_BANK' || attributes.state !== 'NEW') {
				throw apiError(
					400,
					`Order in state ${attributes.state} with status ${attributes.status} cannot be accepted`,
				);
			}
			attributes.status = 'ACCEPTED_BY_MERCHANT';
			attributes.state = acceptedState(attributes);
			break;
		case 'CANCELLED':
			if (
				attributes.status !== 'APPROVED_BY_BANK' &&
				attributes.status !== 'ACCEPTED_BY_MERCHANT'
			) {
				throw apiError(400, `Order with status ${attributes.status} cannot be cancelled`);
			}
			if (!CANCELLATION_REASONS.includes(cancellationReason)) {
				throw apiError(
					400,
					`cancellationReason is required: one of ${CANCELLATION_REASONS.join(', ')}`,
				);
			}
			if (
				cancellationComment !== undefined &&
				String(cancellationComment).length > MAX_CANCELLATION_COMMENT
			) {
				throw apiError(
					400,
					`cancellationComment must not exceed ${MAX_CANCELLATION_COMMENT} characters`,
				);
			}
			attributes.status = 'CANCELLED';
			attributes.state = 'ARCHIVE';
			attributes.cancellationReason = cancellationReason;
			break;
		case 'COMPLETED':
			// The documented titles (docs/services/kaspi.md, Errors) for the cases they cover.
			if (attributes.status === 'CANCELLED')
				throw apiError(400, "Order is cancelled, so it can't be completed.");
			if (attributes.status === 'COMPLETED') {
				throw apiError(400, "Order already has been completed, so it can't be completed again.");
			}
			if (attributes.status !== 'ACCEPTED_BY_MERCHANT')
				throw apiError(400, 'Order is not may complete allowed');
			attributes.status = 'COMPLETED';
			attributes.state = 'ARCHIVE';
			attributes.completionDate = Date.now();
			break;
		default:
			throw apiError(
				400,
				`Status change to ${status} is not supported; use ACCEPTED_BY_MERCHANT, CANCELLED or COMPLETED`,
			);
	}
	return order;
}

/**
 * The tab an accepted order moves to: Kaspi Delivery (including Postomat) has its own tab;
 * otherwise pickup or the merchant's delivery.
 * @param {{ deliveryMode: DeliveryMode, isKaspiDelivery: boolean }} delivery
 * @returns {OrderState}
 */
function acceptedState(delivery) {
	if (delivery.isKaspiDelivery) return 'KASPI_DELIVERY';
	return delivery.deliveryMode === 'DELIVERY_PICKUP' ? 'PICKUP' : 'DELIVERY';
}

// ---------------------------------------------------------------------------------------------
// Control routes

/** @param {KaspiState} state */
function controlRoutes(state) {
	return new Router()
		.on('GET', '/orders', () => json(sortedByCreation(state.orders).map(flatOrder)))
		.on('POST', '/orders', (ctx) => {
			const body = ctx.body ?? {};
			if (!isObject(body)) throw controlError('Body must be a JSON object');
			const { count = 0, orders: specs = [] } = body;
			if (!Number.isInteger(count) || count < 0)
				throw controlError('count must be a non-negative integer');
			if (!Array.isArray(specs)) throw controlError('orders must be an array');
			const created = [...Array.from({ length: count }, () => ({})), ...specs].map((spec) => {
				const order = buildOrder(checkSpec(spec, state), state.random, Date.now());
				state.orders.push(order);
				return order;
			});
			return json(created.map(flatOrder), 201);
		})
		.on('PATCH', '/orders/:code', (ctx) => {
			const order = state.orders.find((candidate) => candidate.attributes.code === ctx.params.code);
			if (order === undefined) throw controlError(`No order with code ${ctx.params.code}`, 404);
			patchOrder(order, ctx.body, state.random);
			return json(flatOrder(order));
		});
}

/**
 * The compact view the control API returns: what a test needs to assert, without JSON:API.
 * @param {OrderRecord} order
 */
function flatOrder(order) {
	const a = order.attributes;
	return {
		id: order.id,
		code: a.code,
		state: a.state,
		status: a.status,
		creationDate: a.creationDate,
		totalPrice: a.totalPrice,
		paymentMode: a.paymentMode,
		deliveryMode: a.deliveryMode,
		isKaspiDelivery: a.isKaspiDelivery,
		customer: a.customer && {
			firstName: a.customer.firstName,
			lastName: a.customer.lastName,
			cellPhone: a.customer.cellPhone,
		},
		entries: order.entries.map(({ attributes: e }) => ({
			sku: e.offer.code,
			name: e.offer.name,
			quantity: e.quantity,
			basePrice: e.basePrice,
			totalPrice: e.totalPrice,
		})),
		...(a.cancellationReason !== undefined && { cancellationReason: a.cancellationReason }),
	};
}

/** @param {OrderRecord[]} orders */
function sortedByCreation(orders) {
	return [...orders].sort((a, b) => a.attributes.creationDate - b.attributes.creationDate);
}

/**
 * @param {unknown} spec
 * @param {KaspiState} state
 * @returns {OrderSpec}
 */
function checkSpec(spec, state) {
	if (!isObject(spec)) throw controlError('Each order spec must be an object');
	const {
		code,
		state: orderState,
		status,
		creationDate,
		customer,
		entries,
		deliveryMode,
		isKaspiDelivery,
		paymentMode,
	} = spec;
	if (code !== undefined) {
		if (typeof code !== 'string' || !/^\d+$/.test(code))
			throw controlError('code must be a string of digits');
		if (state.orders.some((order) => order.attributes.code === code))
			throw controlError(`Order code ${code} already exists`, 409);
	}
	checkEnum('state', orderState, ORDER_STATES);
	checkEnum('status', status, ORDER_STATUSES);
	checkEnum('deliveryMode', deliveryMode, DELIVERY_MODES);
	checkEnum('paymentMode', paymentMode, ['PAY_WITH_CREDIT', 'PREPAID']);
	if (creationDate !== undefined && !Number.isInteger(creationDate))
		throw controlError('creationDate must be epoch milliseconds');
	if (isKaspiDelivery !== undefined && typeof isKaspiDelivery !== 'boolean')
		throw controlError('isKaspiDelivery must be a boolean');
	if (customer !== undefined && customer !== null && !isObject(customer))
		throw controlError('customer must be an object or null');
	if (entries !== undefined) {
		const valid =
			Array.isArray(entries) &&
			entries.length > 0 &&
			entries.every(
				(entry) =>
					isObject(entry) &&
					typeof entry.sku === 'string' &&
					typeof entry.name === 'string' &&
					typeof entry.basePrice === 'number' &&
					(entry.quantity === undefined ||
						(Number.isInteger(entry.quantity) && entry.quantity > 0)),
			);
		if (!valid)
			throw controlError('entries must be a non-empty array of {sku, name, basePrice, quantity?}');
	}
	return spec;
}

/**
 * @param {string} name
 * @param {unknown} value
 * @param {readonly string[]} allowed
 */
function checkEnum(name, value, allowed) {
	if (value !== undefined && !allowed.includes(/** @type {string} */ (value))) {
		throw controlError(`${name} must be one of: ${allowed.join(', ')}`);
	}
}

/**
 * `PATCH /_control/kaspi/orders/{code}`: moves an order as if it changed in the seller cabinet.
 * @param {OrderRecord} order
 * @param {unknown} body
 * @param {Random} random
 */
function patchOrder(order, body, random) {
	if (!isObject(body)) throw controlError('Body must be a JSON object');
	const { state, status, cancellationReason, customer } = body;
	checkEnum('state', state, ORDER_STATES);
	checkEnum('status', status, ORDER_STATUSES);
	if (customer !== undefined && customer !== null && !isObject(customer))
		throw controlError('customer must be an object or null');
	const attributes = order.attributes;
	if (state !== undefined) attributes.state = state;
	if (status !== undefined) attributes.status = status;
	if (typeof cancellationReason === 'string') attributes.cancellationReason = cancellationReason;
	if (customer === null) attributes.customer = null;
	else if (customer !== undefined) {
		const current = attributes.customer ?? {
			id: customerId(null, random),
			name: null,
			firstName: null,
			lastName: null,
			cellPhone: null,
		};
		attributes.customer = { ...current, ...pickCustomerFields(customer) };
	}
}

/** @param {Record<string, any>} customer */
function pickCustomerFields(customer) {
	/** @type {Partial<KaspiCustomer>} */
	const fields = {};
	for (const name of /** @type {const} */ (['firstName', 'lastName', 'cellPhone'])) {
		if (name in customer) fields[name] = customer[name];
	}
	return fields;
}

// ---------------------------------------------------------------------------------------------
// Order generation

/**
 * @param {Random} random
 * @param {number} now
 * @returns {OrderRecord[]}
 */
function seedOrders(random, now) {
	return SEED_ORDERS.map((seed) => {
		const [firstName, lastName] = seed.buyer;
		const jitterMs = random.int(0, 50) * 60_000;
		/** @type {OrderSpec} */
		const spec = {
			state: seed.state,
			status: seed.status,
			creationDate: Math.round(now - seed.daysAgo * DAY_MS - jitterMs),
			customer: { firstName, lastName, cellPhone: seedPhone(seed.phone, random) },
			cancellationReason: seed.cancellationReason,
			...DELIVERY_PROFILES[seed.delivery],
		};
		return buildOrder(spec, random, now);
	});
}

/**
 * @param {'masked' | 'none' | 'notOnWhatsApp' | undefined} kind
 * @param {Random} random
 */
function seedPhone(kind, random) {
	switch (kind) {
		case 'masked':
			return MASKED_PHONE;
		case 'none':
			return null;
		case 'notOnWhatsApp':
			// The WAHA emulator treats numbers ending in 00 as not registered on WhatsApp.
			return `${random.pick(MOBILE_PREFIXES)}${random.digits(5)}00`;
		default:
			return randomPhone(random);
	}
}

/**
 * Kaspi's 10-digit form without the country code. Never ends in 00, so it is on WhatsApp.
 * @param {Random} random
 */
function randomPhone(random) {
	return `${random.pick(MOBILE_PREFIXES)}${random.digits(5)}${random.int(1, 9)}${random.digits(1)}`;
}

/**
 * Fills every attribute the spec leaves out, consistently with the ones it sets.
 * @param {OrderSpec} spec
 * @param {Random} random
 * @param {number} now
 * @returns {OrderRecord}
 */
function buildOrder(spec, random, now) {
	const code = spec.code ?? `${random.int(1, 9)}${random.digits(8)}`;
	const creationDate = spec.creationDate ?? now;
	const delivery = deliveryOf(spec, random);
	const status = spec.status ?? defaultStatus(spec.state);
	const state = spec.state ?? defaultState(status, delivery);
	const paymentMode = spec.paymentMode ?? (random.next() < 0.4 ? 'PAY_WITH_CREDIT' : 'PREPAID');
	const deliveryCost =
		delivery.deliveryMode === 'DELIVERY_PICKUP' && !delivery.isKaspiDelivery
			? 0
			: random.pick([0, 990, 1490]);

	const entrySpecs = spec.entries ?? randomEntries(random);
	const entries = entrySpecs.map((entry, entryNumber) => {
		const quantity = entry.quantity ?? 1;
		const product = PRODUCTS.find((candidate) => candidate.sku === entry.sku);
		const [categoryCode, categoryTitle] = product?.category ?? ['Master - Other', 'Другое'];
		return {
			id: opaqueId(`${code}##${entryNumber}`),
			/** @type {KaspiEntryAttributes} */
			attributes: {
				entryNumber,
				quantity,
				basePrice: entry.basePrice,
				totalPrice: entry.basePrice * quantity,
				deliveryCost: 0,
				weight: product?.weight ?? 0,
				unitType: 'PIECES',
				category: { code: categoryCode, title: categoryTitle },
				offer: { code: entry.sku, name: entry.name },
				isImeiRequired: false,
			},
		};
	});

	/** @type {KaspiOrderAttributes} */
	const attributes = {
		code,
		totalPrice: entries.reduce((sum, entry) => sum + entry.attributes.totalPrice, 0),
		paymentMode,
		creationDate,
		approvedByBankDate: creationDate + random.int(5, 90) * 1000,
		plannedDeliveryDate:
			delivery.deliveryMode === 'DELIVERY_PICKUP' && !delivery.isKaspiDelivery
				? null
				: creationDate + 2 * DAY_MS,
		reservationDate: creationDate + 3 * DAY_MS,
		deliveryCostForSeller: deliveryCost,
		deliveryCost,
		isKaspiDelivery: delivery.isKaspiDelivery,
		deliveryMode: delivery.deliveryMode,
		signatureRequired: state === 'SIGN_REQUIRED',
		creditTerm: paymentMode === 'PAY_WITH_CREDIT' ? random.pick([3, 6, 12, 24]) : 0,
		preOrder: false,
		pickupPointId: `${MERCHANT_ID}_PP1`,
		state,
		status,
		customer: buildCustomer(spec.customer, random),
		deliveryAddress: delivery.deliveryMode === 'DELIVERY_LOCAL' ? randomAddress(random) : null,
		assembled: false,
	};
	if (status === 'CANCELLED')
		attributes.cancellationReason = spec.cancellationReason ?? 'BUYER_CANCELLATION_BY_MERCHANT';
	if (status === 'COMPLETED')
		attributes.completionDate = Math.min(creationDate + random.int(1, 3) * DAY_MS, now);

	return { id: opaqueId(`${code}:${random.digits(3)}`), attributes, entries };
}

/**
 * @param {OrderSpec} spec
 * @param {Random} random
 */
function deliveryOf(spec, random) {
	if (spec.deliveryMode !== undefined) {
		return {
			deliveryMode: spec.deliveryMode,
			isKaspiDelivery: spec.isKaspiDelivery ?? spec.deliveryMode === 'DELIVERY_REGIONAL_TODOOR',
		};
	}
	if (spec.state === 'PICKUP') return DELIVERY_PROFILES.pickup;
	if (spec.state === 'DELIVERY') return DELIVERY_PROFILES.ownDelivery;
	if (spec.state === 'KASPI_DELIVERY') return DELIVERY_PROFILES.kaspiDelivery;
	const profile = random.pick(
		/** @type {const} */ (['pickup', 'pickup', 'ownDelivery', 'kaspiDelivery', 'postomat']),
	);
	return {
		...DELIVERY_PROFILES[profile],
		...(spec.isKaspiDelivery !== undefined && { isKaspiDelivery: spec.isKaspiDelivery }),
	};
}

/**
 * @param {OrderState | undefined} state
 * @returns {OrderStatus}
 */
function defaultStatus(state) {
	switch (state) {
		case 'PICKUP':
		case 'DELIVERY':
		case 'KASPI_DELIVERY':
			return 'ACCEPTED_BY_MERCHANT';
		case 'ARCHIVE':
			return 'COMPLETED';
		default:
			return 'APPROVED_BY_BANK';
	}
}

/**
 * @param {OrderStatus} status
 * @param {{ deliveryMode: DeliveryMode, isKaspiDelivery: boolean }} delivery
 * @returns {OrderState}
 */
function defaultState(status, delivery) {
	switch (status) {
		case 'APPROVED_BY_BANK':
			return 'NEW';
		case 'COMPLETED':
		case 'CANCELLED':
		case 'RETURNED':
			return 'ARCHIVE';
		default:
			return acceptedState(delivery);
	}
}

/**
 * @param {OrderSpec['customer']} spec
 * @param {Random} random
 * @returns {KaspiCustomer | null}
 */
function buildCustomer(spec, random) {
	if (spec === null) return null;
	const [firstName, lastName] = random.pick(BUYER_NAMES);
	const cellPhone = spec && 'cellPhone' in spec ? (spec.cellPhone ?? null) : randomPhone(random);
	return {
		id: customerId(cellPhone, random),
		name: null,
		cellPhone,
		firstName: spec?.firstName ?? firstName,
		lastName: spec?.lastName ?? lastName,
	};
}

/**
 * Observed customer ids decode to a phone-like number (docs/services/kaspi.md, Orders); a masked or absent phone
 * still gets one.
 * @param {string | null} cellPhone
 * @param {Random} random
 */
function customerId(cellPhone, random) {
	return opaqueId(
		cellPhone !== null && /^\d{10}$/.test(cellPhone) ? cellPhone : `7${random.digits(9)}`,
	);
}

/** @param {Random} random */
function randomEntries(random) {
	return Array.from({ length: random.int(1, 2) }, () => {
		const product = random.pick(PRODUCTS);
		return {
			sku: product.sku,
			name: product.name,
			basePrice: product.price,
			quantity: product.price < 10000 ? random.int(1, 3) : 1,
		};
	});
}

/** @param {Random} random */
function randomAddress(random) {
	const streetName = random.pick(ALMATY_STREETS);
	const streetNumber = String(random.int(1, 180));
	const apartment = String(random.int(1, 120));
	return {
		streetName,
		streetNumber,
		town: 'Алматы',
		district: null,
		building: null,
		apartment,
		formattedAddress: `Алматы, ${streetName}, ${streetNumber}, кв. ${apartment}`,
		latitude: 43.2 + random.int(0, 600) / 10000,
		longitude: 76.85 + random.int(0, 900) / 10000,
	};
}

/**
 * Kaspi ids are unpadded base64 of internal keys (docs/services/kaspi.md, Orders); URL-safe here so an id is
 * always one path segment.
 * @param {string} key
 */
function opaqueId(key) {
	return Buffer.from(key).toString('base64url');
}

import type { IDataObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import {
	apiRequest,
	type ApiContext,
	type ApiRequest,
	type ServiceProfile,
} from '../../shared/http';
import { maskPhonesInText } from '../../shared/phone';
import { resourceList, resourceObject, toKaspiOrder, type KaspiOrder } from '../helpers/mapper';
import {
	DELIVERY_TYPE_STATES,
	FILTERABLE_STATUSES,
	MAX_PAGE_SIZE,
	MAX_WINDOW_MS,
	ORDER_QUERY,
	type DeliveryType,
	type KaspiEntryResource,
	type KaspiErrorBody,
	type KaspiListResponse,
	type KaspiOrderResource,
	type KaspiSingleResponse,
	type KaspiStatusChangeBody,
	type OrderState,
	type OrderStatus,
} from './types';

const KASPI_CREDENTIAL = 'kaspiApi';
const KASPI_PRODUCTION_URL = 'https://kaspi.kz/shop/api/v2';
export const DEFAULT_TIMEOUT_SECONDS = 30;

const JSON_API = 'application/vnd.api+json';

function firstErrorTitle(body: unknown): string | undefined {
	const errors = (body as KaspiErrorBody | undefined)?.errors;
	const title = Array.isArray(errors) ? errors[0]?.title : undefined;
	return typeof title === 'string' ? maskPhonesInText(title).slice(0, 300) : undefined;
}

function kaspiProfile(timeoutSeconds = DEFAULT_TIMEOUT_SECONDS): ServiceProfile {
	return {
		service: 'Kaspi',
		credentialType: KASPI_CREDENTIAL,
		timeoutMs: timeoutSeconds * 1000,
		retries: 3,
		backoffMs: 1000,
		headers: { Accept: JSON_API, 'Content-Type': JSON_API },
		describeFailure(statusCode, body) {
			const title = firstErrorTitle(body);
			if (statusCode === 401) {
				return {
					message: 'Kaspi rejected the API token',
					description:
						'Generate a token in the Kaspi seller cabinet (Settings → API token) and paste it into the Kaspi Shop API credential.',
				};
			}
			if (statusCode === 403) {
				return {
					message: 'Kaspi refused access to the Shop API',
					description:
						title ??
						'Check that API access is enabled for the shop and that the token belongs to the head of the company.',
				};
			}
			if (statusCode === 404) {
				return { message: 'Kaspi has no such order', description: title };
			}
			if (statusCode >= 500) {
				return {
					message: `Kaspi answered ${statusCode}`,
					description: 'The Kaspi Shop API failed on every retry. The next run will try again.',
				};
			}
			return { message: title ? `Kaspi: ${title}` : `Kaspi answered ${statusCode}` };
		},
	};
}

export interface KaspiCallOptions {
	timeoutSeconds?: number;
	itemIndex?: number;
}

async function kaspiRequest<T>(
	context: ApiContext,
	request: ApiRequest,
	options: KaspiCallOptions = {},
): Promise<T> {
	const credentials = await context.getCredentials(KASPI_CREDENTIAL, options.itemIndex);
	const baseUrl = (credentials.baseUrl as string) || KASPI_PRODUCTION_URL;
	const response = await apiRequest<T>(context, kaspiProfile(options.timeoutSeconds), baseUrl, {
		...request,
		itemIndex: options.itemIndex,
	});
	return response.body;
}

/** Splits [from, to] into consecutive inclusive windows no longer than the API allows. */
function splitWindows(
	from: number,
	to: number,
	maxWindow = MAX_WINDOW_MS,
): Array<[number, number]> {
	const windows: Array<[number, number]> = [];
	for (let start = from; start <= to; start += maxWindow) {
		windows.push([start, Math.min(start + maxWindow - 1, to)]);
	}
	return windows;
}

interface OrderListQuery {
	/** Creation-date range, epoch milliseconds, inclusive. */
	from: number;
	to: number;
	/**
	 * States to query, one request series per state: the guide calls the state filter mandatory
	 * and comma lists are unverified (docs/services/kaspi.md), so we never rely on either.
	 */
	states: OrderState[];
	/** Always kept client-side too; the API takes one status value, and only the guide's. */
	statuses?: OrderStatus[];
	/** Sent only with the states the guide allows it with; always kept client-side too. */
	deliveryType?: DeliveryType;
	includeEntries: boolean;
	/** Stop after this many orders; undefined walks every page of every window. */
	limit?: number;
}

function entriesOf(
	order: KaspiOrderResource,
	included: unknown[],
): KaspiEntryResource[] | undefined {
	const refs: unknown = order.relationships?.entries?.data;
	if (!Array.isArray(refs)) return undefined;
	const byId = new Map(
		included
			.filter(
				(resource): resource is KaspiEntryResource =>
					(resource as KaspiEntryResource | null)?.type === 'orderentries',
			)
			.map((entry) => [entry.id, entry]),
	);
	return refs
		.map((ref) => byId.get((ref as { id?: string } | null)?.id as string))
		.filter((entry): entry is KaspiEntryResource => entry !== undefined);
}

/**
 * The pages of one Kaspi list, `page[number]` 0 up to `meta.pageCount` − 1. It also stops on an
 * empty page, and when `meta` is absent, since a page count it cannot read must not loop forever.
 */
async function* pagesOf<T>(
	context: ApiContext,
	path: string,
	qs: IDataObject,
	options: KaspiCallOptions,
): AsyncGenerator<{ data: unknown[]; response: KaspiListResponse<T> | undefined }> {
	for (let page = 0; ; page++) {
		const response = await kaspiRequest<KaspiListResponse<T> | undefined>(
			context,
			{ method: 'GET', path, qs: { [ORDER_QUERY.pageNumber]: page, ...qs } },
			options,
		);
		const data = resourceList(response?.data, 'data');
		yield { data, response };
		if (!data.length || page + 1 >= (response?.meta?.pageCount ?? 0)) return;
	}
}

/**
 * The delivery type Kaspi's `deliveryType` filter stands for: the buyer collecting the order at the
 * shop's point is PICKUP; any delivery, a Kaspi Postomat included, is DELIVERY
 * (docs/services/kaspi.md, Delivery type).
 */
export function deliveryTypeOf(order: KaspiOrder): DeliveryType {
	return order.deliveryMode === 'DELIVERY_PICKUP' && !order.isKaspiDelivery ? 'PICKUP' : 'DELIVERY';
}

/**
 * Lists orders over any creation-date range: splits it into 14-day windows, queries each state,
 * walks the pages, and drops the duplicates a moving list can produce. Kaspi promises no order
 * for the list, so nothing here depends on it. Status and delivery type are checked on every
 * order: Kaspi refuses the filters it does not document, and may ignore the ones it does.
 */
export async function listOrders(
	context: ApiContext,
	query: OrderListQuery,
	options: KaspiCallOptions = {},
): Promise<KaspiOrder[]> {
	const found = new Map<string, KaspiOrder>();
	const singleStatus = query.statuses?.length === 1 ? query.statuses[0] : undefined;
	const sentStatus =
		singleStatus && FILTERABLE_STATUSES.includes(singleStatus) ? singleStatus : undefined;
	const wantedStatuses = query.statuses?.length ? new Set<string>(query.statuses) : undefined;
	const pageSize =
		query.limit !== undefined ? Math.min(MAX_PAGE_SIZE, Math.max(1, query.limit)) : MAX_PAGE_SIZE;

	for (const [from, to] of splitWindows(query.from, query.to)) {
		for (const state of query.states) {
			const qs: IDataObject = {
				[ORDER_QUERY.pageSize]: pageSize,
				[ORDER_QUERY.creationFrom]: from,
				[ORDER_QUERY.creationTo]: to,
				[ORDER_QUERY.state]: state,
			};
			if (sentStatus) qs[ORDER_QUERY.status] = sentStatus;
			if (query.deliveryType && DELIVERY_TYPE_STATES.includes(state)) {
				qs[ORDER_QUERY.deliveryType] = query.deliveryType;
			}
			if (query.includeEntries) qs[ORDER_QUERY.include] = 'entries';

			for await (const { data, response } of pagesOf<KaspiOrderResource>(
				context,
				'/orders',
				qs,
				options,
			)) {
				const included = query.includeEntries ? resourceList(response?.included, 'included') : [];
				for (const item of data) {
					const resource = resourceObject<KaspiOrderResource>(item, 'an order');
					const entries = query.includeEntries ? entriesOf(resource, included) : undefined;
					const order = toKaspiOrder(resource, entries);
					if (wantedStatuses && !wantedStatuses.has(order.status)) continue;
					if (query.deliveryType && deliveryTypeOf(order) !== query.deliveryType) continue;
					found.set(order.id, order);
					if (query.limit !== undefined && found.size >= query.limit) return [...found.values()];
				}
			}
		}
	}
	return [...found.values()];
}

/** Every line of an order, 100 a page, so an order with many lines is never cut short. */
export async function getOrderEntries(
	context: ApiContext,
	orderId: string,
	options: KaspiCallOptions = {},
): Promise<KaspiEntryResource[]> {
	const entries: KaspiEntryResource[] = [];
	const path = `/orders/${encodeURIComponent(orderId)}/entries`;
	const qs = { [ORDER_QUERY.pageSize]: MAX_PAGE_SIZE };
	for await (const { data } of pagesOf<KaspiEntryResource>(context, path, qs, options)) {
		entries.push(...(data as KaspiEntryResource[]));
	}
	return entries;
}

export async function getOrderById(
	context: ApiContext,
	orderId: string,
	options: KaspiCallOptions = {},
): Promise<KaspiOrder> {
	const response = await kaspiRequest<KaspiSingleResponse<KaspiOrderResource>>(
		context,
		{ method: 'GET', path: `/orders/${encodeURIComponent(orderId)}` },
		options,
	);
	const resource = resourceObject<KaspiOrderResource>(response?.data, 'an order');
	const entries = await getOrderEntries(context, String(resource.id), options);
	return toKaspiOrder(resource, entries);
}

/** The order with this human code, or undefined; the code filter is used alone (docs/services/kaspi.md). */
export async function findOrderByCode(
	context: ApiContext,
	code: string,
	options: KaspiCallOptions = {},
): Promise<KaspiOrder | undefined> {
	const response = await kaspiRequest<KaspiListResponse<KaspiOrderResource>>(
		context,
		{
			method: 'GET',
			path: '/orders',
			qs: { [ORDER_QUERY.pageNumber]: 0, [ORDER_QUERY.pageSize]: 1, [ORDER_QUERY.code]: code },
		},
		options,
	);
	const [first] = resourceList(response?.data, 'data');
	if (first === undefined) return undefined;
	const resource = resourceObject<KaspiOrderResource>(first, 'an order');
	const entries = await getOrderEntries(context, String(resource.id), options);
	return toKaspiOrder(resource, entries);
}

/**
 * Moves an order to ACCEPTED_BY_MERCHANT. A status change is not idempotent on Kaspi's side, so
 * it is never retried blindly: after a timeout the order is read again to learn what happened.
 * Kaspi answers a change with the code and the new status only (docs/services/kaspi.md, Accepting
 * an order), so the order is read again for the state it moved to. Should that read fail, the
 * accept still happened: the order read before is returned with the new status.
 */
export async function acceptOrder(
	context: ApiContext,
	order: KaspiOrder,
	options: KaspiCallOptions = {},
): Promise<KaspiOrder> {
	const body: KaspiStatusChangeBody = {
		data: {
			type: 'orders',
			id: order.id,
			attributes: { code: order.code, status: 'ACCEPTED_BY_MERCHANT' },
		},
	};
	let answer: KaspiSingleResponse<Partial<KaspiOrderResource>> | undefined;
	try {
		answer = await kaspiRequest<KaspiSingleResponse<Partial<KaspiOrderResource>>>(
			context,
			{ method: 'POST', path: '/orders', body: body as unknown as IDataObject, idempotent: false },
			options,
		);
	} catch (error) {
		const failure =
			error instanceof NodeApiError
				? error
				: new NodeApiError(context.getNode(), { message: String(error) });
		const reread = await findOrderByCode(context, order.code, options).catch(() => undefined);
		if (reread?.status === 'ACCEPTED_BY_MERCHANT') return reread;
		if (!reread) {
			failure.description =
				`${failure.description ?? ''} Whether Kaspi accepted order ${order.code} is unknown: check it in the seller cabinet before accepting it again.`.trim();
		}
		throw failure;
	}
	const answered = answer?.data?.attributes?.status;
	const status = typeof answered === 'string' && answered ? answered : 'ACCEPTED_BY_MERCHANT';
	const reread = await findOrderByCode(context, order.code, options).catch(() => undefined);
	return reread?.status === status ? reread : { ...order, status };
}

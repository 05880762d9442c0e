/**
 * A small in-memory Kaspi Shop API on nock, strict where the real one is (docs/services/kaspi.md):
 * page parameters and a creation-date range of at most 14 days on every list call, the code filter
 * used alone, `deliveryType` refused with the delivery states, only the guide's statuses as a
 * filter, `include[orders]=entries` putting the lines into `included`, entries in pages (20 when
 * none is asked for), accepting only a NEW order in APPROVED_BY_BANK, and a status change answered
 * with code and status only. Every request it receives is recorded.
 */
import nock from 'nock';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { Kaspi } from '../../nodes/Kaspi/Kaspi.node';
import type {
	DeliveryMode,
	KaspiEntryResource,
	KaspiOrderResource,
	OrderState,
	OrderStatus,
} from '../../nodes/Kaspi/transport/types';
import { fakeContext, type FakeContextOptions } from './context';
import { recordRequest, type RecordedRequest, useNock } from './http';

export const KASPI_PRODUCTION = 'https://kaspi.kz/shop/api/v2';
export const KASPI_TOKEN = 'dummy-kaspi-token-5e0d2b';
export const JSON_API = 'application/vnd.api+json';
export const HOUR = 60 * 60 * 1000;
export const DAY = 24 * HOUR;
/** 2026-11-22 09:00 in Almaty. */
export const NOW = Date.UTC(2026, 10, 22, 4, 0, 0);

export interface FakeEntry {
	sku: string;
	name: string;
	quantity: number;
	basePrice: number;
}

export interface FakeOrder {
	id: string;
	code: string;
	state: OrderState;
	status: OrderStatus;
	creationDate: number;
	totalPrice: number;
	deliveryMode: DeliveryMode;
	cellPhone: string | null;
	isKaspiDelivery: boolean;
	firstName: string | null;
	lastName: string | null;
	entries: FakeEntry[];
}

export function fakeOrder(
	code: string,
	creationDate: number,
	overrides: Partial<FakeOrder> = {},
): FakeOrder {
	return {
		id: `ID${code}`,
		code,
		state: 'NEW',
		status: 'APPROVED_BY_BANK',
		creationDate,
		totalPrice: 15990,
		deliveryMode: 'DELIVERY_LOCAL',
		isKaspiDelivery: false,
		cellPhone: '7011234567',
		firstName: 'Aigerim',
		lastName: 'Nurlanova',
		entries: [{ sku: `SKU-${code}`, name: 'Kettle', quantity: 1, basePrice: 15990 }],
		...overrides,
	};
}

/** `count` orders with consecutive codes from `firstCode`, one minute apart from `start`. */
export function fakeOrders(
	count: number,
	firstCode: number,
	start: number,
	overrides: Partial<FakeOrder> = {},
) {
	return Array.from({ length: count }, (_, index) =>
		fakeOrder(String(firstCode + index), start + index * 60_000, overrides),
	);
}

export function entryResources(order: FakeOrder): KaspiEntryResource[] {
	return order.entries.map((entry, index) => ({
		type: 'orderentries',
		id: `${order.id}E${index}`,
		attributes: {
			entryNumber: index,
			quantity: entry.quantity,
			basePrice: entry.basePrice,
			totalPrice: entry.basePrice * entry.quantity,
			category: { code: 'Master - Kettles', title: 'Kettles' },
			offer: { code: entry.sku, name: entry.name },
		},
	}));
}

export function orderResource(order: FakeOrder, withEntryRefs = false): KaspiOrderResource {
	const entriesLink = { self: `${KASPI_PRODUCTION}/orders/${order.id}/relationships/entries` };
	return {
		type: 'orders',
		id: order.id,
		attributes: {
			code: order.code,
			totalPrice: order.totalPrice,
			paymentMode: 'PREPAID',
			creationDate: order.creationDate,
			isKaspiDelivery: order.isKaspiDelivery,
			deliveryMode: order.deliveryMode,
			signatureRequired: false,
			preOrder: false,
			state: order.state,
			status: order.status,
			customer: {
				id: 'Q1VTVA',
				name: null,
				cellPhone: order.cellPhone,
				firstName: order.firstName,
				lastName: order.lastName,
			},
			deliveryAddress: { formattedAddress: 'Almaty, Abay Ave 10' },
		},
		relationships: {
			entries: withEntryRefs
				? {
						links: entriesLink,
						data: entryResources(order).map(({ type, id }) => ({ type, id })),
					}
				: { links: entriesLink },
		},
		links: { self: `${KASPI_PRODUCTION}/orders/${order.id}` },
	};
}

/** A JSON:API list page as Kaspi sends it. */
export function listPage(orders: FakeOrder[], pageCount: number, withEntries = false) {
	return {
		data: orders.map((order) => orderResource(order, withEntries)),
		included: withEntries ? orders.flatMap(entryResources) : [],
		meta: { pageCount, totalCount: orders.length },
	};
}

type Reply = [number, unknown];
const errorBody = (title: string) => ({ errors: [{ title }] });

/** The states the guide allows `deliveryType` with. */
const DELIVERY_TYPE_STATES = ['NEW', 'SIGN_REQUIRED', 'ARCHIVE'];
/** Entries per page when the client asks for no page size. */
export const DEFAULT_ENTRIES_PAGE_SIZE = 20;

/** The delivery type Kaspi's filter matches: the buyer collecting from the shop is PICKUP. */
export function deliveryTypeOf(order: FakeOrder): 'PICKUP' | 'DELIVERY' {
	return order.deliveryMode === 'DELIVERY_PICKUP' && !order.isKaspiDelivery ? 'PICKUP' : 'DELIVERY';
}

export class FakeKaspi {
	readonly requests: RecordedRequest[] = [];

	/** Answers before the emulator when it returns a reply; `'hang'` never answers. */
	intercept?: (request: RecordedRequest) => Reply | 'hang' | undefined;

	constructor(
		public orders: FakeOrder[] = [],
		readonly baseUrl = KASPI_PRODUCTION,
	) {
		const url = new URL(baseUrl);
		const prefix = url.pathname.replace(/\/+$/, '');
		const requests = this.requests;
		const respond = (request: RecordedRequest) =>
			this.intercept?.(request) ?? this.answer(request, prefix);
		const handle = function (this: nock.ReplyFnContext, _uri: string, body: nock.Body) {
			const request = recordRequest(this.req, body);
			requests.push(request);
			const answer = respond(request);
			return answer === 'hang' ? new Promise<Reply>(() => undefined) : answer;
		};
		const scope = nock(url.origin).persist();
		scope.get(/.*/).query(true).reply(handle);
		scope.post(/.*/).query(true).reply(handle);
	}

	/** Requests to `GET /orders` without the code filter, i.e. the list calls. */
	get listCalls(): RecordedRequest[] {
		return this.requests.filter(
			(request) =>
				request.method === 'GET' &&
				/\/orders$/.test(request.path) &&
				!request.query['filter[orders][code]'],
		);
	}

	get posts(): RecordedRequest[] {
		return this.requests.filter((request) => request.method === 'POST');
	}

	byCode(code: string): FakeOrder | undefined {
		return this.orders.find((order) => order.code === code);
	}

	private answer(request: RecordedRequest, prefix: string): Reply {
		if (request.headers['x-auth-token'] !== KASPI_TOKEN) return [401, errorBody('Unauthorized')];
		const path = request.path.startsWith(prefix) ? request.path.slice(prefix.length) : request.path;
		if (request.method === 'POST' && path === '/orders') return this.changeStatus(request.body);
		if (path === '/orders') return this.list(request.query);
		const single = /^\/orders\/([^/]+)(\/entries)?$/.exec(path);
		const order = single && this.orders.find((candidate) => candidate.id === single[1]);
		if (!order) return [404, errorBody('Not found')];
		if (single[2]) return this.entries(order, request.query);
		return [200, { data: orderResource(order), included: [] }];
	}

	private entries(order: FakeOrder, query: Record<string, string>): Reply {
		const number = Number(query['page[number]'] ?? 0);
		const size = Number(query['page[size]'] ?? DEFAULT_ENTRIES_PAGE_SIZE);
		if (!validPage(number, size)) return [400, errorBody('Invalid page parameters')];
		const all = entryResources(order);
		return [
			200,
			{
				data: all.slice(number * size, (number + 1) * size),
				included: [],
				meta: { pageCount: Math.ceil(all.length / size), totalCount: all.length },
			},
		];
	}

	private list(query: Record<string, string>): Reply {
		const number = Number(query['page[number]']);
		const size = Number(query['page[size]']);
		if (!validPage(number, size)) return [400, errorBody('Invalid page parameters')];
		let found: FakeOrder[];
		const code = query['filter[orders][code]'];
		if (code !== undefined) {
			found = this.orders.filter((order) => order.code === code);
		} else {
			const from = Number(query['filter[orders][creationDate][$ge]']);
			const to = Number(query['filter[orders][creationDate][$le]']);
			if (!Number.isFinite(from) || !Number.isFinite(to) || to - from > 14 * DAY) {
				return [400, errorBody('Creation date range is required and is limited to 14 days')];
			}
			const state = query['filter[orders][state]'];
			const status = query['filter[orders][status]'];
			const deliveryType = query['filter[orders][deliveryType]'];
			// An order may carry this status, but the guide's list of status filters does not have it.
			if (status === 'RETURN_ACCEPTED_BY_MERCHANT') {
				return [400, errorBody(`Unknown status ${status}`)];
			}
			if (deliveryType && state && !DELIVERY_TYPE_STATES.includes(state)) {
				return [400, errorBody(`deliveryType cannot be used with state ${state}`)];
			}
			found = this.orders.filter(
				(order) =>
					order.creationDate >= from &&
					order.creationDate <= to &&
					(!state || order.state === state) &&
					(!status || order.status === status) &&
					(!deliveryType || deliveryTypeOf(order) === deliveryType),
			);
		}
		const page = found.slice(number * size, (number + 1) * size);
		const body = listPage(
			page,
			Math.ceil(found.length / size),
			query['include[orders]'] === 'entries',
		);
		return [200, { ...body, meta: { ...body.meta, totalCount: found.length } }];
	}

	private changeStatus(body: unknown): Reply {
		const data = (
			body as { data?: { id?: string; attributes?: { code?: string; status?: string } } }
		).data;
		const order = this.orders.find((candidate) => candidate.id === data?.id);
		if (!order || order.code !== data?.attributes?.code) return [404, errorBody('Order not found')];
		if (
			data.attributes.status !== 'ACCEPTED_BY_MERCHANT' ||
			order.status !== 'APPROVED_BY_BANK' ||
			order.state !== 'NEW'
		) {
			return [400, errorBody(`Order status cannot be changed from ${order.state}/${order.status}`)];
		}
		this.accept(order);
		// The guide's answer to a status change carries only the code and the new status.
		return [
			200,
			{
				data: {
					type: 'orders',
					id: order.id,
					attributes: { code: order.code, status: order.status },
				},
				included: [],
			},
		];
	}

	/** What Kaspi does on accept: the status changes and the order leaves the New tab. */
	accept(order: FakeOrder): void {
		order.status = 'ACCEPTED_BY_MERCHANT';
		order.state = order.deliveryMode === 'DELIVERY_PICKUP' ? 'PICKUP' : 'DELIVERY';
	}
}

function validPage(number: number, size: number): boolean {
	return (
		Number.isInteger(number) && number >= 0 && Number.isInteger(size) && size >= 1 && size <= 100
	);
}

/** A fake context with the Kaspi credential for `baseUrl`. */
export function kaspiContext(
	baseUrl: string,
	options: Omit<FakeContextOptions, 'credentials'> & { token?: string },
) {
	return fakeContext({
		...options,
		credentials: { kaspiApi: { apiToken: options.token ?? KASPI_TOKEN, baseUrl } },
	});
}

/** The JSON of every output item, for assertions on the whole output. */
export function jsonOf(output: INodeExecutionData[][] | null): IDataObject[] {
	return (output?.[0] ?? []).map((item) => item.json);
}

/**
 * The set-up every Kaspi node test file shares: nock, and a fresh record of n8n's `sleep`, which
 * each file mocks (`jest.mock` must stand in the test file itself).
 */
export function useKaspiUnit(): void {
	useNock();
	beforeEach(() => jest.mocked(sleep).mockClear());
}

/** An order code the node's tests use throughout. */
export const CODE = '512345678';
export const iso = (epochMs: number) => new Date(epochMs).toISOString();

export interface RunOptions {
	baseUrl?: string;
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
	token?: string;
}

/** Runs the Kaspi node once with `parameters` (or one set per item). */
export async function runKaspi(
	parameters: IDataObject | ((itemIndex: number) => IDataObject),
	options: RunOptions = {},
): Promise<INodeExecutionData[]> {
	const { context } = kaspiContext(options.baseUrl ?? KASPI_PRODUCTION, {
		parameters,
		items: options.items,
		continueOnFail: options.continueOnFail,
		token: options.token,
	});
	const [output] = await new Kaspi().execute.call(context as unknown as IExecuteFunctions);
	return output;
}

export const getByCode = (code: string): IDataObject => ({
	resource: 'order',
	operation: 'get',
	findBy: 'code',
	orderCode: code,
	options: {},
});

export const acceptCode = (code: string, options: IDataObject = {}): IDataObject => ({
	resource: 'order',
	operation: 'accept',
	orderCode: code,
	options,
});

export function getMany(from: number, to: number, extra: IDataObject = {}): IDataObject {
	return {
		resource: 'order',
		operation: 'getMany',
		createdAfter: iso(from),
		createdBefore: iso(to),
		states: ['NEW'],
		statuses: [],
		returnAll: true,
		limit: 50,
		options: {},
		...extra,
	};
}

/** The flat order the node outputs for a `fakeOrder` with its defaults. */
export function flatOrder(order: FakeOrder): IDataObject {
	return {
		id: order.id,
		code: order.code,
		state: order.state,
		status: order.status,
		totalPrice: order.totalPrice,
		paymentMode: 'PREPAID',
		deliveryMode: order.deliveryMode,
		isKaspiDelivery: false,
		preOrder: false,
		signatureRequired: false,
		pickupPointId: null,
		creationDate: order.creationDate,
		createdAt: iso(order.creationDate),
		plannedDeliveryAt: null,
		customerName: 'Aigerim Nurlanova',
		customerFirstName: 'Aigerim',
		customerLastName: 'Nurlanova',
		customerPhone: '+77011234567',
		customerPhoneStatus: 'ok',
		deliveryAddress: 'Almaty, Abay Ave 10',
		entries: order.entries.map((entry) => ({
			sku: entry.sku,
			name: entry.name,
			quantity: entry.quantity,
			unitPrice: entry.basePrice,
			totalPrice: entry.basePrice * entry.quantity,
			category: 'Kettles',
		})),
		itemsSummary: order.entries.map((entry) => `${entry.name} × ${entry.quantity}`).join(', '),
	};
}

export const codesOf = (output: INodeExecutionData[]) => output.map((item) => item.json.code);

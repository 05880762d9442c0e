/**
 * The Kaspi node as a whole, end to end through its transport, against a strict fake of the Shop
 * API: both base URLs, several items, a rejected token, and the mapper on resources the API should
 * never send. Each operation's own tests are in order/<operation>.test.ts.
 */
import nock from 'nock';
import type { INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { KaspiDataError, toKaspiEntry, toKaspiOrder } from '../../../nodes/Kaspi/helpers/mapper';
import type { KaspiEntryResource, KaspiOrderResource } from '../../../nodes/Kaspi/transport/types';
import { USER_AGENT } from '../../../nodes/shared/http';
import { errorText, rejectionOf, type RecordedRequest } from '../../helpers/http';
import {
	acceptCode,
	CODE,
	codesOf,
	DAY,
	FakeKaspi,
	fakeOrder,
	flatOrder,
	getByCode,
	getMany,
	HOUR,
	JSON_API,
	jsonOf,
	KASPI_PRODUCTION,
	NOW,
	runKaspi,
	useKaspiUnit,
} from '../../helpers/kaspi';

// Kaspi's profile backs off for seconds; the spy answers at once and records the delays.
jest.mock('n8n-workflow', () => ({
	...jest.requireActual('n8n-workflow'),
	sleep: jest.fn(async () => undefined),
}));

const CUSTOM_BASE = 'http://127.0.0.1:8790/proxy/kaspi/';

function expectKaspiHeaders(request: RecordedRequest) {
	expect(request.headers).toMatchObject({
		'x-auth-token': 'dummy-kaspi-token-5e0d2b',
		accept: JSON_API,
		'content-type': JSON_API,
		'user-agent': USER_AGENT,
	});
}

useKaspiUnit();

describe.each([
	['the production base URL', KASPI_PRODUCTION, '/shop/api/v2'],
	['a custom base URL', CUSTOM_BASE, '/proxy/kaspi'],
])('against %s', (_name, baseUrl, prefix) => {
	it('gets an order by code: code filter alone, then its entries', async () => {
		const order = fakeOrder(CODE, NOW - HOUR, {
			entries: [
				{ sku: 'A-1', name: 'Kettle', quantity: 2, basePrice: 1000 },
				{ sku: 'B-2', name: 'Mug', quantity: 1, basePrice: 500 },
			],
		});
		const fake = new FakeKaspi([fakeOrder('400000001', NOW), order], baseUrl);
		const output = await runKaspi(getByCode(` ${CODE} `), { baseUrl });

		expect(output).toEqual([{ json: flatOrder(order), pairedItem: { item: 0 } }]);
		expect(output[0].json.itemsSummary).toBe('Kettle × 2, Mug × 1');
		expect(fake.requests.map((request) => [request.method, request.path, request.query])).toEqual([
			[
				'GET',
				`${prefix}/orders`,
				{ 'page[number]': '0', 'page[size]': '1', 'filter[orders][code]': CODE },
			],
			['GET', `${prefix}/orders/${order.id}/entries`, { 'page[number]': '0', 'page[size]': '100' }],
		]);
		fake.requests.forEach(expectKaspiHeaders);
	});

	it('splits 30 days into three windows of at most 14 days, in milliseconds', async () => {
		const from = NOW - 30 * DAY;
		const orders = [
			fakeOrder('1', from + HOUR),
			fakeOrder('2', from + 15 * DAY),
			fakeOrder('3', NOW - HOUR),
		];
		const fake = new FakeKaspi(orders, baseUrl);
		const output = await runKaspi(getMany(from, NOW), { baseUrl });

		expect(codesOf(output)).toEqual(['1', '2', '3']);
		const window = (ge: number, le: number) => ({
			'page[number]': '0',
			'page[size]': '100',
			'filter[orders][creationDate][$ge]': String(ge),
			'filter[orders][creationDate][$le]': String(le),
			'filter[orders][state]': 'NEW',
			'include[orders]': 'entries',
		});
		expect(fake.requests.map((request) => request.query)).toEqual([
			window(from, from + 14 * DAY - 1),
			window(from + 14 * DAY, from + 28 * DAY - 1),
			window(from + 28 * DAY, NOW),
		]);
		expect(fake.requests.every((request) => request.path === `${prefix}/orders`)).toBe(true);
		fake.requests.forEach(expectKaspiHeaders);
	});

	it('gets the entries of an order by ID', async () => {
		const order = fakeOrder(CODE, NOW, {
			entries: [{ sku: 'SKU/1', name: 'Kettle', quantity: 3, basePrice: 700 }],
		});
		const fake = new FakeKaspi([order], baseUrl);
		const output = await runKaspi(
			{ resource: 'order', operation: 'getEntries', orderId: order.id, options: {} },
			{ baseUrl },
		);
		expect(jsonOf([output])).toEqual([
			{
				orderId: order.id,
				sku: 'SKU/1',
				name: 'Kettle',
				quantity: 3,
				unitPrice: 700,
				totalPrice: 2100,
				category: 'Kettles',
			},
		]);
		expect(fake.requests.map((request) => request.path)).toEqual([
			`${prefix}/orders/${order.id}/entries`,
		]);
		expectKaspiHeaders(fake.requests[0]);
	});

	it('accepts an order with the JSON:API body, after reading it', async () => {
		const order = fakeOrder(CODE, NOW);
		const fake = new FakeKaspi([order], baseUrl);
		const [item] = await runKaspi(acceptCode(CODE), { baseUrl });

		expect(item.json).toEqual({
			...flatOrder(order),
			status: 'ACCEPTED_BY_MERCHANT',
			state: 'DELIVERY',
			alreadyAccepted: false,
		});
		expect(fake.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
			`GET ${prefix}/orders`,
			`GET ${prefix}/orders/${order.id}/entries`,
			`POST ${prefix}/orders`,
			`GET ${prefix}/orders`,
			`GET ${prefix}/orders/${order.id}/entries`,
		]);
		expect(fake.posts[0].body).toEqual({
			data: {
				type: 'orders',
				id: order.id,
				attributes: { code: CODE, status: 'ACCEPTED_BY_MERCHANT' },
			},
		});
		expect(fake.posts[0].query).toEqual({});
		fake.requests.forEach(expectKaspiHeaders);
	});
});

it('falls back to the production URL when the credential has no base URL', async () => {
	const fake = new FakeKaspi([fakeOrder(CODE, NOW)]);
	await runKaspi(getByCode(CODE), { baseUrl: '' });
	expect(fake.requests).toHaveLength(2);
});

it('reports a rejected token once, without retrying or echoing it', async () => {
	const fake = new FakeKaspi([fakeOrder(CODE, NOW)]);
	const token = 'dummy-wrong-token-9c1f';
	const error = await rejectionOf(runKaspi(getByCode(CODE), { token }));
	expect(error).toBeInstanceOf(NodeApiError);
	expect(error.message).toBe('Kaspi rejected the API token');
	expect(error.description).toContain('Settings → API token');
	expect(fake.requests).toHaveLength(1);
	expect(fake.requests[0].headers['x-auth-token']).toBe(token);
	expect(errorText(error)).not.toContain(token);
});

describe('several items', () => {
	const perItem = (itemIndex: number) => getByCode([CODE, 'ab-12', '999000111'][itemIndex]);
	const items = [{ json: {} }, { json: {} }, { json: {} }];

	it('with Continue On Fail, outputs an error item per bad item and the good ones', async () => {
		const order = fakeOrder(CODE, NOW);
		new FakeKaspi([order]);
		const output = await runKaspi(perItem, { items, continueOnFail: true });
		expect(output).toEqual([
			{ json: flatOrder(order), pairedItem: { item: 0 } },
			{
				json: {
					error: 'Order Code "ab-12" is not a Kaspi order code',
					description: 'A Kaspi order code is made of digits only, e.g. 512345678.',
				},
				// Carried on the item, it routes the item to the error output when one is set.
				error: expect.any(NodeOperationError),
				pairedItem: { item: 1 },
			},
			{
				json: {
					error: 'No Kaspi order with code 999000111',
					description: expect.stringContaining('Check the Order Code'),
				},
				error: expect.any(NodeOperationError),
				pairedItem: { item: 2 },
			},
		]);
	});

	it('without it, stops at the first bad item and names it', async () => {
		new FakeKaspi([fakeOrder(CODE, NOW)]);
		const error = await rejectionOf(runKaspi(perItem, { items }));
		expect(error.message).toBe('Order Code "ab-12" is not a Kaspi order code');
		expect(error.context?.itemIndex).toBe(1);
	});
});

// Found by test/unit/Kaspi/orders.property.test.ts.
describe('Kaspi mapper: resources the API should never send', () => {
	/** `{"toString": 1}` parsed from JSON: `String()` throws a TypeError on it. */
	const hostile = JSON.parse('{"toString":1}') as unknown;
	const order = (attributes: unknown, id: unknown = 'ID1') =>
		({ type: 'orders', id, attributes }) as unknown as KaspiOrderResource;

	it('maps dates a JavaScript Date cannot hold to empty dates, instead of "RangeError: Invalid time value"', () => {
		const flat = toKaspiOrder(
			order({ code: '512345678', creationDate: 1e300, plannedDeliveryDate: 8.64e15 + 1 }),
		);
		expect(flat).toMatchObject({ creationDate: 1e300, createdAt: '', plannedDeliveryAt: null });
	});

	it('reads members of the wrong JSON type as empty', () => {
		const flat = toKaspiOrder(
			order({
				code: hostile,
				state: ['NEW'],
				totalPrice: hostile,
				customer: 'nobody',
				deliveryAddress: 'Almaty',
			}),
		);
		expect(flat).toMatchObject({
			code: '',
			state: '',
			totalPrice: 0,
			customerName: null,
			customerPhoneStatus: 'empty',
			deliveryAddress: null,
		});
		expect(
			toKaspiEntry({ id: 'E1', attributes: 'broken' } as unknown as KaspiEntryResource),
		).toMatchObject({ sku: '', quantity: 0 });
	});

	it('refuses an order that is not an object or has no id, naming it', () => {
		expect(() => toKaspiOrder(null as unknown as KaspiOrderResource)).toThrow(
			new KaspiDataError('Kaspi sent an order that is not a JSON:API resource object'),
		);
		expect(() => toKaspiOrder(order({}, null))).toThrow('Kaspi sent an order without an "id"');
		expect(() => toKaspiEntry(null as unknown as KaspiEntryResource)).toThrow(
			'Kaspi sent an order entry that is not a JSON:API resource object',
		);
	});

	/** Get Many over the last day, state NEW, answered once with `body`. */
	async function getManyAnswering(
		body: unknown,
		statuses: string[] = [],
	): Promise<INodeExecutionData[]> {
		nock('https://kaspi.kz')
			.get('/shop/api/v2/orders')
			.query(true)
			.reply(200, JSON.stringify(body));
		return await runKaspi(getMany(NOW - DAY, NOW, { statuses }));
	}

	it('filters by status an order without attributes, instead of "Cannot read properties of undefined"', async () => {
		expect(
			await getManyAnswering({ data: [{ type: 'orders', id: 'A' }], meta: { pageCount: 1 } }, [
				'APPROVED_BY_BANK',
				'COMPLETED',
			]),
		).toEqual([]);
	});

	it('fails Get Many with the member at fault when "data" is not an array or holds null', async () => {
		await expect(getManyAnswering({ data: ' ', meta: { pageCount: 1 } })).rejects.toThrow(
			'Kaspi answered with a "data" member that is not an array',
		);
		await expect(getManyAnswering({ data: [null] })).rejects.toThrow(
			'Kaspi sent an order that is not a JSON:API resource object',
		);
	});

	it('skips entry references and included resources that are null', async () => {
		const [item] = await getManyAnswering({
			data: [
				{
					type: 'orders',
					id: 'A',
					attributes: { code: '1' },
					relationships: { entries: { data: [null, { type: 'orderentries', id: 'E1' }] } },
				},
			],
			included: [
				null,
				{
					type: 'orderentries',
					id: 'E1',
					attributes: { quantity: 2, offer: { code: 'S1', name: 'Kettle' } },
				},
			],
			meta: { pageCount: 1 },
		});
		expect(item.json.entries).toEqual([
			{ sku: 'S1', name: 'Kettle', quantity: 2, unitPrice: 0, totalPrice: 0, category: null },
		]);
	});
});

/**
 * The Kaspi node end to end through its transport, against a strict fake of the Shop API.
 */
import nock from 'nock';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { Kaspi } from '../../../nodes/Kaspi/Kaspi.node';
import { KaspiDataError, toKaspiEntry, toKaspiOrder } from '../../../nodes/Kaspi/helpers/mapper';
import {
	ORDER_STATES,
	type KaspiEntryResource,
	type KaspiOrderResource,
} from '../../../nodes/Kaspi/transport/types';
import { USER_AGENT } from '../../../nodes/shared/http';
import { errorText, rejectionOf, useNock, type RecordedRequest } from '../../helpers/http';
import {
	DAY,
	FakeKaspi,
	fakeOrder,
	fakeOrders,
	HOUR,
	JSON_API,
	jsonOf,
	KASPI_PRODUCTION,
	kaspiContext,
	listPage,
	NOW,
	type FakeOrder,
} from '../../helpers/kaspi';

// Kaspi's profile backs off for seconds; the spy answers at once and records the delays.
jest.mock('n8n-workflow', () => ({
	...jest.requireActual('n8n-workflow'),
	sleep: jest.fn(async () => undefined),
}));

const CUSTOM_BASE = 'http://127.0.0.1:8790/proxy/kaspi/';
const CODE = '512345678';
const iso = (epochMs: number) => new Date(epochMs).toISOString();

interface RunOptions {
	baseUrl?: string;
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
	token?: string;
}

/** Runs the Kaspi node once with `parameters` (or one set per item). */
async function runNode(
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

const getByCode = (code: string): IDataObject => ({
	resource: 'order',
	operation: 'get',
	findBy: 'code',
	orderCode: code,
	options: {},
});

const acceptCode = (code: string, options: IDataObject = {}): IDataObject => ({
	resource: 'order',
	operation: 'accept',
	orderCode: code,
	options,
});

function getMany(from: number, to: number, extra: IDataObject = {}): IDataObject {
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
function flatOrder(order: FakeOrder): IDataObject {
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

function expectKaspiHeaders(request: RecordedRequest) {
	expect(request.headers).toMatchObject({
		'x-auth-token': 'dummy-kaspi-token-5e0d2b',
		accept: JSON_API,
		'content-type': JSON_API,
		'user-agent': USER_AGENT,
	});
}

const codesOf = (output: INodeExecutionData[]) => output.map((item) => item.json.code);
const sleepMock = jest.mocked(sleep);

useNock();
beforeEach(() => sleepMock.mockClear());

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
		const output = await runNode(getByCode(` ${CODE} `), { baseUrl });

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
		const output = await runNode(getMany(from, NOW), { baseUrl });

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
		const output = await runNode(
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
		const [item] = await runNode(acceptCode(CODE), { baseUrl });

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
	await runNode(getByCode(CODE), { baseUrl: '' });
	expect(fake.requests).toHaveLength(2);
});

describe('Get Many', () => {
	it('walks page[number] from 0 to pageCount − 1 with page[size] 100', async () => {
		const fake = new FakeKaspi(fakeOrders(250, 600000000, NOW - 5 * HOUR));
		const output = await runNode(getMany(NOW - DAY, NOW));
		expect(
			fake.requests.map((request) => [request.query['page[number]'], request.query['page[size]']]),
		).toEqual([
			['0', '100'],
			['1', '100'],
			['2', '100'],
		]);
		expect(new Set(codesOf(output)).size).toBe(250);
	});

	it('drops an order seen again on a later page (a moving list)', async () => {
		const [a, b, c] = fakeOrders(3, 700000000, NOW - HOUR);
		const fake = new FakeKaspi();
		fake.intercept = (request) =>
			request.query['page[number]'] === '0'
				? [200, listPage([a, b], 2, true)]
				: [200, listPage([b, c], 2, true)];
		const output = await runNode(getMany(NOW - DAY, NOW));
		expect(codesOf(output)).toEqual([a.code, b.code, c.code]);
		expect(fake.requests).toHaveLength(2);
	});

	it('stops on an empty page even when pageCount promises more', async () => {
		const [a] = fakeOrders(1, 700000000, NOW - HOUR);
		const fake = new FakeKaspi();
		fake.intercept = (request) =>
			request.query['page[number]'] === '0' ? [200, listPage([a], 5)] : [200, listPage([], 5)];
		const output = await runNode(getMany(NOW - DAY, NOW));
		expect(codesOf(output)).toEqual([a.code]);
		expect(fake.requests).toHaveLength(2);
	});

	it('queries every state when none is chosen, one series per state', async () => {
		const fake = new FakeKaspi([
			fakeOrder('1', NOW - HOUR),
			fakeOrder('2', NOW - HOUR, { state: 'ARCHIVE', status: 'COMPLETED' }),
		]);
		const output = await runNode(getMany(NOW - DAY, NOW, { states: [] }));
		expect(fake.requests.map((request) => request.query['filter[orders][state]'])).toEqual([
			...ORDER_STATES,
		]);
		expect(codesOf(output)).toEqual(['1', '2']);
	});

	it('filters several statuses client-side and sends a single one to Kaspi', async () => {
		const orders = [
			fakeOrder('1', NOW - 3 * HOUR),
			fakeOrder('2', NOW - 2 * HOUR, { state: 'ARCHIVE', status: 'CANCELLED' }),
			fakeOrder('3', NOW - HOUR, { state: 'ARCHIVE', status: 'COMPLETED' }),
		];
		const states = ['NEW', 'ARCHIVE'];
		const fake = new FakeKaspi(orders);
		const output = await runNode(
			getMany(NOW - DAY, NOW, { states, statuses: ['APPROVED_BY_BANK', 'CANCELLED'] }),
		);
		expect(codesOf(output)).toEqual(['1', '2']);
		expect(fake.requests).toHaveLength(2);
		expect(fake.requests.some((request) => 'filter[orders][status]' in request.query)).toBe(false);

		expect(
			codesOf(await runNode(getMany(NOW - DAY, NOW, { states, statuses: ['COMPLETED'] }))),
		).toEqual(['3']);
		expect(
			fake.requests.slice(2).map((request) => request.query['filter[orders][status]']),
		).toEqual(['COMPLETED', 'COMPLETED']);
	});

	it('stops at the limit and asks for no more than it needs', async () => {
		const fake = new FakeKaspi(fakeOrders(250, 600000000, NOW - 5 * HOUR));
		const output = await runNode(getMany(NOW - DAY, NOW, { returnAll: false, limit: 5 }));
		expect(output).toHaveLength(5);
		expect(fake.requests.map((request) => request.query['page[size]'])).toEqual(['5']);
	});

	it('joins entries from `included` through each order’s relationships', async () => {
		const a = fakeOrder('1', NOW - 2 * HOUR, {
			entries: [
				{ sku: 'A-1', name: 'Kettle', quantity: 1, basePrice: 100 },
				{ sku: 'A-2', name: 'Mug', quantity: 4, basePrice: 10 },
			],
		});
		const b = fakeOrder('2', NOW - HOUR, {
			entries: [{ sku: 'B-1', name: 'Pot', quantity: 2, basePrice: 50 }],
		});
		const fake = new FakeKaspi();
		fake.intercept = () => {
			const page = listPage([a, b], 1, true);
			// Kaspi does not promise an order; other resource types may sit in `included` too.
			page.included.reverse();
			(page.included as unknown[]).push({ type: 'customers', id: 'ID1E0', attributes: {} });
			return [200, page];
		};
		const output = await runNode(getMany(NOW - DAY, NOW));
		expect(jsonOf([output]).map((order) => order.entries)).toEqual([
			flatOrder(a).entries,
			flatOrder(b).entries,
		]);
		expect(output[0].json.itemsSummary).toBe('Kettle × 1, Mug × 4');
	});

	it('leaves entries out, and the include parameter, when not wanted', async () => {
		const fake = new FakeKaspi([fakeOrder('1', NOW - HOUR)]);
		const [item] = await runNode(getMany(NOW - DAY, NOW, { options: { includeEntries: false } }));
		expect(item.json).toMatchObject({ entries: [], itemsSummary: '' });
		expect(fake.requests[0].query).not.toHaveProperty('include[orders]');
	});

	it('passes the delivery type filter', async () => {
		const fake = new FakeKaspi();
		await runNode(getMany(NOW - DAY, NOW, { options: { deliveryType: 'PICKUP' } }));
		expect(fake.requests[0].query['filter[orders][deliveryType]']).toBe('PICKUP');
	});

	it('sends the delivery type only with NEW, SIGN_REQUIRED and ARCHIVE, and filters the delivery states itself', async () => {
		const fake = new FakeKaspi([
			fakeOrder('1', NOW - 4 * HOUR, { state: 'NEW', deliveryMode: 'DELIVERY_PICKUP' }),
			fakeOrder('2', NOW - 3 * HOUR, { state: 'NEW', deliveryMode: 'DELIVERY_LOCAL' }),
			fakeOrder('3', NOW - 2 * HOUR, {
				state: 'KASPI_DELIVERY',
				status: 'ACCEPTED_BY_MERCHANT',
				deliveryMode: 'DELIVERY_PICKUP',
				isKaspiDelivery: true,
			}),
			fakeOrder('4', NOW - HOUR, {
				state: 'PICKUP',
				status: 'ACCEPTED_BY_MERCHANT',
				deliveryMode: 'DELIVERY_PICKUP',
			}),
			fakeOrder('5', NOW - HOUR, {
				state: 'DELIVERY',
				status: 'ACCEPTED_BY_MERCHANT',
				deliveryMode: 'DELIVERY_LOCAL',
			}),
		]);
		const states = ['NEW', 'SIGN_REQUIRED', 'PICKUP', 'DELIVERY', 'KASPI_DELIVERY', 'ARCHIVE'];
		const pickups = await runNode(
			getMany(NOW - DAY, NOW, { states, options: { deliveryType: 'PICKUP' } }),
		);
		expect(codesOf(pickups)).toEqual(['1', '4']);
		expect(
			fake.requests.map((request) => [
				request.query['filter[orders][state]'],
				request.query['filter[orders][deliveryType]'],
			]),
		).toEqual([
			['NEW', 'PICKUP'],
			['SIGN_REQUIRED', 'PICKUP'],
			['PICKUP', undefined],
			['DELIVERY', undefined],
			['KASPI_DELIVERY', undefined],
			['ARCHIVE', 'PICKUP'],
		]);
		const deliveries = await runNode(
			getMany(NOW - DAY, NOW, { states, options: { deliveryType: 'DELIVERY' } }),
		);
		expect(codesOf(deliveries)).toEqual(['2', '5', '3']);
	});

	it('never sends RETURN_ACCEPTED_BY_MERCHANT to Kaspi: it is not in the guide’s list, so it is filtered here', async () => {
		const fake = new FakeKaspi([
			fakeOrder('1', NOW - 2 * HOUR, { state: 'ARCHIVE', status: 'RETURN_ACCEPTED_BY_MERCHANT' }),
			fakeOrder('2', NOW - HOUR, { state: 'ARCHIVE', status: 'RETURNED' }),
		]);
		const output = await runNode(
			getMany(NOW - DAY, NOW, { states: ['ARCHIVE'], statuses: ['RETURN_ACCEPTED_BY_MERCHANT'] }),
		);
		expect(codesOf(output)).toEqual(['1']);
		expect(fake.requests).toHaveLength(1);
		expect(fake.requests[0].query).not.toHaveProperty('filter[orders][status]');
	});

	it('outputs a masked or missing phone as null with the reason', async () => {
		new FakeKaspi([
			fakeOrder('1', NOW - 3 * HOUR, { cellPhone: '+0(000)-000-00-00' }),
			fakeOrder('2', NOW - 2 * HOUR, { cellPhone: null, firstName: null, lastName: null }),
			fakeOrder('3', NOW - HOUR, { cellPhone: '9161234567' }),
		]);
		const output = await runNode(getMany(NOW - DAY, NOW));
		expect(
			jsonOf([output]).map(({ customerPhone, customerPhoneStatus, customerName }) => [
				customerPhone,
				customerPhoneStatus,
				customerName,
			]),
		).toEqual([
			[null, 'masked', 'Aigerim Nurlanova'],
			[null, 'empty', null],
			['+79161234567', 'ok', 'Aigerim Nurlanova'],
		]);
	});

	it.each([
		[
			{ createdAfter: iso(NOW), createdBefore: iso(NOW - DAY) },
			'Created After is later than Created Before',
		],
		[{ createdAfter: 'last tuesday' }, 'Created After is not a valid date'],
	])('rejects bad dates before calling Kaspi: %p', async (dates, message) => {
		const fake = new FakeKaspi();
		await expect(runNode({ ...getMany(NOW - DAY, NOW), ...dates })).rejects.toThrow(message);
		expect(fake.requests).toHaveLength(0);
	});

	it('retries a failing read with Kaspi’s backoff, then succeeds', async () => {
		const fake = new FakeKaspi([fakeOrder('1', NOW - HOUR)]);
		let failures = 3;
		fake.intercept = () => (failures-- > 0 ? [503, { errors: [{ title: 'busy' }] }] : undefined);
		expect(codesOf(await runNode(getMany(NOW - DAY, NOW)))).toEqual(['1']);
		expect(fake.requests).toHaveLength(4);
		expect(sleepMock.mock.calls).toEqual([[1000], [2000], [4000]]);
	});
});

describe('Entries', () => {
	const manyEntries = (count: number) =>
		Array.from({ length: count }, (_, index) => ({
			sku: `SKU-${index}`,
			name: `Item ${index}`,
			quantity: 1,
			basePrice: 100 + index,
		}));

	it('asks for 100 entries a page and follows meta.pageCount, for Get and Get Entries', async () => {
		const order = fakeOrder(CODE, NOW, { entries: manyEntries(130) });
		const fake = new FakeKaspi([order]);
		const [item] = await runNode(getByCode(CODE));
		expect((item.json.entries as IDataObject[]).map((entry) => entry.sku)).toEqual(
			order.entries.map((entry) => entry.sku),
		);
		const entryPages = () =>
			fake.requests
				.filter((request) => request.path.endsWith('/entries'))
				.map((request) => [request.query['page[number]'], request.query['page[size]']]);
		expect(entryPages()).toEqual([
			['0', '100'],
			['1', '100'],
		]);

		fake.requests.length = 0;
		const lines = await runNode({
			resource: 'order',
			operation: 'getEntries',
			orderId: order.id,
			options: {},
		});
		expect(lines).toHaveLength(130);
		expect(entryPages()).toEqual([
			['0', '100'],
			['1', '100'],
		]);
	});

	it('stops on an empty page of entries even when pageCount promises more', async () => {
		const order = fakeOrder(CODE, NOW);
		const fake = new FakeKaspi([order]);
		fake.intercept = () => [200, { data: [], included: [], meta: { pageCount: 9, totalCount: 1 } }];
		const lines = await runNode({
			resource: 'order',
			operation: 'getEntries',
			orderId: order.id,
			options: {},
		});
		expect(lines).toEqual([]);
		expect(fake.requests).toHaveLength(1);
	});
});

describe('Get', () => {
	it('gets an order by ID with its entries', async () => {
		const order = fakeOrder(CODE, NOW);
		const fake = new FakeKaspi([order]);
		const output = await runNode({
			resource: 'order',
			operation: 'get',
			findBy: 'id',
			orderId: order.id,
			options: {},
		});
		expect(output[0].json).toEqual(flatOrder(order));
		expect(fake.requests.map((request) => request.path)).toEqual([
			`/shop/api/v2/orders/${order.id}`,
			`/shop/api/v2/orders/${order.id}/entries`,
		]);
	});

	it('names the code when no order has it', async () => {
		new FakeKaspi([fakeOrder(CODE, NOW)]);
		const error = await rejectionOf(runNode(getByCode('999000111')));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('No Kaspi order with code 999000111');
	});

	it('refuses a code that is not digits without calling Kaspi, naming the field', async () => {
		const fake = new FakeKaspi();
		const error = await rejectionOf(runNode(getByCode('ab-12')));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('Order Code "ab-12" is not a Kaspi order code');
		expect(fake.requests).toHaveLength(0);
	});

	it('reports an unknown order ID as Kaspi’s 404', async () => {
		new FakeKaspi();
		const error = await rejectionOf(
			runNode({ resource: 'order', operation: 'get', findBy: 'id', orderId: 'nope', options: {} }),
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Kaspi has no such order');
	});
});

describe('Accept', () => {
	it('returns an already accepted order without posting', async () => {
		const order = fakeOrder(CODE, NOW, { state: 'PICKUP', status: 'ACCEPTED_BY_MERCHANT' });
		const fake = new FakeKaspi([order]);
		const [item] = await runNode(acceptCode(CODE));
		expect(item.json).toEqual({ ...flatOrder(order), alreadyAccepted: true });
		expect(fake.posts).toHaveLength(0);
	});

	it('outputs every field of the order although Kaspi answers the accept with code and status only', async () => {
		const order = fakeOrder(CODE, NOW, { deliveryMode: 'DELIVERY_PICKUP' });
		const fake = new FakeKaspi([order]);
		const [item] = await runNode(acceptCode(CODE));
		expect(item.json).toEqual({
			...flatOrder(order),
			status: 'ACCEPTED_BY_MERCHANT',
			state: 'PICKUP',
			alreadyAccepted: false,
		});
		expect(fake.posts).toHaveLength(1);
	});

	it('when the accepted order cannot be read again, outputs the order read first with the new status', async () => {
		const order = fakeOrder(CODE, NOW);
		const fake = new FakeKaspi([order]);
		let posted = false;
		fake.intercept = (request) => {
			if (request.method === 'POST') posted = true;
			else if (posted) return [503, { errors: [{ title: 'Unavailable' }] }];
			return undefined;
		};
		const [item] = await runNode(acceptCode(CODE));
		expect(item.json).toEqual({
			...flatOrder({ ...order, state: 'NEW' }),
			status: 'ACCEPTED_BY_MERCHANT',
			alreadyAccepted: false,
		});
		expect(fake.posts).toHaveLength(1);
		expect(fake.byCode(CODE)?.status).toBe('ACCEPTED_BY_MERCHANT');
	});

	it('refuses an APPROVED_BY_BANK order that is not in state NEW yet, naming the state, without posting', async () => {
		const fake = new FakeKaspi([
			fakeOrder(CODE, NOW, { state: 'SIGN_REQUIRED', status: 'APPROVED_BY_BANK' }),
		]);
		const error = await rejectionOf(runNode(acceptCode(CODE)));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(`Order ${CODE} cannot be accepted yet: its state is SIGN_REQUIRED`);
		expect(fake.posts).toHaveLength(0);
	});

	it('refuses an order in another status without posting', async () => {
		const fake = new FakeKaspi([fakeOrder(CODE, NOW, { state: 'ARCHIVE', status: 'CANCELLED' })]);
		const error = await rejectionOf(runNode(acceptCode(CODE)));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(`Order ${CODE} cannot be accepted: its status is CANCELLED`);
		expect(fake.posts).toHaveLength(0);
	});

	it('names the code when no order has it', async () => {
		new FakeKaspi();
		await expect(runNode(acceptCode('999000111'))).rejects.toThrow(
			'No Kaspi order with code 999000111',
		);
	});

	it('after a timeout, reads the order again and succeeds when Kaspi applied the change', async () => {
		const order = fakeOrder(CODE, NOW);
		const fake = new FakeKaspi([order]);
		fake.intercept = (request) => {
			if (request.method !== 'POST') return undefined;
			fake.accept(order);
			return 'hang';
		};
		const [item] = await runNode(acceptCode(CODE, { timeoutSeconds: 1 }));
		expect(item.json).toMatchObject({
			code: CODE,
			status: 'ACCEPTED_BY_MERCHANT',
			state: 'DELIVERY',
		});
		expect(fake.posts).toHaveLength(1);
		expect(fake.requests.map((request) => request.method)).toEqual([
			'GET',
			'GET',
			'POST',
			'GET',
			'GET',
		]);
	});

	it.each<[string, 'hang' | [number, unknown], string]>([
		['a timeout', 'hang', 'Kaspi did not answer within 1 s'],
		['a 500', [500, { errors: [{ title: 'Internal error' }] }], 'Kaspi answered 500'],
	])(
		'after %s that changed nothing, fails without posting again',
		async (_name, reply, message) => {
			const fake = new FakeKaspi([fakeOrder(CODE, NOW)]);
			fake.intercept = (request) => (request.method === 'POST' ? reply : undefined);
			const error = await rejectionOf(runNode(acceptCode(CODE, { timeoutSeconds: 1 })));
			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.message).toBe(message);
			expect(fake.posts).toHaveLength(1);
			expect(fake.byCode(CODE)?.status).toBe('APPROVED_BY_BANK');
		},
	);
});

it('says the outcome is unknown when a failed accept cannot be checked by reading the order again', async () => {
	const fake = new FakeKaspi([fakeOrder(CODE, NOW)]);
	let posted = false;
	fake.intercept = (request) => {
		if (request.method === 'POST') {
			posted = true;
			return [500, { errors: [{ title: 'Internal error' }] }];
		}
		return posted ? [503, { errors: [{ title: 'Unavailable' }] }] : undefined;
	};
	const error = await rejectionOf(runNode(acceptCode(CODE, { timeoutSeconds: 1 })));
	expect(error.message).toBe('Kaspi answered 500');
	expect(error.description).toContain(`Whether Kaspi accepted order ${CODE} is unknown`);
	expect(fake.posts).toHaveLength(1);
});

it('reports a rejected token once, without retrying or echoing it', async () => {
	const fake = new FakeKaspi([fakeOrder(CODE, NOW)]);
	const token = 'dummy-wrong-token-9c1f';
	const error = await rejectionOf(runNode(getByCode(CODE), { token }));
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
		const output = await runNode(perItem, { items, continueOnFail: true });
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
		const error = await rejectionOf(runNode(perItem, { items }));
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
		return await runNode(getMany(NOW - DAY, NOW, { statuses }));
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

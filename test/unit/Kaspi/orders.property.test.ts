/**
 * @jest-environment ./test/helpers/fuzzEnvironment.mjs
 */
/**
 * Fuzzing the Kaspi order mapper (nodes/Kaspi/helpers/mapper.ts) and the list/entries paths of
 * the transport with generated JSON:API resources: missing customer, null or absent entries,
 * unknown states and statuses, totals up to Number.MAX_SAFE_INTEGER and beyond, floats, strings,
 * missing attributes, members of the wrong JSON type. Every case must end in a valid flat order
 * (JSON-safe, every field of its documented type) or a clear error naming the field, never a
 * TypeError.
 */
import fc from 'fast-check';
import nock from 'nock';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import {
	KaspiDataError,
	toKaspiEntry,
	toKaspiOrder,
	type KaspiOrder,
} from '../../../nodes/Kaspi/helpers/mapper';
import {
	ORDER_STATES,
	ORDER_STATUSES,
	type KaspiEntryResource,
	type KaspiOrderResource,
} from '../../../nodes/Kaspi/transport/types';
import { useNock } from '../../helpers/http';
import { Kaspi } from '../../../nodes/Kaspi/Kaspi.node';
import { KaspiTrigger } from '../../../nodes/Kaspi/KaspiTrigger.node';
import { KASPI_PRODUCTION, kaspiContext, NOW } from '../../helpers/kaspi';
import { expectNoUnhandledRejection, fuzzTarget } from '../../helpers/fuzz';

// A failing call backs off for seconds; answer at once.
jest.mock('n8n-workflow', () => ({
	...jest.requireActual('n8n-workflow'),
	sleep: jest.fn(async () => undefined),
}));

/**
 * The Kaspi node's Get Many as the properties below run it: one day up to the helpers' NOW, state NEW,
 * every page, entries included.
 */
function getManyParameters(statuses: readonly string[]): IDataObject {
	return {
		resource: 'order',
		operation: 'getMany',
		createdAfter: new Date(NOW - 86_400_000).toISOString(),
		createdBefore: new Date(NOW).toISOString(),
		states: ['NEW'],
		statuses: [...statuses],
		returnAll: true,
		limit: 50,
		options: {},
	};
}

/** Runs the Kaspi node once against the production URL (intercepted by nock). */
async function runKaspi(parameters: IDataObject): Promise<INodeExecutionData[]> {
	const { context } = kaspiContext(KASPI_PRODUCTION, { parameters });
	const [output] = await new Kaspi().execute.call(context as unknown as IExecuteFunctions);
	return output;
}

const fuzz = fuzzTarget('kaspi orders');

// ---- JSON values of the wrong kind, and the members of an order

/** `JSON.parse` of a number too large for a double gives Infinity, so it is a JSON value too. */
const hostile = fc.constantFrom<unknown>(
	Infinity,
	-Infinity,
	JSON.parse('{"toString":1}'),
	JSON.parse('{"valueOf":{}}'),
);
const wrongKind = fc.oneof(
	fc.constantFrom<unknown>(null, true, false, '', ' ', {}, []),
	fc.string({ maxLength: 12 }),
	fc.integer(),
	fc.double(),
	fc.jsonValue({ maxDepth: 1 }),
	hostile,
);
/** The right kind most of the time, the wrong kind or absent sometimes. */
function member<T>(right: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
	return fc.oneof({ weight: 5, arbitrary: right }, { weight: 2, arbitrary: wrongKind });
}

const HUGE = [
	Number.MAX_SAFE_INTEGER,
	Number.MAX_SAFE_INTEGER + 2,
	2 ** 64,
	1e21,
	1.7976931348623157e308,
	-1,
	-0,
	0.1 + 0.2,
];
const amount = fc.oneof(
	fc.integer({ min: 0, max: 10_000_000 }),
	fc.maxSafeNat(),
	fc.constantFrom(...HUGE),
	fc.double({ min: -1e12, max: 1e25, noNaN: true }),
	fc.integer({ min: 0, max: 10_000_000 }).map(String),
	fc.constantFrom('12 990', '1e21', '9007199254740993', '12990.50', 'бесплатно', '0x1F', ''),
);
/** Epoch milliseconds, including ones a Date cannot hold (beyond ±8.64e15). */
const epoch = fc.oneof(
	fc.integer({ min: NOW - 400 * 86_400_000, max: NOW }),
	fc.constantFrom(8.64e15, 8.64e15 + 1, -8.64e15 - 1, Number.MAX_SAFE_INTEGER, 1e300, 0, -1),
	fc.double({ noNaN: true }),
	fc.constantFrom('1763801234000', '2026-11-22T09:00:00Z', 'yesterday'),
);
const knownOr = (values: readonly string[]) =>
	fc.oneof(
		fc.constantFrom(...values),
		fc.string({ maxLength: 20 }),
		fc.constantFrom('new', 'UNKNOWN_STATE', 'ACCEPTED BY MERCHANT'),
	);
const phone = fc.oneof(
	fc.constantFrom(
		'7011234567',
		'+0(000)-000-00-00',
		'9161234567',
		'0000000000',
		'',
		'7011234567'.repeat(3),
	),
	fc.string({ maxLength: 14 }),
);

const customer = fc.record(
	{
		id: member(fc.string()),
		name: member(fc.string()),
		cellPhone: member(phone),
		firstName: member(fc.string()),
		lastName: member(fc.string()),
	},
	{ requiredKeys: [] },
);

const attributes = fc.record(
	{
		code: member(fc.stringMatching(/^\d{9}$/)),
		totalPrice: member(amount),
		paymentMode: member(fc.constantFrom('PAY_WITH_CREDIT', 'PREPAID', 'CASH')),
		creationDate: member(epoch),
		plannedDeliveryDate: member(epoch),
		isKaspiDelivery: member(fc.boolean()),
		deliveryMode: member(knownOr(['DELIVERY_LOCAL', 'DELIVERY_PICKUP'])),
		signatureRequired: member(fc.boolean()),
		preOrder: member(fc.boolean()),
		pickupPointId: member(fc.string()),
		state: member(knownOr(ORDER_STATES)),
		status: member(knownOr(ORDER_STATUSES)),
		customer: fc.oneof(customer, wrongKind),
		deliveryAddress: fc.oneof(
			fc.record({ formattedAddress: member(fc.string()) }, { requiredKeys: [] }),
			wrongKind,
		),
	},
	{ requiredKeys: [] },
);

const entryResource = fc.record(
	{
		type: fc.constantFrom('orderentries', 'something'),
		id: fc.stringMatching(/^E\d{1,3}$/),
		attributes: fc.oneof(
			fc.record(
				{
					quantity: member(amount),
					basePrice: member(amount),
					totalPrice: member(amount),
					offer: fc.oneof(
						fc.record(
							{ code: member(fc.string()), name: member(fc.string()) },
							{ requiredKeys: [] },
						),
						wrongKind,
					),
					category: fc.oneof(
						fc.record({ title: member(fc.string()) }, { requiredKeys: [] }),
						wrongKind,
					),
				},
				{ requiredKeys: [] },
			),
			wrongKind,
		),
	},
	{ requiredKeys: ['id'] },
);

const orderResource = fc.record(
	{
		type: fc.constant('orders'),
		id: fc.oneof(
			{ weight: 6, arbitrary: fc.stringMatching(/^[A-Za-z0-9]{4,12}$/) },
			{ weight: 1, arbitrary: wrongKind },
		),
		attributes: fc.oneof({ weight: 6, arbitrary: attributes }, { weight: 1, arbitrary: wrongKind }),
		relationships: fc.oneof(
			fc.record(
				{
					entries: fc.oneof(
						fc.record(
							{
								data: member(
									fc.array(
										member(
											fc.record({
												type: fc.constant('orderentries'),
												id: fc.stringMatching(/^E\d{1,3}$/),
											}),
										),
										{ maxLength: 4 },
									),
								),
							},
							{ requiredKeys: [] },
						),
						wrongKind,
					),
				},
				{ requiredKeys: [] },
			),
			wrongKind,
		),
	},
	{ requiredKeys: [] },
);

// ---- what a valid flat order is

const ISO = /^[+-]?\d{4,6}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const PHONE_STATUS = new Set(['ok', 'empty', 'masked', 'invalid']);
const isText = (value: unknown) => typeof value === 'string';
const isTextOrNull = (value: unknown) => value === null || typeof value === 'string';

function expectValidEntry(entry: unknown): void {
	const e = entry as IDataObject;
	expect({
		sku: isText(e.sku),
		name: isText(e.name),
		quantity: Number.isFinite(e.quantity),
		unitPrice: Number.isFinite(e.unitPrice),
		totalPrice: Number.isFinite(e.totalPrice),
		category: isTextOrNull(e.category),
	}).toEqual({
		sku: true,
		name: true,
		quantity: true,
		unitPrice: true,
		totalPrice: true,
		category: true,
	});
}

function expectValidOrder(order: KaspiOrder): void {
	const checks = {
		id: isText(order.id),
		code: isText(order.code),
		state: isText(order.state),
		status: isText(order.status),
		totalPrice: Number.isFinite(order.totalPrice),
		paymentMode: isText(order.paymentMode),
		deliveryMode: isText(order.deliveryMode),
		flags: [order.isKaspiDelivery, order.preOrder, order.signatureRequired].every(
			(flag) => typeof flag === 'boolean',
		),
		pickupPointId: isTextOrNull(order.pickupPointId),
		creationDate: Number.isFinite(order.creationDate),
		createdAt: order.createdAt === '' || ISO.test(order.createdAt),
		plannedDeliveryAt: order.plannedDeliveryAt === null || ISO.test(order.plannedDeliveryAt),
		names: [order.customerName, order.customerFirstName, order.customerLastName].every(
			isTextOrNull,
		),
		customerPhone: order.customerPhone === null || /^\+[1-9]\d{7,14}$/.test(order.customerPhone),
		customerPhoneStatus:
			PHONE_STATUS.has(order.customerPhoneStatus) &&
			(order.customerPhone === null) === (order.customerPhoneStatus !== 'ok'),
		deliveryAddress: isTextOrNull(order.deliveryAddress),
		entries: Array.isArray(order.entries),
		itemsSummary: isText(order.itemsSummary),
	};
	expect(checks).toEqual(Object.fromEntries(Object.keys(checks).map((key) => [key, true])));
	order.entries.forEach(expectValidEntry);
	expectJsonSafe(order);
}

/** n8n stores items as JSON: nothing may be lost on the way (no Infinity, NaN or undefined). */
function expectJsonSafe(value: unknown, path = '$'): void {
	if (typeof value === 'number')
		expect({ path, finite: Number.isFinite(value) }).toEqual({ path, finite: true });
	else if (value === undefined || typeof value === 'function' || typeof value === 'bigint')
		throw new Error(`${path} is ${typeof value}`);
	else if (Array.isArray(value))
		value.forEach((element, index) => expectJsonSafe(element, `${path}[${index}]`));
	else if (typeof value === 'object' && value !== null) {
		for (const [key, element] of Object.entries(value)) expectJsonSafe(element, `${path}.${key}`);
	}
}

/** A mapper error says what is wrong with which member, never "Cannot read properties of …". */
function expectClearError(error: unknown): void {
	expect(error).toBeInstanceOf(KaspiDataError);
	expect((error as Error).message).toMatch(
		/^Kaspi (sent an order( entry)? (that is not a JSON:API resource object|without an "id")|answered with a "\w+" member that is not an array)$/,
	);
}

/** What the node throws: an n8n error carrying the mapper's words, or Kaspi's. */
function expectNodeError(error: unknown): void {
	expect([error instanceof NodeApiError, error instanceof NodeOperationError]).toContain(true);
	expect((error as Error).message).toMatch(/^Kaspi /);
	expect((error as Error).message).not.toMatch(
		/Cannot read|is not iterable|is not a function|Invalid time value|Cannot convert/,
	);
}

const attrsOf = (resource: unknown) => {
	const value = (resource as { attributes?: unknown } | null)?.attributes;
	return (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
};

describe('toKaspiOrder on generated resources', () => {
	it('maps every resource to a valid flat order or refuses it clearly', async () => {
		const outcomes = { mapped: 0, refused: 0 };
		await fuzz.check(
			'mapper: valid order or clear error',
			fc.property(
				orderResource,
				fc.option(fc.array(fc.oneof(entryResource, wrongKind), { maxLength: 4 }), {
					nil: undefined,
				}),
				(resource, entries) => {
					let order: KaspiOrder;
					try {
						order = toKaspiOrder(
							resource as unknown as KaspiOrderResource,
							entries as KaspiEntryResource[] | undefined,
						);
					} catch (error) {
						outcomes.refused++;
						expectClearError(error);
						return;
					}
					outcomes.mapped++;
					expectValidOrder(order);
					const attrs = attrsOf(resource);
					// Unknown states and statuses pass through as they came: the mapper keeps no list of them.
					if (typeof attrs.state === 'string') expect(order.state).toBe(attrs.state);
					if (typeof attrs.status === 'string') expect(order.status).toBe(attrs.status);
					// A finite total, however large, is kept exactly; a plain digit string is read as a number.
					if (typeof attrs.totalPrice === 'number' && Number.isFinite(attrs.totalPrice))
						expect(order.totalPrice).toBe(attrs.totalPrice);
					if (typeof attrs.totalPrice === 'string' && /^\d+$/.test(attrs.totalPrice))
						expect(order.totalPrice).toBe(Number(attrs.totalPrice));
					if (attrs.customer === null || attrs.customer === undefined) {
						expect([order.customerName, order.customerPhone, order.customerPhoneStatus]).toEqual([
							null,
							null,
							'empty',
						]);
					}
					expect(order.entries).toHaveLength(Array.isArray(entries) ? entries.length : 0);
				},
			),
			{ numRuns: 3000 },
		);
		expect(outcomes.mapped).toBeGreaterThan(1000);
	});

	it('maps every entry to a valid flat entry', async () => {
		await fuzz.check(
			'entry mapper: valid entry',
			fc.property(fc.oneof(entryResource, wrongKind), (entry) => {
				let flat: unknown;
				try {
					flat = toKaspiEntry(entry as KaspiEntryResource);
				} catch (error) {
					expectClearError(error);
					return;
				}
				expectValidEntry(flat);
				expectJsonSafe(flat);
			}),
			{ numRuns: 3000 },
		);
	});
});

// ---- the same resources through the node, as Kaspi would send them

const listBody = fc.record({
	data: fc.oneof(
		{
			weight: 6,
			arbitrary: fc.array(
				fc.oneof({ weight: 8, arbitrary: orderResource }, { weight: 1, arbitrary: wrongKind }),
				{ maxLength: 4 },
			),
		},
		{ weight: 1, arbitrary: wrongKind },
	),
	included: fc.oneof(
		{
			weight: 4,
			arbitrary: fc.array(
				fc.oneof({ weight: 8, arbitrary: entryResource }, { weight: 1, arbitrary: wrongKind }),
				{ maxLength: 6 },
			),
		},
		{ weight: 1, arbitrary: wrongKind },
	),
	meta: fc.oneof(fc.constant({ pageCount: 1, totalCount: 1 }), wrongKind),
});
/** Mostly a list page, sometimes not even an object (JSON `null`, a string, a number). */
const responseBody = fc.oneof(
	{ weight: 12, arbitrary: listBody },
	{ weight: 1, arbitrary: wrongKind },
);
const entriesBody = fc.oneof(
	{ weight: 12, arbitrary: listBody.map((body) => ({ data: body.included, included: [] })) },
	{ weight: 1, arbitrary: wrongKind },
);

/** Kaspi answering `body` once, as JSON (an Infinity becomes null on the way, as over the wire). */
function kaspiAnswers(path: string | RegExp, body: unknown): void {
	nock.cleanAll();
	nock('https://kaspi.kz')
		.get(path)
		.query(true)
		.reply(200, JSON.stringify(body) ?? 'null', { 'content-type': 'application/vnd.api+json' });
}

useNock();

describe('the Kaspi node on generated responses', () => {
	it('outputs valid orders or fails with an n8n error, for Get Many', async () => {
		await fuzz.check(
			'node Get Many: valid items or NodeApiError/NodeOperationError',
			fc.asyncProperty(
				responseBody,
				fc.constantFrom([], ['APPROVED_BY_BANK', 'COMPLETED']),
				async (body, statuses) => {
					kaspiAnswers('/shop/api/v2/orders', body);
					let output: INodeExecutionData[];
					try {
						output = await runKaspi(getManyParameters(statuses));
					} catch (error) {
						expectNodeError(error);
						return;
					}
					for (const item of output) expectValidOrder(item.json as KaspiOrder);
				},
			),
			{ numRuns: 250 },
		);
	});

	it('outputs valid entries or fails with an n8n error, for Get Entries', async () => {
		await fuzz.check(
			'node Get Entries: valid items or n8n error',
			fc.asyncProperty(entriesBody, async (body) => {
				kaspiAnswers('/shop/api/v2/orders/ID1/entries', body);
				let output: INodeExecutionData[];
				try {
					output = await runKaspi({
						resource: 'order',
						operation: 'getEntries',
						orderId: 'ID1',
						options: {},
					});
				} catch (error) {
					expectNodeError(error);
					return;
				}
				for (const item of output) {
					const { orderId, ...entry } = item.json;
					expect(orderId).toBe('ID1');
					expectValidEntry(entry);
				}
			}),
			{ numRuns: 200 },
		);
	});
});

describe('the Kaspi Trigger on generated responses', () => {
	afterEach(() => jest.restoreAllMocks());

	it('emits valid orders, or fails clearly and keeps its memory for the next poll', async () => {
		await fuzz.check(
			'trigger poll: valid new orders or clear error, memory kept on failure',
			fc.asyncProperty(responseBody, async (body) => {
				kaspiAnswers('/shop/api/v2/orders', body);
				jest.spyOn(Date, 'now').mockReturnValue(NOW);
				const memory = {
					version: 1,
					watermark: NOW - 60_000,
					seen: { '999': ['NEW', NOW - 120_000] },
				};
				const staticData: IDataObject = { memory };
				const { context } = kaspiContext(KASPI_PRODUCTION, {
					parameters: { states: ['NEW'], emitStateChanges: true, trackDays: 14, options: {} },
					staticData,
				});
				let output: INodeExecutionData[][] | null;
				try {
					output = await new KaspiTrigger().poll.call(context as unknown as IPollFunctions);
				} catch (error) {
					expect(error).toBeInstanceOf(Error);
					expect((error as Error).message).toMatch(/^Kaspi /);
					expect((error as Error).name).not.toMatch(/^(TypeError|RangeError)$/);
					expect(staticData.memory).toBe(memory);
					return;
				}
				for (const item of output?.[0] ?? []) {
					const { event, previousState, ...order } = item.json;
					expect(['new', 'stateChanged']).toContain(event);
					if (event === 'stateChanged') expect(previousState).toBe('NEW');
					expectValidOrder(order as KaspiOrder);
				}
				expect((staticData.memory as { watermark: number }).watermark).toBe(NOW);
			}),
			{ numRuns: 200 },
		);
	});
});

expectNoUnhandledRejection();

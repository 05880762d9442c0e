/**
 * The Kaspi Trigger's polls against the fake Shop API: what is emitted, what is remembered in
 * workflow static data, and which creation-date window is asked for.
 */
import type { IDataObject, IPollFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { KaspiTrigger } from '../../../nodes/Kaspi/KaspiTrigger.node';
import { rejectionOf, useNock } from '../../helpers/http';
import {
	DAY,
	FakeKaspi,
	fakeOrder,
	HOUR,
	jsonOf,
	KASPI_PRODUCTION,
	kaspiContext,
	NOW,
} from '../../helpers/kaspi';

// A failing poll retries with Kaspi's backoff of seconds; answer at once.
jest.mock('n8n-workflow', () => ({
	...jest.requireActual('n8n-workflow'),
	sleep: jest.fn(async () => undefined),
}));

const MINUTE = 60 * 1000;

interface PollOptions {
	now: number;
	staticData: IDataObject;
	parameters?: IDataObject;
	mode?: string;
}

/** One poll at `now`, with the trigger's defaults unless `parameters` says otherwise. */
async function poll({ now, staticData, parameters = {}, mode = 'trigger' }: PollOptions) {
	jest.spyOn(Date, 'now').mockReturnValue(now);
	const { context } = kaspiContext(KASPI_PRODUCTION, {
		parameters: {
			states: ['NEW'],
			emitStateChanges: false,
			trackDays: 14,
			options: {},
			...parameters,
		},
		staticData,
		mode,
	});
	return await new KaspiTrigger().poll.call(context as unknown as IPollFunctions);
}

/** The creation-date range of a list call, as numbers. */
function windowOf(query: Record<string, string>): [number, number] {
	return [
		Number(query['filter[orders][creationDate][$ge]']),
		Number(query['filter[orders][creationDate][$le]']),
	];
}

const codesOf = (output: Awaited<ReturnType<typeof poll>>) =>
	jsonOf(output).map((order) => order.code);

useNock();
afterEach(() => jest.restoreAllMocks());

describe('Kaspi Trigger', () => {
	it('only records the orders there on the first poll, looking back one overlap window', async () => {
		const a = fakeOrder('1001', NOW - 2 * HOUR);
		const b = fakeOrder('1002', NOW - HOUR, { state: 'DELIVERY' });
		const fake = new FakeKaspi([a, b]);
		const staticData: IDataObject = {};

		await expect(
			poll({ now: NOW, staticData, parameters: { states: ['NEW', 'DELIVERY'] } }),
		).resolves.toBeNull();
		expect(staticData).toEqual({
			memory: {
				version: 1,
				watermark: NOW,
				seen: { '1001': ['NEW', a.creationDate], '1002': ['DELIVERY', b.creationDate] },
			},
		});
		expect(fake.listCalls.map((request) => request.query['filter[orders][state]'])).toEqual([
			'NEW',
			'DELIVERY',
		]);
		expect(windowOf(fake.listCalls[0].query)).toEqual([NOW - 24 * HOUR, NOW]);
	});

	it('emits each new order once, oldest first, and nothing when nothing is new', async () => {
		const fake = new FakeKaspi([fakeOrder('1001', NOW - HOUR)]);
		const staticData: IDataObject = {};
		await poll({ now: NOW, staticData });

		const later = fakeOrder('1003', NOW + 8 * MINUTE);
		const earlier = fakeOrder('1002', NOW + 3 * MINUTE);
		fake.orders.push(later, earlier);
		const output = await poll({ now: NOW + 10 * MINUTE, staticData });
		expect(
			jsonOf(output).map(({ code, event, previousState }) => ({ code, event, previousState })),
		).toEqual([
			{ code: '1002', event: 'new', previousState: undefined },
			{ code: '1003', event: 'new', previousState: undefined },
		]);
		expect(jsonOf(output)[0]).toMatchObject({
			customerPhone: '+77011234567',
			entries: [{ sku: 'SKU-1002' }],
		});
		expect(Object.keys((staticData.memory as { seen: object }).seen).sort()).toEqual([
			'1001',
			'1002',
			'1003',
		]);

		await expect(poll({ now: NOW + 20 * MINUTE, staticData })).resolves.toBeNull();
		expect(staticData.memory).toMatchObject({ watermark: NOW + 20 * MINUTE });
	});

	it('emits an order that appears late inside the overlap window', async () => {
		const fake = new FakeKaspi([]);
		const staticData: IDataObject = {};
		await poll({ now: NOW, staticData });
		// Created before the last poll, but only now visible (e.g. after a credit approval).
		fake.orders.push(fakeOrder('1004', NOW - 30 * MINUTE));
		expect(codesOf(await poll({ now: NOW + MINUTE, staticData }))).toEqual(['1004']);
	});

	it('throws when Kaspi fails on every retry and leaves its memory as it was', async () => {
		const fake = new FakeKaspi([fakeOrder('1001', NOW - HOUR)]);
		const staticData: IDataObject = {};
		await poll({ now: NOW, staticData });
		const before = JSON.parse(JSON.stringify(staticData));

		fake.orders.push(fakeOrder('1002', NOW + MINUTE));
		fake.intercept = () => [503, { errors: [{ title: 'Service unavailable' }] }];
		const error = await rejectionOf(poll({ now: NOW + 5 * MINUTE, staticData }));
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Kaspi answered 503');
		expect(fake.listCalls).toHaveLength(1 + 4);
		expect(staticData).toEqual(before);

		// The next successful poll covers the failed one's range, so nothing is lost.
		fake.intercept = undefined;
		expect(codesOf(await poll({ now: NOW + 10 * MINUTE, staticData }))).toEqual(['1002']);
	});

	describe('state changes', () => {
		const parameters = { states: ['NEW', 'DELIVERY'], trackDays: 14 };

		async function acceptedBetweenPolls(emitStateChanges: boolean) {
			const order = fakeOrder('1001', NOW - HOUR);
			const fake = new FakeKaspi([order]);
			const staticData: IDataObject = {};
			await poll({ now: NOW, staticData, parameters: { ...parameters, emitStateChanges } });
			fake.accept(order);
			const output = await poll({
				now: NOW + MINUTE,
				staticData,
				parameters: { ...parameters, emitStateChanges },
			});
			return {
				output,
				staticData,
				emitAgain: () =>
					poll({
						now: NOW + 2 * MINUTE,
						staticData,
						parameters: { ...parameters, emitStateChanges },
					}),
			};
		}

		it('are emitted with the previous state when the option is on, once', async () => {
			const { output, emitAgain } = await acceptedBetweenPolls(true);
			expect(jsonOf(output)).toEqual([
				expect.objectContaining({
					code: '1001',
					state: 'DELIVERY',
					status: 'ACCEPTED_BY_MERCHANT',
					event: 'stateChanged',
					previousState: 'NEW',
				}),
			]);
			await expect(emitAgain()).resolves.toBeNull();
		});

		it('are only remembered when the option is off', async () => {
			const { output, staticData } = await acceptedBetweenPolls(false);
			expect(output).toBeNull();
			expect(staticData.memory).toMatchObject({ seen: { '1001': ['DELIVERY', NOW - HOUR] } });
		});
	});

	it('forgets orders created before the window', async () => {
		const fake = new FakeKaspi([fakeOrder('1003', NOW - 10 * MINUTE)]);
		const staticData: IDataObject = {
			memory: {
				version: 1,
				watermark: NOW - HOUR,
				seen: { '1001': ['NEW', NOW - 30 * HOUR], '1002': ['NEW', NOW - 20 * HOUR] },
			},
		};
		expect(codesOf(await poll({ now: NOW, staticData }))).toEqual(['1003']);
		expect(staticData.memory).toEqual({
			version: 1,
			watermark: NOW,
			seen: { '1002': ['NEW', NOW - 20 * HOUR], '1003': ['NEW', NOW - 10 * MINUTE] },
		});
		expect(windowOf(fake.listCalls[0].query)).toEqual([NOW - HOUR - 24 * HOUR, NOW]);
	});

	it('keeps its memory across a restart (static data saved and loaded as JSON)', async () => {
		const fake = new FakeKaspi([fakeOrder('1001', NOW - HOUR)]);
		const first: IDataObject = {};
		await poll({ now: NOW, staticData: first });

		fake.orders.push(fakeOrder('1002', NOW + MINUTE));
		const second = JSON.parse(JSON.stringify(first)) as IDataObject;
		expect(codesOf(await poll({ now: NOW + 5 * MINUTE, staticData: second }))).toEqual(['1002']);

		const third = JSON.parse(JSON.stringify(second)) as IDataObject;
		await expect(poll({ now: NOW + 10 * MINUTE, staticData: third })).resolves.toBeNull();
	});

	it.each([
		['the watermark minus the overlap', { options: { overlapHours: 2 } }, NOW - 2 * HOUR],
		[
			'further back when state changes are tracked longer',
			{ emitStateChanges: true, trackDays: 3, options: { overlapHours: 2 } },
			NOW + 30 * MINUTE - 3 * DAY,
		],
	])('starts the query window at %s', async (_name, parameters, expectedFrom) => {
		const fake = new FakeKaspi([]);
		const staticData: IDataObject = {};
		await poll({ now: NOW, staticData, parameters });
		await poll({ now: NOW + 30 * MINUTE, staticData, parameters });
		const second = fake.listCalls.filter(
			(request) => Number(request.query['filter[orders][creationDate][$le]']) === NOW + 30 * MINUTE,
		);
		expect(windowOf(second[0].query)[0]).toBe(expectedFrom);
		expect(
			second.every(
				(request) => windowOf(request.query)[1] - windowOf(request.query)[0] <= 14 * DAY,
			),
		).toBe(true);
	});

	describe('manual mode (Fetch Test Event)', () => {
		it('returns only the latest order of the last 14 days and leaves static data alone', async () => {
			const fake = new FakeKaspi([
				fakeOrder('1001', NOW - 3 * HOUR),
				fakeOrder('1003', NOW - HOUR),
				fakeOrder('1002', NOW - 2 * HOUR),
			]);
			const memory = {
				version: 1,
				watermark: NOW - DAY,
				seen: { '1001': ['NEW', NOW - 3 * HOUR] },
			};
			const staticData: IDataObject = { memory: JSON.parse(JSON.stringify(memory)) };

			const output = await poll({ now: NOW, staticData, mode: 'manual' });
			expect(jsonOf(output)).toEqual([expect.objectContaining({ code: '1003', event: 'new' })]);
			expect(staticData).toEqual({ memory });
			expect(windowOf(fake.listCalls[0].query)).toEqual([NOW - 14 * DAY + 1, NOW]);
		});

		it('returns nothing when there is no order, and writes no memory', async () => {
			new FakeKaspi([]);
			const staticData: IDataObject = {};
			await expect(poll({ now: NOW, staticData, mode: 'manual' })).resolves.toBeNull();
			expect(staticData).toEqual({});
		});
	});
});

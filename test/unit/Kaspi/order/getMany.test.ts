/**
 * The Kaspi node's Get Many, end to end through its transport, against a strict fake of the Shop API.
 */
import { sleep } from 'n8n-workflow';

import { ORDER_STATES } from '../../../../nodes/Kaspi/transport/types';
import {
	codesOf,
	DAY,
	FakeKaspi,
	fakeOrder,
	fakeOrders,
	flatOrder,
	getMany,
	HOUR,
	iso,
	jsonOf,
	listPage,
	NOW,
	runKaspi,
	useKaspiUnit,
} from '../../../helpers/kaspi';

// Kaspi's profile backs off for seconds; the spy answers at once and records the delays.
jest.mock('n8n-workflow', () => ({
	...jest.requireActual('n8n-workflow'),
	sleep: jest.fn(async () => undefined),
}));

const sleepMock = jest.mocked(sleep);

useKaspiUnit();

describe('Get Many', () => {
	it('walks page[number] from 0 to pageCount − 1 with page[size] 100', async () => {
		const fake = new FakeKaspi(fakeOrders(250, 600000000, NOW - 5 * HOUR));
		const output = await runKaspi(getMany(NOW - DAY, NOW));
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
		const output = await runKaspi(getMany(NOW - DAY, NOW));
		expect(codesOf(output)).toEqual([a.code, b.code, c.code]);
		expect(fake.requests).toHaveLength(2);
	});

	it('stops on an empty page even when pageCount promises more', async () => {
		const [a] = fakeOrders(1, 700000000, NOW - HOUR);
		const fake = new FakeKaspi();
		fake.intercept = (request) =>
			request.query['page[number]'] === '0' ? [200, listPage([a], 5)] : [200, listPage([], 5)];
		const output = await runKaspi(getMany(NOW - DAY, NOW));
		expect(codesOf(output)).toEqual([a.code]);
		expect(fake.requests).toHaveLength(2);
	});

	it('queries every state when none is chosen, one series per state', async () => {
		const fake = new FakeKaspi([
			fakeOrder('1', NOW - HOUR),
			fakeOrder('2', NOW - HOUR, { state: 'ARCHIVE', status: 'COMPLETED' }),
		]);
		const output = await runKaspi(getMany(NOW - DAY, NOW, { states: [] }));
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
		const output = await runKaspi(
			getMany(NOW - DAY, NOW, { states, statuses: ['APPROVED_BY_BANK', 'CANCELLED'] }),
		);
		expect(codesOf(output)).toEqual(['1', '2']);
		expect(fake.requests).toHaveLength(2);
		expect(fake.requests.some((request) => 'filter[orders][status]' in request.query)).toBe(false);

		expect(
			codesOf(await runKaspi(getMany(NOW - DAY, NOW, { states, statuses: ['COMPLETED'] }))),
		).toEqual(['3']);
		expect(
			fake.requests.slice(2).map((request) => request.query['filter[orders][status]']),
		).toEqual(['COMPLETED', 'COMPLETED']);
	});

	it('stops at the limit and asks for no more than it needs', async () => {
		const fake = new FakeKaspi(fakeOrders(250, 600000000, NOW - 5 * HOUR));
		const output = await runKaspi(getMany(NOW - DAY, NOW, { returnAll: false, limit: 5 }));
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
		const output = await runKaspi(getMany(NOW - DAY, NOW));
		expect(jsonOf([output]).map((order) => order.entries)).toEqual([
			flatOrder(a).entries,
			flatOrder(b).entries,
		]);
		expect(output[0].json.itemsSummary).toBe('Kettle × 1, Mug × 4');
	});

	it('leaves entries out, and the include parameter, when not wanted', async () => {
		const fake = new FakeKaspi([fakeOrder('1', NOW - HOUR)]);
		const [item] = await runKaspi(getMany(NOW - DAY, NOW, { options: { includeEntries: false } }));
		expect(item.json).toMatchObject({ entries: [], itemsSummary: '' });
		expect(fake.requests[0].query).not.toHaveProperty('include[orders]');
	});

	it('passes the delivery type filter', async () => {
		const fake = new FakeKaspi();
		await runKaspi(getMany(NOW - DAY, NOW, { options: { deliveryType: 'PICKUP' } }));
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
		const pickups = await runKaspi(
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
		const deliveries = await runKaspi(
			getMany(NOW - DAY, NOW, { states, options: { deliveryType: 'DELIVERY' } }),
		);
		expect(codesOf(deliveries)).toEqual(['2', '5', '3']);
	});

	it('never sends RETURN_ACCEPTED_BY_MERCHANT to Kaspi: it is not in the guide’s list, so it is filtered here', async () => {
		const fake = new FakeKaspi([
			fakeOrder('1', NOW - 2 * HOUR, { state: 'ARCHIVE', status: 'RETURN_ACCEPTED_BY_MERCHANT' }),
			fakeOrder('2', NOW - HOUR, { state: 'ARCHIVE', status: 'RETURNED' }),
		]);
		const output = await runKaspi(
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
		const output = await runKaspi(getMany(NOW - DAY, NOW));
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
		await expect(runKaspi({ ...getMany(NOW - DAY, NOW), ...dates })).rejects.toThrow(message);
		expect(fake.requests).toHaveLength(0);
	});

	it('retries a failing read with Kaspi’s backoff, then succeeds', async () => {
		const fake = new FakeKaspi([fakeOrder('1', NOW - HOUR)]);
		let failures = 3;
		fake.intercept = () => (failures-- > 0 ? [503, { errors: [{ title: 'busy' }] }] : undefined);
		expect(codesOf(await runKaspi(getMany(NOW - DAY, NOW)))).toEqual(['1']);
		expect(fake.requests).toHaveLength(4);
		expect(sleepMock.mock.calls).toEqual([[1000], [2000], [4000]]);
	});
});

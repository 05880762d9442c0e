/**
 * The Kaspi node's Get, end to end through its transport, against a strict fake of the Shop API.
 */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { rejectionOf } from '../../../helpers/http';
import {
	CODE,
	FakeKaspi,
	fakeOrder,
	flatOrder,
	getByCode,
	NOW,
	runKaspi,
	useKaspiUnit,
} from '../../../helpers/kaspi';

// Kaspi's profile backs off for seconds; the spy answers at once and records the delays.
jest.mock('n8n-workflow', () => ({
	...jest.requireActual('n8n-workflow'),
	sleep: jest.fn(async () => undefined),
}));

useKaspiUnit();

describe('Get', () => {
	it('gets an order by ID with its entries', async () => {
		const order = fakeOrder(CODE, NOW);
		const fake = new FakeKaspi([order]);
		const output = await runKaspi({
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
		const error = await rejectionOf(runKaspi(getByCode('999000111')));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('No Kaspi order with code 999000111');
	});

	it('refuses a code that is not digits without calling Kaspi, naming the field', async () => {
		const fake = new FakeKaspi();
		const error = await rejectionOf(runKaspi(getByCode('ab-12')));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('Order Code "ab-12" is not a Kaspi order code');
		expect(fake.requests).toHaveLength(0);
	});

	it('reports an unknown order ID as Kaspi’s 404', async () => {
		new FakeKaspi();
		const error = await rejectionOf(
			runKaspi({ resource: 'order', operation: 'get', findBy: 'id', orderId: 'nope', options: {} }),
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Kaspi has no such order');
	});
});

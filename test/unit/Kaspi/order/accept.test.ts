/**
 * The Kaspi node's Accept, end to end through its transport, against a strict fake of the Shop API.
 */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { rejectionOf } from '../../../helpers/http';
import {
	acceptCode,
	CODE,
	FakeKaspi,
	fakeOrder,
	flatOrder,
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

describe('Accept', () => {
	it('returns an already accepted order without posting', async () => {
		const order = fakeOrder(CODE, NOW, { state: 'PICKUP', status: 'ACCEPTED_BY_MERCHANT' });
		const fake = new FakeKaspi([order]);
		const [item] = await runKaspi(acceptCode(CODE));
		expect(item.json).toEqual({ ...flatOrder(order), alreadyAccepted: true });
		expect(fake.posts).toHaveLength(0);
	});

	it('outputs every field of the order although Kaspi answers the accept with code and status only', async () => {
		const order = fakeOrder(CODE, NOW, { deliveryMode: 'DELIVERY_PICKUP' });
		const fake = new FakeKaspi([order]);
		const [item] = await runKaspi(acceptCode(CODE));
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
		const [item] = await runKaspi(acceptCode(CODE));
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
		const error = await rejectionOf(runKaspi(acceptCode(CODE)));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(`Order ${CODE} cannot be accepted yet: its state is SIGN_REQUIRED`);
		expect(fake.posts).toHaveLength(0);
	});

	it('refuses an order in another status without posting', async () => {
		const fake = new FakeKaspi([fakeOrder(CODE, NOW, { state: 'ARCHIVE', status: 'CANCELLED' })]);
		const error = await rejectionOf(runKaspi(acceptCode(CODE)));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(`Order ${CODE} cannot be accepted: its status is CANCELLED`);
		expect(fake.posts).toHaveLength(0);
	});

	it('names the code when no order has it', async () => {
		new FakeKaspi();
		await expect(runKaspi(acceptCode('999000111'))).rejects.toThrow(
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
		const [item] = await runKaspi(acceptCode(CODE, { timeoutSeconds: 1 }));
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
			const error = await rejectionOf(runKaspi(acceptCode(CODE, { timeoutSeconds: 1 })));
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
	const error = await rejectionOf(runKaspi(acceptCode(CODE, { timeoutSeconds: 1 })));
	expect(error.message).toBe('Kaspi answered 500');
	expect(error.description).toContain(`Whether Kaspi accepted order ${CODE} is unknown`);
	expect(fake.posts).toHaveLength(1);
});

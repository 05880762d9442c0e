/**
 * The Kaspi node's Get Entries, end to end through its transport, against a strict fake of the Shop API.
 */
import type { IDataObject } from 'n8n-workflow';

import {
	CODE,
	FakeKaspi,
	fakeOrder,
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
		const [item] = await runKaspi(getByCode(CODE));
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
		const lines = await runKaspi({
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
		const lines = await runKaspi({
			resource: 'order',
			operation: 'getEntries',
			orderId: order.id,
			options: {},
		});
		expect(lines).toEqual([]);
		expect(fake.requests).toHaveLength(1);
	});
});

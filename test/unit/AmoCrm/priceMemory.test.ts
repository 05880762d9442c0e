/**
 * Sync Orders sets a deal's price back to Kaspi's total only when that total moved since the sync
 * last wrote it, so an operator's edit of the budget stays (issue 13). docs/services/amocrm.md,
 * "Deal price" and "Conformance".
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import {
	loadTotals,
	MAX_AGE_MS,
	MAX_ENTRIES,
	PRICE_MEMORY_KEY,
	saveTotals,
} from '../../../nodes/AmoCrm/helpers/priceMemory';
import { router } from '../../../nodes/AmoCrm/actions/router';
import {
	amoContext,
	FakeAmo,
	kaspiOrder,
	syncContext,
	syncParams,
	useFakeLimiterClock,
} from '../../helpers/amocrm';
import { type RecordedRequest, useNock } from '../../helpers/http';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	return { ...actual, sleep: jest.fn(async () => undefined) };
});
jest.mocked(sleep);

useNock();
useFakeLimiterClock();

const PHONE = '+77010000001';
const writes = (requests: RecordedRequest[]) =>
	requests.filter((request) => request.method !== 'GET');

async function run(orders: IDataObject[], staticData: IDataObject): Promise<IDataObject[]> {
	const context = syncContext(orders, {}, { staticData });
	const [output] = await router.call(context);
	return output.map((item: INodeExecutionData) => item.json);
}

describe('Sync Orders: the deal price follows Kaspi’s total, not over an operator’s edit', () => {
	it('keeps a price an operator edited while Kaspi’s total stays the same', async () => {
		const fake = new FakeAmo().install();
		const staticData: IDataObject = {};
		const order = kaspiOrder('410001', PHONE);
		const [created] = await run([order], staticData);
		expect(created.action).toBe('created');
		const deal = fake.leads.get(Number(created.dealId));
		if (!deal) throw new Error('no deal');
		deal.price = 14000; // the operator gave a discount
		fake.requests = [];
		const [again] = await run([order], staticData);
		expect(again.action).toBe('unchanged');
		expect(writes(fake.requests)).toEqual([]);
		expect(deal.price).toBe(14000);
	});

	it('writes the new total when Kaspi’s moved, once', async () => {
		const fake = new FakeAmo().install();
		const staticData: IDataObject = {};
		const order = kaspiOrder('410002', PHONE);
		const [created] = await run([order], staticData);
		const deal = fake.leads.get(Number(created.dealId));
		if (!deal) throw new Error('no deal');
		deal.price = 14000;
		fake.requests = [];
		const moved = { ...order, totalPrice: 12500 };
		const [updated] = await run([moved], staticData);
		expect(updated.action).toBe('updated');
		expect(writes(fake.requests).map((request) => request.body)).toEqual([
			[{ id: deal.id, price: 12500, tags_to_add: [{ name: 'kaspi' }, { name: 'kaspi:NEW' }] }],
		]);
		expect(deal.price).toBe(12500);
		deal.price = 12000; // edited again after the new total
		fake.requests = [];
		const [third] = await run([moved], staticData);
		expect(third.action).toBe('unchanged');
		expect(writes(fake.requests)).toEqual([]);
	});

	it('with no memory of the order (first run after the upgrade), a changed state leaves a differing price', async () => {
		const fake = new FakeAmo().install();
		const order = kaspiOrder('410003', PHONE);
		const [created] = await run([order], {});
		const deal = fake.leads.get(Number(created.dealId));
		if (!deal) throw new Error('no deal');
		deal.price = 14000;
		fake.requests = [];
		const staticData: IDataObject = {};
		const [updated] = await run([{ ...order, state: 'COMPLETED', totalPrice: 15500 }], staticData);
		expect(updated.action).toBe('updated');
		const [patch] = writes(fake.requests).filter((request) => request.method === 'PATCH');
		expect(patch.body).toEqual([
			{
				id: deal.id,
				tags_to_add: [{ name: 'kaspi' }, { name: 'kaspi:COMPLETED' }],
				tags_to_delete: [{ name: 'kaspi:NEW' }],
			},
		]);
		expect(deal.price).toBe(14000);
		// From now on the total it saw is the baseline: a move from it is written.
		fake.requests = [];
		await run([{ ...order, state: 'COMPLETED', totalPrice: 16000 }], staticData);
		expect(deal.price).toBe(16000);
	});

	it('a dry run remembers nothing', async () => {
		new FakeAmo().install();
		const staticData: IDataObject = {};
		const context = amoContext(syncParams({ dryRun: true }), {
			items: [{ json: kaspiOrder('410004', PHONE) }],
			staticData,
		}) as IExecuteFunctions;
		await router.call(context);
		expect(staticData[PRICE_MEMORY_KEY]).toBeUndefined();
	});

	it('the memory is bounded: old orders forgotten, at most MAX_ENTRIES kept, another account starts over', () => {
		const staticData: IDataObject = {};
		const now = 1_800_000_000_000;
		saveTotals(staticData, 'a.amocrm.ru', new Map([['old', 1]]), ['old'], now - MAX_AGE_MS - 1000);
		const totals = loadTotals(staticData, 'a.amocrm.ru');
		expect(totals.get('old')).toBe(1);
		// Not in this run's input and last seen over MAX_AGE_MS ago: forgotten.
		for (let i = 0; i < MAX_ENTRIES + 10; i++) totals.set(`c${i}`, i);
		saveTotals(
			staticData,
			'a.amocrm.ru',
			totals,
			[...totals.keys()].filter((c) => c !== 'old'),
			now,
		);
		const kept = loadTotals(staticData, 'a.amocrm.ru');
		expect(kept.has('old')).toBe(false);
		expect(kept.size).toBe(MAX_ENTRIES);
		expect(loadTotals(staticData, 'b.kommo.com').size).toBe(0);
	});
});

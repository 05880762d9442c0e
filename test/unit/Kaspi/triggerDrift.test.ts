/**
 * The Kaspi list moving while the trigger pages through it (the sandbox's `pageRepeat` and
 * `pageSkip` faults): a repeated order is emitted once, and an order that fell between two pages
 * is emitted by the next poll, thanks to the overlap window and the codes remembered in it.
 */
import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import { listOrders } from '../../../nodes/Kaspi/transport';
import { KaspiTrigger } from '../../../nodes/Kaspi/KaspiTrigger.node';
import { useNock } from '../../helpers/http';
import {
	FakeKaspi,
	fakeOrders,
	jsonOf,
	KASPI_PRODUCTION,
	kaspiContext,
	listPage,
	NOW,
} from '../../helpers/kaspi';

const MINUTE = 60_000;
/** More than one page of 100, created after the first poll. */
const COUNT = 150;

useNock();
afterEach(() => jest.restoreAllMocks());

/**
 * Answers one list request for `page[number]` 1 as the moved list would: `shift` orders entered
 * (+1) or left (−1) before that page, so it starts `shift` orders earlier (or later).
 */
function drifted(fake: FakeKaspi, shift: number) {
	let pending = true;
	fake.intercept = (request) => {
		if (!pending || request.query['page[number]'] !== '1') return undefined;
		pending = false;
		const size = Number(request.query['page[size]']);
		const sorted = [...fake.orders].sort((a, b) => a.creationDate - b.creationDate);
		const page = sorted.slice(size - shift, 2 * size - shift);
		return [200, listPage(page, Math.ceil((sorted.length + shift) / size), true)];
	};
}

async function pollAt(now: number, staticData: IDataObject) {
	jest.spyOn(Date, 'now').mockReturnValue(now);
	const { context } = kaspiContext(KASPI_PRODUCTION, {
		parameters: { states: ['NEW'], emitStateChanges: false, options: {} },
		staticData,
	});
	return jsonOf(await new KaspiTrigger().poll.call(context as unknown as IPollFunctions));
}

describe('Kaspi Trigger over a moving list', () => {
	let fake: FakeKaspi;
	let staticData: IDataObject;
	let codes: string[];

	beforeEach(async () => {
		fake = new FakeKaspi([]);
		staticData = {};
		await pollAt(NOW, staticData);
		fake.orders.push(...fakeOrders(COUNT, 300000000, NOW + MINUTE, {}));
		codes = fake.orders.map((order) => order.code);
	});

	it('emits an order a skipped page hid on the next poll, and every order exactly once', async () => {
		drifted(fake, -1);
		const first = (await pollAt(NOW + 4 * 60 * MINUTE, staticData)).map((order) => order.code);
		const hidden = codes[100];
		expect(first).toHaveLength(COUNT - 1);
		expect(first).not.toContain(hidden);

		const second = await pollAt(NOW + 4 * 60 * MINUTE + MINUTE, staticData);
		expect(second.map((order) => [order.code, order.event])).toEqual([[hidden, 'new']]);
		expect([...first, hidden].sort()).toEqual([...codes].sort());

		await expect(pollAt(NOW + 4 * 60 * MINUTE + 2 * MINUTE, staticData)).resolves.toEqual([]);
	});

	it('emits the order a repeated page brought twice only once, and loses none', async () => {
		drifted(fake, 1);
		const first = (await pollAt(NOW + 4 * 60 * MINUTE, staticData)).map((order) => order.code);
		expect(first).toHaveLength(COUNT);
		expect(new Set(first)).toEqual(new Set(codes));
		await expect(pollAt(NOW + 4 * 60 * MINUTE + MINUTE, staticData)).resolves.toEqual([]);
	});

	it('listOrders itself drops the repeat: one item per order over the moved pages', async () => {
		drifted(fake, 1);
		fake.requests.length = 0;
		const { context } = kaspiContext(KASPI_PRODUCTION, { parameters: {} });
		const orders = await listOrders(context as unknown as IPollFunctions, {
			from: NOW,
			to: NOW + 4 * 60 * MINUTE,
			states: ['NEW'],
			includeEntries: true,
		});
		expect(orders.map((order) => order.code)).toEqual(codes);
		expect(fake.listCalls.map((request) => request.query['page[number]'])).toEqual(['0', '1']);
	});
});

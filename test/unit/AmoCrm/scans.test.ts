/**
 * Sync Orders reads without scans (issue 13, point 4): no contacts or catalog elements are paged
 * through, and every read of deals is bounded by a filter or asks one order code.
 * docs/services/amocrm.md, "Reading without scans" and "Conformance".
 */
import nock from 'nock';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { router } from '../../../nodes/AmoCrm/actions/router';
import { DEAL_WINDOW_MARGIN_S } from '../../../nodes/AmoCrm/helpers/sync';
import {
	AMO,
	CATALOG_ID,
	FakeAmo,
	kaspiOrder,
	LEAD_EPOCH_S,
	syncContext,
	useFakeLimiterClock,
} from '../../helpers/amocrm';
import type { RecordedRequest } from '../../helpers/http';
import { useNock } from '../../helpers/http';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	return { ...actual, sleep: jest.fn(async () => undefined) };
});
jest.mocked(sleep);

useNock();
useFakeLimiterClock();

async function run(orders: IDataObject[]): Promise<IDataObject[]> {
	const [output] = await router.call(syncContext(orders));
	return output.map((item: INodeExecutionData) => item.json);
}

const gets = (fake: FakeAmo, path: string) =>
	fake.requests.filter((request) => request.method === 'GET' && request.path === path);

/** A GET that pages through a list: no `query`, no ids, no bounding filter. */
function scans(fake: FakeAmo): RecordedRequest[] {
	return fake.requests.filter(
		(request) =>
			request.method === 'GET' &&
			/^\/api\/v4\/(contacts|leads|catalogs\/\d+\/elements)$/.test(request.path) &&
			!request.query.query &&
			!request.query['filter[id]'] &&
			!request.query['filter[created_at][from]'],
	);
}

const phone = (index: number) => `+7701${String(1_000_000 + index).padStart(7, '0')}`;

/** An order with one item of its own SKU, so a run sees as many SKUs as orders. */
const order = (index: number, buyer: number, extra: IDataObject = {}) =>
	kaspiOrder(String(700000 + index), phone(buyer), {
		entries: [
			{
				sku: `SKU-${index}`,
				name: `Товар ${index}`,
				quantity: 1,
				unitPrice: 15000,
				totalPrice: 15000,
				category: null,
			},
		],
		...extra,
	});

describe('Sync Orders reads without scans', () => {
	it('a busy account: contacts and products only by search, deals only in the filtered window', async () => {
		const fake = new FakeAmo().install();
		// Other sources' contacts, products and deals, old and recent.
		for (let index = 0; index < 600; index++)
			fake.addContact(`Клиент ${index}`, `+7777${String(index).padStart(7, '0')}`);
		for (let index = 0; index < 10; index++) fake.addContact(`Покупатель ${index}`, phone(index));
		for (let index = 0; index < 20; index++) {
			fake.elements.set(50_000 + index, {
				id: 50_000 + index,
				name: `P${index}`,
				sku: `SKU-${index}`,
			});
		}
		for (let index = 0; index < 300; index++) fake.addLead(LEAD_EPOCH_S - 30 * 86400 + index);
		for (let index = 0; index < 40; index++) fake.addLead(LEAD_EPOCH_S - 600 + index);

		const orders = Array.from({ length: 40 }, (_, index) => order(index, index % 25));
		const out = await run(orders);
		expect(out.every((result) => result.action === 'created')).toBe(true);

		expect(scans(fake)).toEqual([]);
		for (const request of gets(fake, '/api/v4/contacts')) expect(request.query.query).toBeTruthy();
		for (const request of gets(fake, `/api/v4/catalogs/${CATALOG_ID}/elements`))
			expect(request.query.query).toBeTruthy();
		const leadReads = gets(fake, '/api/v4/leads');
		expect(leadReads).toHaveLength(1);
		expect(Number(leadReads[0].query['filter[created_at][from]'])).toBe(
			LEAD_EPOCH_S - DEAL_WINDOW_MARGIN_S,
		);
		// The 10 buyers already on the account are found, not duplicated; products are reused.
		expect(fake.contacts.size).toBe(610 + 15);
		expect(fake.elements.size).toBe(40);
		// Two to learn that the account's search matches inside words, then one a phone (its national
		// digits), one a SKU.
		expect(gets(fake, '/api/v4/contacts')).toHaveLength(2 + 25);
		expect(gets(fake, `/api/v4/catalogs/${CATALOG_ID}/elements`)).toHaveLength(40);
	});

	describe("a new buyer costs one phone search once the account's kind of search is learned", () => {
		const newBuyers = (count: number) =>
			Array.from({ length: count }, (_, index) => order(index, 100 + index));
		const contactQueries = (fake: FakeAmo) =>
			gets(fake, '/api/v4/contacts').map((request) => request.query.query);

		it('inside words: the national digits alone, which find the 8… and bare forms too', async () => {
			const fake = new FakeAmo().install();
			fake.addContact('Клиент', '+77770000001');
			const writtenWith8 = fake.addContact('Покупатель', '87011000003');
			await run([...newBuyers(5), order(5, 3)]);

			expect(contactQueries(fake)).toEqual([
				'77',
				'7770000001',
				...[100, 101, 102, 103, 104, 3].map((buyer) => phone(buyer).slice(2)),
			]);
			expect(fake.contacts.size).toBe(2 + 5);
			expect([...fake.leads.values()].some((lead) => lead.contacts.includes(writtenWith8))).toBe(
				true,
			);
		});

		it('at word beginnings only: the full digits alone', async () => {
			const fake = new FakeAmo().install();
			fake.search = 'wordStart';
			fake.addContact('Клиент', '+77770000001');
			const returning = fake.addContact('Покупатель', phone(3));
			await run([...newBuyers(5), order(5, 3)]);

			expect(contactQueries(fake)).toEqual([
				'77',
				'7770000001',
				...[100, 101, 102, 103, 104, 3].map((buyer) => phone(buyer).slice(1)),
			]);
			expect(fake.contacts.size).toBe(2 + 5);
			expect([...fake.leads.values()].some((lead) => lead.contacts.includes(returning))).toBe(true);
		});

		it('an account with no phone written as one +7 word keeps asking both forms', async () => {
			const fake = new FakeAmo().install();
			fake.addContact('Клиент', '+7 (777) 000-00-01');
			await run(newBuyers(3));

			expect(contactQueries(fake)).toEqual([
				'77',
				...[100, 101, 102].flatMap((buyer) => [phone(buyer).slice(1), phone(buyer).slice(2)]),
			]);
		});

		it('a refused sample search leaves both forms, and the sync goes on', async () => {
			// Routed before the fake's own, so that it answers the sample search.
			nock(AMO).get('/api/v4/contacts').query({ query: '77', limit: '50' }).reply(400, {
				title: 'Bad Request',
				status: 400,
				detail: 'query is too short',
			});
			const fake = new FakeAmo().install();
			const out = await run(newBuyers(3));

			expect(out.every((result) => result.action === 'created')).toBe(true);
			expect(contactQueries(fake)).toEqual(
				[100, 101, 102].flatMap((buyer) => [phone(buyer).slice(1), phone(buyer).slice(2)]),
			);
		});

		it('fewer than three unknown phones are searched in both forms without a probe', async () => {
			const fake = new FakeAmo().install();
			fake.addContact('Клиент', '+77770000001');
			await run(newBuyers(2));

			expect(contactQueries(fake)).toEqual(
				[100, 101].flatMap((buyer) => [phone(buyer).slice(1), phone(buyer).slice(2)]),
			);
		});
	});

	it('an order older than the pages read is asked by its code, not found by walking back', async () => {
		const fake = new FakeAmo().install();
		const month = 30 * 86400;
		const oldDeal = fake.addLead(LEAD_EPOCH_S - month + 60, '710000', ['kaspi', 'kaspi:NEW']);
		fake.leads.get(oldDeal)?.links.set(1, 1);
		// More deals of other sources than one page holds, the newest page reaching back past the
		// new order's window but not to the old one's.
		for (let index = 0; index < 300; index++) fake.addLead(LEAD_EPOCH_S - 20_000 + index * 60);

		const old = kaspiOrder('710000', phone(1), { creationDate: (LEAD_EPOCH_S - month) * 1000 });
		const fresh = kaspiOrder('710001', phone(2));
		const out = await run([old, fresh]);

		expect(out.map((result) => result.action)).toEqual(['unchanged', 'created']);
		expect(out[0].dealId).toBe(oldDeal);
		const leadReads = gets(fake, '/api/v4/leads');
		// One page of the window, then the old order's code; the new order is not asked.
		expect(leadReads.map((request) => request.query.query ?? null)).toEqual([null, '710000']);
		expect(leadReads[0].query).toMatchObject({
			'filter[created_at][from]': String(LEAD_EPOCH_S - month - DEAL_WINDOW_MARGIN_S),
			'order[created_at]': 'desc',
		});
		expect(scans(fake)).toEqual([]);
	});

	it('a second run adds no note and reads one page of deals', async () => {
		const fake = new FakeAmo().install();
		const orders = Array.from({ length: 30 }, (_, index) => order(index, index % 20));
		await run(orders);
		const notes = fake.notes.length;
		fake.requests = [];
		const again = await run(orders);
		expect(again.every((result) => result.action === 'unchanged')).toBe(true);
		expect(fake.notes).toHaveLength(notes);
		expect(fake.requests).toHaveLength(1);
		expect(scans(fake)).toEqual([]);
	});
});

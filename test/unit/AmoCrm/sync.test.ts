/**
 * Sync Orders on a real, busy account (issue 13): deals whose products never link, merged answers,
 * and what a run reads and writes. docs/services/amocrm.md, "Conformance".
 */
import nock from 'nock';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { router } from '../../../nodes/AmoCrm/actions/router';
import {
	AMO,
	amoContext,
	CATALOG_ID,
	FakeAmo,
	kaspiOrder,
	syncContext,
	syncParams,
	useFakeLimiterClock,
} from '../../helpers/amocrm';
import { rejectionOf, type RecordedRequest, useNock } from '../../helpers/http';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	return { ...actual, sleep: jest.fn(async () => undefined) };
});
jest.mocked(sleep);

useNock();
useFakeLimiterClock();

async function run(context: IExecuteFunctions): Promise<IDataObject[]> {
	const [output] = await router.call(context);
	return output.map((item: INodeExecutionData) => item.json);
}

const writes = (requests: RecordedRequest[]) =>
	requests.filter((request) => request.method !== 'GET');
const PHONE = '+77010000001';

/** Runs the sync `times` times over the same orders; returns each run's results. */
async function runs(orders: IDataObject[], times: number) {
	const all: IDataObject[][] = [];
	for (let index = 0; index < times; index++) all.push(await run(syncContext(orders)));
	return all;
}

describe('Sync Orders: a deal whose products never link gets one note, not one a run', () => {
	it('entries without a SKU are not counted: later runs write nothing', async () => {
		const fake = new FakeAmo().install();
		const order = kaspiOrder('300001', PHONE, {
			entries: [
				{ sku: '', name: 'Без артикула', quantity: 1, unitPrice: 15000, totalPrice: 15000 },
			],
		});
		const [first] = await runs([order], 1);
		expect(first[0]).toMatchObject({ action: 'created' });
		fake.requests = [];
		const later = await runs([order], 3);
		expect(later.map((results) => results[0].action)).toEqual(Array(3).fill('unchanged'));
		expect(writes(fake.requests)).toEqual([]);
		expect(fake.notes).toHaveLength(1);
	});

	it('an account without a products list: reported on the item, the deal tagged, never retried', async () => {
		// Registered before the fake's routes, so it answers first: the account has only invoices.
		nock(AMO)
			.persist()
			.get('/api/v4/catalogs')
			.query(true)
			.reply(200, { _embedded: { catalogs: [{ id: 77, name: 'Счета', type: 'invoices' }] } });
		const fake = new FakeAmo().install();
		const order = kaspiOrder('300002', PHONE);
		const [first] = await runs([order], 1);
		expect(first[0]).toMatchObject({
			action: 'created',
			productsError: expect.stringMatching(/no products list.*kaspi-unlinked/),
		});
		expect(fake.count('POST', '/api/v4/catalogs/77/elements')).toBe(0);
		const deal = fake.leads.get(Number(first[0].dealId));
		expect(deal?.tags).toContain('kaspi-unlinked');
		fake.requests = [];
		const later = await runs([order], 3);
		expect(later.map((results) => results[0].action)).toEqual(Array(3).fill('unchanged'));
		expect(writes(fake.requests)).toEqual([]);
		expect(fake.notes).toHaveLength(1);
	});

	it('a permanent 400 on the link: reported once, the deal tagged, no retry and no second note', async () => {
		nock(AMO)
			.persist()
			.post('/api/v4/leads/link')
			.reply(400, {
				title: 'Bad Request',
				status: 400,
				'validation-errors': [
					{ request_id: '0', errors: [{ path: 'metadata', detail: 'Catalog not found' }] },
				],
			});
		const fake = new FakeAmo().install();
		const order = kaspiOrder('300003', PHONE);
		const [first] = await runs([order], 1);
		expect(first[0]).toMatchObject({
			action: 'created',
			productsError: expect.stringMatching(/Catalog not found/),
		});
		fake.requests = [];
		const later = await runs([order], 3);
		expect(later.map((results) => results[0].action)).toEqual(Array(3).fill('unchanged'));
		expect(writes(fake.requests)).toEqual([]);
		expect(fake.notes).toHaveLength(1);
	});

	it('a permanent 400 on element create refuses only that product; the others link', async () => {
		const bodies: IDataObject[][] = [];
		nock(AMO)
			.persist()
			.post(`/api/v4/catalogs/${CATALOG_ID}/elements`)
			.reply((uri, body) => {
				const sent = body as IDataObject[];
				bodies.push(sent);
				if (sent.some((element) => element.request_id === 'SKU-2')) {
					return [400, { title: 'Bad Request', status: 400, detail: 'Invalid field value' }];
				}
				return [
					200,
					{
						_embedded: {
							elements: sent.map((element) => ({ id: 4000, request_id: element.request_id })),
						},
					},
				];
			});
		const fake = new FakeAmo().install();
		const [first] = await runs([kaspiOrder('300004', PHONE)], 1);
		expect(bodies.map((sent) => sent.map((element) => element.request_id))).toEqual([
			['SKU-1', 'SKU-2'],
			['SKU-1'],
			['SKU-2'],
		]);
		expect(first[0]).toMatchObject({
			action: 'created',
			productsError: expect.stringMatching(/SKU-2.*Invalid field value/),
		});
		expect([...(fake.leads.get(Number(first[0].dealId))?.links.keys() ?? [])]).toEqual([4000]);
	});

	it('a links-only retry after a failed link adds no second full note', async () => {
		const fake = new FakeAmo().install();
		const order = kaspiOrder('300005', PHONE);
		nock.removeInterceptor({
			hostname: 'shop.amocrm.ru',
			proto: 'https',
			method: 'POST',
			path: '/api/v4/leads/link',
		});
		nock(AMO).post('/api/v4/leads/link').reply(500, { title: 'ErrInternalServer', status: 500 });
		const [first] = await runs([order], 1);
		expect(first[0]).toMatchObject({ action: 'error' });
		fake.install();
		fake.requests = [];
		const [second] = await runs([order], 1);
		expect(second[0]).toMatchObject({ action: 'updated' });
		expect(writes(fake.requests).map((request) => request.path)).toEqual(['/api/v4/leads/link']);
		expect(fake.notes).toHaveLength(1);
	});
});

describe('Sync Orders: smaller points of a real account', () => {
	it('lists existing deals with their contacts, so an updated deal reports its contactId', async () => {
		const fake = new FakeAmo().install();
		const order = kaspiOrder('310001', PHONE);
		const [created] = await runs([order], 1);
		fake.requests = [];
		const [changed] = await runs([{ ...order, state: 'COMPLETED' }], 1);
		expect(fake.requests[0].query).toMatchObject({ with: 'catalog_elements,contacts' });
		expect(changed[0]).toMatchObject({ action: 'updated', contactId: created[0].contactId });
		expect(changed[0].contactId).toEqual(expect.any(Number));
	});

	it('a merged answer (duplicate control) is flagged and gets no note and no links', async () => {
		nock(AMO)
			.post('/api/v4/leads/complex')
			.reply(200, [
				{ id: 55, contact_id: 66, company_id: null, request_id: ['310002'], merged: true },
			]);
		const fake = new FakeAmo().install();
		const [out] = await runs([kaspiOrder('310002', PHONE)], 1);
		expect(out[0]).toMatchObject({
			action: 'created',
			dealId: 55,
			merged: true,
			warning: expect.stringMatching(/duplicate control/),
		});
		expect(writes(fake.requests)).toEqual([]);
	});

	it('reads a request_id given as a string, not letter by letter', async () => {
		nock(AMO)
			.post('/api/v4/leads/complex')
			.reply(200, [
				{ id: 57, contact_id: 67, company_id: null, request_id: '310003', merged: false },
			]);
		new FakeAmo().install();
		const [out] = await runs([kaspiOrder('310003', PHONE)], 1);
		expect(out[0]).toMatchObject({ action: 'created', dealId: 57 });
	});

	it('refuses an item without creationDate with an error naming the field; continueOnFail syncs the rest', async () => {
		const fake = new FakeAmo().install();
		const orders = [
			kaspiOrder('310004', PHONE, { creationDate: undefined }),
			kaspiOrder('310005', PHONE),
		];
		const error = await rejectionOf(run(syncContext(orders)));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(/creationDate/);
		expect(fake.leads.size).toBe(0);

		const context = amoContext(syncParams(), {
			items: orders.map((json) => ({ json })),
			continueOnFail: true,
		});
		const [output] = await router.call(context);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(output[0].json).toMatchObject({
			action: 'error',
			orderCode: '310004',
			error: expect.stringMatching(/creationDate/),
		});
		expect(output[1].json).toMatchObject({ action: 'created', orderCode: '310005' });
		expect(fake.leads.size).toBe(1);
	});
});

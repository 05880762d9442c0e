import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { orderNote } from '../../../../nodes/AmoCrm/helpers/orderNote';
import { RESCAN_AFTER_504_MS } from '../../../../nodes/AmoCrm/helpers/sync';
import { BLOCKED_MESSAGE } from '../../../../nodes/AmoCrm/transport';
import {
	AMO,
	amoContext,
	FakeAmo,
	FIELD_ID,
	kaspiOrder,
	runAmo,
	useAmoUnit,
	syncContext,
	syncParams,
} from '../../../helpers/amocrm';
import { rejectionOf, type RecordedRequest } from '../../../helpers/http';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	return { ...actual, sleep: jest.fn(async () => undefined) };
});
const sleepMock = jest.mocked(sleep);

useAmoUnit();

describe('Sync Orders', () => {
	const items = (orders: IDataObject[]) => orders.map((json) => ({ json }));
	const phone = (index: number) => `+7701${String(10000000 + index).slice(1)}`;
	const writes = (requests: RecordedRequest[]) =>
		requests.filter((request) => request.method !== 'GET');

	let fake: FakeAmo;
	beforeEach(() => {
		fake = new FakeAmo().install();
	});

	it('creates 120 deals for 120 orders of 80 buyers in batches, with no duplicate contact', async () => {
		const orders = Array.from({ length: 120 }, (_, index) =>
			kaspiOrder(String(500000 + index), phone(index % 80)),
		);
		const out = await runAmo(syncContext(orders));
		expect(out).toHaveLength(120);
		expect(
			out.every((result) => result.action === 'created' && typeof result.dealId === 'number'),
		).toBe(true);
		expect(fake.leads.size).toBe(120);
		expect(fake.contacts.size).toBe(80);
		const complex = fake.requests.filter((request) => request.path === '/api/v4/leads/complex');
		expect(complex.every((request) => (request.body as unknown[]).length <= 50)).toBe(true);
		const first = (complex[0].body as IDataObject[])[0];
		expect(first).toMatchObject({
			request_id: '500000',
			name: 'Kaspi order 500000',
			price: 15000,
			pipeline_id: 7000001,
			status_id: 7100001,
			custom_fields_values: [{ field_id: FIELD_ID, values: [{ value: '500000' }] }],
		});
		expect(fake.notes).toHaveLength(120);
		expect([...fake.leads.values()].every((lead) => lead.links.size === 2)).toBe(true);
		// No contact scan (issue 13, point 4): each of the 80 new buyers costs two phone searches
		// (full, then national digits); the rest, batched, is well under 0.2 an order.
		expect(fake.requests.length).toBeLessThan(2 * 80 + 0.2 * 120);
		// The note carries the order, never the full phone.
		expect(String((fake.notes[0].params as IDataObject).text)).toContain('Чайник');
		expect(JSON.stringify(fake.notes)).not.toContain('77010000000');
	});

	it('a second run changes nothing, and a changed state updates its deal only', async () => {
		const orders = Array.from({ length: 5 }, (_, index) =>
			kaspiOrder(String(600000 + index), phone(index)),
		);
		await runAmo(syncContext(orders));
		fake.requests = [];
		const again = await runAmo(syncContext(orders));
		expect(again.map((result) => result.action)).toEqual(Array(5).fill('unchanged'));
		expect(writes(fake.requests)).toEqual([]);

		fake.requests = [];
		orders[2] = { ...orders[2], state: 'COMPLETED' };
		const changed = await runAmo(syncContext(orders));
		expect(changed.map((result) => result.action)).toEqual([
			'unchanged',
			'unchanged',
			'updated',
			'unchanged',
			'unchanged',
		]);
		const patch = fake.requests.find((request) => request.method === 'PATCH');
		expect(patch?.body).toEqual([
			{
				id: changed[2].dealId,
				price: 15000,
				tags_to_add: [{ name: 'kaspi' }, { name: 'kaspi:COMPLETED' }],
				tags_to_delete: [{ name: 'kaspi:NEW' }],
			},
		]);
		expect(fake.leads.get(Number(changed[2].dealId))?.tags).toEqual(['kaspi', 'kaspi:COMPLETED']);
	});

	it('after a crash between deal creation and the rest, a re-run completes the deal without a duplicate', async () => {
		const orders = [kaspiOrder('700001', phone(1))];
		nock.removeInterceptor({
			hostname: 'shop.amocrm.ru',
			proto: 'https',
			method: 'POST',
			path: '/api/v4/leads/notes',
		});
		nock(AMO).post('/api/v4/leads/notes').reply(500, { title: 'ErrInternalServer', status: 500 });
		const crashed = await runAmo(syncContext(orders));
		expect(crashed[0]).toMatchObject({ action: 'error', dealId: expect.any(Number) });
		fake.install();
		const rerun = await runAmo(syncContext(orders));
		expect(rerun[0]).toMatchObject({ action: 'updated', dealId: crashed[0].dealId });
		expect(fake.leads.size).toBe(1);
		expect(fake.leads.get(Number(crashed[0].dealId))?.links.size).toBe(2);
	});

	it('halves a batch on 504 after checking what the failed call created', async () => {
		const orders = Array.from({ length: 4 }, (_, index) =>
			kaspiOrder(String(800000 + index), phone(index)),
		);
		nock.removeInterceptor({
			hostname: 'shop.amocrm.ru',
			proto: 'https',
			method: 'POST',
			path: '/api/v4/leads/complex',
		});
		nock(AMO).post('/api/v4/leads/complex').reply(504, '');
		fake.install();
		const out = await runAmo(syncContext(orders, { linkProducts: false, addNotes: false }));
		expect(out.map((result) => result.action)).toEqual(Array(4).fill('created'));
		const sizes = fake.requests
			.filter((request) => request.path === '/api/v4/leads/complex')
			.map((request) => (request.body as unknown[]).length);
		expect(sizes).toEqual([2, 2]);
		expect(fake.leads.size).toBe(4);
		// request_id is no idempotency key: the deals are listed again only after a wait.
		expect(sleepMock.mock.calls).toContainEqual([RESCAN_AFTER_504_MS]);
	});

	it('Dry Run reads but returns the writes it would send', async () => {
		const orders = [kaspiOrder('900001', phone(1)), kaspiOrder('900002', null)];
		const out = await runAmo(syncContext(orders, { dryRun: true }));
		expect(writes(fake.requests)).toEqual([]);
		expect(out[0]).toMatchObject({ action: 'created', dryRun: true, dealId: null });
		const paths = (out[0].requests as IDataObject[]).map((request) => request.path);
		expect(paths).toEqual(['/api/v4/leads/complex', '/api/v4/leads/notes', '/api/v4/leads/link']);
		const complex = (out[1].requests as IDataObject[])[0].body as IDataObject[];
		expect(complex[1]._embedded).toEqual({ tags: [{ name: 'kaspi' }, { name: 'kaspi:NEW' }] });
	});

	it('reports an order without a code as its own error and syncs the rest', async () => {
		const out = await runAmo(
			syncContext([kaspiOrder('', phone(1)), kaspiOrder('910001', phone(2))]),
		);
		expect(out[0]).toMatchObject({ action: 'error', error: expect.stringMatching(/order code/) });
		expect(out[1]).toMatchObject({ action: 'created' });
	});

	it('stops the whole run when amoCRM blocks the account', async () => {
		nock.cleanAll();
		nock(AMO).get('/api/v4/leads').query(true).reply(403, '');
		const error = await rejectionOf(runAmo(syncContext([kaspiOrder('920001', phone(1))])));
		expect(error.message).toBe(BLOCKED_MESSAGE);
		nock(AMO).get('/api/v4/leads').query(true).reply(403, '');
		const orders = items([kaspiOrder('920001', phone(1))]);
		const out = await runAmo(amoContext(syncParams(), { items: orders, continueOnFail: true }));
		expect(out).toEqual([{ action: 'error', error: BLOCKED_MESSAGE, orderCode: '920001' }]);
	});

	it('writes a readable order note', () => {
		const note = orderNote(kaspiOrder('1', '+77011234567') as never);
		expect(note).toContain('Kaspi order 1 (NEW)');
		expect(note).toContain('2 × Кружка (SKU SKU-2)');
		expect(note).not.toContain('77011234567');
	});
});

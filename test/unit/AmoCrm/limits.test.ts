/**
 * 403 and 429 as a real account answers them (issue 13): a rights 403 is not a block, and a 429
 * never holds an execution for long nor repeats quickly. docs/services/amocrm.md, "Rate limit and
 * blocking", "Conformance".
 */
import nock from 'nock';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import { router } from '../../../nodes/AmoCrm/actions/router';
import { amoRequest, BLOCKED_MESSAGE } from '../../../nodes/AmoCrm/transport';
import {
	AMO,
	amoContext,
	FakeAmo,
	kaspiOrder,
	syncContext,
	useFakeLimiterClock,
} from '../../helpers/amocrm';
import { rejectionOf, useNock } from '../../helpers/http';

jest.mock('n8n-workflow', () => ({ ...jest.requireActual('n8n-workflow'), sleep: jest.fn() }));
const waits = () => jest.mocked(sleep).mock.calls.map(([ms]) => ms);

useNock();
useFakeLimiterClock();
beforeEach(() => jest.mocked(sleep).mockClear());

const get = async (path: string) => await amoRequest(amoContext({}), { method: 'GET', path });
const RIGHTS = {
	title: 'Forbidden',
	status: 403,
	detail: 'Не хватает прав для вызова данного метода',
};

async function run(context: IExecuteFunctions): Promise<IDataObject[]> {
	const [output] = await router.call(context);
	return output.map((item: INodeExecutionData) => item.json);
}

describe('403: a block stops the run, missing rights fail only their step', () => {
	it('a JSON 403 on the users list is "insufficient rights", naming it, with no retry', async () => {
		const scope = nock(AMO).get('/api/v4/users').query(true).once().reply(403, RIGHTS);
		const error = await rejectionOf(
			amoRequest(amoContext({}), { method: 'GET', path: '/api/v4/users', qs: { limit: 250 } }),
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(
			'amoCRM: insufficient rights for the users list (amoCRM lets only administrators read it)',
		);
		expect(error.description).toMatch(/Не хватает прав/);
		expect(scope.isDone()).toBe(true);
		expect(waits()).toEqual([]);
	});

	it('a JSON 403 on another path names the method and path', async () => {
		nock(AMO).get('/api/v4/leads/41').reply(403, RIGHTS);
		const error = await rejectionOf(get('/api/v4/leads/41'));
		expect(error.message).toBe('amoCRM: insufficient rights for GET /api/v4/leads/41');
	});

	it('an HTML 403 is a block', async () => {
		nock(AMO).get('/api/v4/account').reply(403, '<html><body>403 Forbidden</body></html>', {
			'Content-Type': 'text/html',
		});
		expect((await rejectionOf(get('/api/v4/account'))).message).toBe(BLOCKED_MESSAGE);
	});

	it('a JSON 403 right after 429s is a block', async () => {
		nock(AMO)
			.get('/api/v4/account')
			.reply(429, { status: 429, retry_after: 2 })
			.get('/api/v4/account')
			.reply(403, { title: 'Forbidden', status: 403 });
		expect((await rejectionOf(get('/api/v4/account'))).message).toBe(BLOCKED_MESSAGE);
	});

	it('Sync Orders: no rights for lists fails only the products step; the deals are made', async () => {
		nock(AMO).persist().get('/api/v4/catalogs').query(true).reply(403, RIGHTS);
		const fake = new FakeAmo().install();
		const out = await run(syncContext([kaspiOrder('400001', '+77010000001')]));
		expect(out[0]).toMatchObject({
			action: 'created',
			productsError: expect.stringMatching(/insufficient rights for lists/),
		});
		expect(fake.leads.size).toBe(1);
		expect(fake.notes).toHaveLength(1);
	});
});

describe('429: short waits honoured, long ones fail fast, no quick repeats', () => {
	it('reads a Retry-After header when the body has no retry_after', async () => {
		nock(AMO)
			.get('/api/v4/account')
			.reply(429, '', { 'Retry-After': '7' })
			.get('/api/v4/account')
			.reply(200, { id: 1 });
		await expect(get('/api/v4/account')).resolves.toEqual({ id: 1 });
		expect(waits()).toEqual([7000]);
	});

	it('a retry_after over a minute fails at once with a clear message; later calls fail unsent', async () => {
		const scope = nock(AMO)
			.get('/api/v4/account')
			.once()
			.reply(429, { title: 'Too Many Requests', status: 429, retry_after: 300 });
		const error = await rejectionOf(get('/api/v4/account'));
		expect(error.message).toBe(
			'amoCRM asked to wait 300 s before the next call (429 Too Many Requests)',
		);
		expect(waits()).toEqual([]);
		expect(scope.isDone()).toBe(true);
		// Nothing is routed any more: a second call must fail without reaching the account.
		const next = await rejectionOf(get('/api/v4/leads'));
		expect(next.message).toMatch(/^amoCRM asked to wait 300 s/);
	});

	it('a Retry-After header over a minute fails fast too', async () => {
		nock(AMO).get('/api/v4/account').reply(429, '', { 'Retry-After': '120' });
		expect((await rejectionOf(get('/api/v4/account'))).message).toMatch(/wait 120 s/);
		expect(waits()).toEqual([]);
	});

	it('Sync Orders stops the whole run at a long retry_after rather than fail every order in turn', async () => {
		nock(AMO).post('/api/v4/leads/complex').reply(429, { status: 429, retry_after: 600 });
		const fake = new FakeAmo().install();
		const error = await rejectionOf(run(syncContext([kaspiOrder('400002', '+77010000002')])));
		expect(error.message).toMatch(/^amoCRM asked to wait 600 s/);
		expect(waits()).toEqual([]);
		expect(fake.leads.size).toBe(0);
	});
});

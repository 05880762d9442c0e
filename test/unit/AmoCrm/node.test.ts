import nock from 'nock';
import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
} from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import { AmoCrmLongLivedApi } from '../../../credentials/AmoCrmLongLivedApi.credentials';
import { AmoCrmOAuth2Api } from '../../../credentials/AmoCrmOAuth2Api.credentials';
import { router } from '../../../nodes/AmoCrm/actions/router';
import { orderNote } from '../../../nodes/AmoCrm/helpers/orderNote';
import { RESCAN_AFTER_504_MS } from '../../../nodes/AmoCrm/helpers/sync';
import { amoGetAll, amoRequest, BLOCKED_MESSAGE } from '../../../nodes/AmoCrm/transport';
import { accountBaseUrl } from '../../../nodes/AmoCrm/transport/host';
import { acquire, pauseHost } from '../../../nodes/AmoCrm/transport/limiter';
import { obtainTokens } from '../../../nodes/AmoCrm/transport/oauth';
import {
	AMO,
	AMO_TOKEN,
	amoContext,
	CATALOG_ID,
	FakeAmo,
	FIELD_ID,
	kaspiOrder,
	longLived,
	syncContext,
	syncParams,
	useFakeLimiterClock,
} from '../../helpers/amocrm';
import { fakeTime, yieldToTimers } from '../../helpers/clock';
import { fakeContext, httpRequest } from '../../helpers/context';
import {
	errorText,
	recordRequest,
	rejectionOf,
	type RecordedRequest,
	useNock,
} from '../../helpers/http';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	return { ...actual, sleep: jest.fn(async () => undefined) };
});
const sleepMock = jest.mocked(sleep);

useNock();
useFakeLimiterClock();
beforeEach(() => sleepMock.mockClear());

async function run(context: IExecuteFunctions): Promise<IDataObject[]> {
	const [output] = await router.call(context);
	return output.map((item: INodeExecutionData) => item.json);
}

describe('credentials', () => {
	it('builds the account host for amoCRM, Kommo and a custom base URL', () => {
		expect(accountBaseUrl({ platform: 'amocrm.ru', subdomain: 'Shop' })).toBe(
			'https://shop.amocrm.ru',
		);
		expect(accountBaseUrl({ platform: 'kommo.com', subdomain: 'shop.kommo.com' })).toBe(
			'https://shop.kommo.com',
		);
		expect(accountBaseUrl({ platform: 'custom', baseUrl: 'http://127.0.0.1:4010/amocrm/' })).toBe(
			'http://127.0.0.1:4010/amocrm',
		);
		expect(() => accountBaseUrl({ platform: 'amocrm.ru', subdomain: 'bad host' })).toThrow(
			/Subdomain/,
		);
	});

	it('both credentials test with GET /api/v4/account and a bearer token', () => {
		for (const credential of [new AmoCrmLongLivedApi(), new AmoCrmOAuth2Api()]) {
			expect(credential.test.request.url).toBe('/api/v4/account');
			expect(credential.authenticate.properties.headers?.Authorization).toBe(
				'=Bearer {{$credentials.accessToken}}',
			);
		}
		expect(
			new AmoCrmOAuth2Api().properties.find((p) => p.name === 'accessToken')?.typeOptions,
		).toEqual({
			expirable: true,
			password: true,
		});
	});
});

describe('OAuth2 refresh', () => {
	const oauthCredentials = {
		platform: 'amocrm.ru',
		subdomain: 'shop',
		clientId: 'client-1',
		clientSecret: 'secret-1',
		redirectUri: 'https://n8n.example.test/rest/oauth2-credential/callback',
		authorizationCode: '',
		accessToken: '',
		refreshToken: 'refresh-1',
		expiresAt: 0,
	};
	const post = async (url: string, body: IDataObject) =>
		await httpRequest({ method: 'POST', url, body, json: true } as IHttpRequestOptions);

	it('sends the JSON body amoCRM documents, redirect_uri included, and rotates', async () => {
		let seen: IDataObject | undefined;
		nock(AMO)
			.post('/oauth2/access_token', (body: IDataObject) => {
				seen = body;
				return true;
			})
			.reply(200, {
				token_type: 'Bearer',
				expires_in: 86400,
				access_token: 'access-2',
				refresh_token: 'refresh-2',
			});
		const tokens = await obtainTokens(post, oauthCredentials);
		expect(seen).toEqual({
			client_id: 'client-1',
			client_secret: 'secret-1',
			redirect_uri: oauthCredentials.redirectUri,
			grant_type: 'refresh_token',
			refresh_token: 'refresh-1',
		});
		expect(tokens).toMatchObject({ accessToken: 'access-2', refreshToken: 'refresh-2' });
		expect(tokens.expiresAt).toBeGreaterThan(Date.now() + 86000 * 1000);
	});

	it('never spends one refresh token twice in a process: concurrent and later callers share the pair', async () => {
		const scope = nock(AMO)
			.post('/oauth2/access_token')
			.once()
			.reply(200, { expires_in: 86400, access_token: 'access-2', refresh_token: 'refresh-2' });
		const [a, b] = await Promise.all([
			obtainTokens(post, oauthCredentials),
			obtainTokens(post, oauthCredentials),
		]);
		const later = await obtainTokens(post, oauthCredentials);
		expect(a).toEqual(b);
		expect(later).toEqual(a);
		expect(scope.isDone()).toBe(true);
	});

	it('keeps a live access token (a credential test) without spending the refresh token', async () => {
		const live = { ...oauthCredentials, accessToken: 'live', expiresAt: Date.now() + 3600_000 };
		await expect(obtainTokens(post, live)).resolves.toMatchObject({
			accessToken: 'live',
			refreshToken: 'refresh-1',
		});
	});

	it('exchanges the authorization code once, even when a credential test used it first', async () => {
		const fresh = { ...oauthCredentials, refreshToken: '', authorizationCode: 'code-1' };
		let body: IDataObject | undefined;
		nock(AMO)
			.post('/oauth2/access_token', (sent: IDataObject) => {
				body = sent;
				return true;
			})
			.once()
			.reply(200, { expires_in: 86400, access_token: 'a1', refresh_token: 'r1' });
		const first = await obtainTokens(post, fresh);
		const second = await obtainTokens(post, fresh);
		expect(body).toMatchObject({
			grant_type: 'authorization_code',
			code: 'code-1',
			redirect_uri: oauthCredentials.redirectUri,
		});
		expect(second).toEqual(first);
	});

	it('a 401 mid-run refreshes once through preAuthentication, stores the rotated pair and repeats the call', async () => {
		let stored: IDataObject = {
			...oauthCredentials,
			accessToken: 'old',
			expiresAt: Date.now() + 3600_000,
		};
		const persisted: IDataObject[] = [];
		const credential = new AmoCrmOAuth2Api();
		const { context } = fakeContext({ parameters: { authentication: 'oAuth2' } });
		const fake = context as unknown as { helpers: IDataObject; getCredentials: unknown };
		fake.getCredentials = async () => stored;
		// n8n's httpRequestWithAuthentication for a preAuthentication credential (n8n-core 1.x).
		fake.helpers.httpRequestWithAuthentication = async (
			_type: string,
			options: IHttpRequestOptions,
			additional?: { credentialsDecrypted?: { data: IDataObject } },
		) => {
			const data = { ...(additional?.credentialsDecrypted?.data ?? stored) };
			if (data.accessToken === '') {
				const output = await credential.preAuthentication.call(
					{ helpers: { httpRequest } } as never,
					data as never,
				);
				Object.assign(data, output);
				stored = data;
				persisted.push(output);
			}
			return await httpRequest({
				...options,
				headers: { ...options.headers, Authorization: `Bearer ${String(data.accessToken)}` },
			});
		};
		const ctx = context as unknown as IExecuteFunctions;
		const auth: string[] = [];
		nock(AMO)
			.get('/api/v4/account')
			.times(3)
			.reply(function () {
				const header = String(this.req.headers.authorization);
				auth.push(header);
				return header === 'Bearer old'
					? [401, { title: 'Unauthorized', status: 401 }]
					: [200, { id: 1 }];
			});
		const refresh = nock(AMO)
			.post(
				'/oauth2/access_token',
				(body: IDataObject) =>
					body.refresh_token === 'refresh-1' && body.redirect_uri === oauthCredentials.redirectUri,
			)
			.once()
			.reply(200, { expires_in: 86400, access_token: 'new', refresh_token: 'refresh-2' });
		await amoRequest(ctx, { method: 'GET', path: '/api/v4/account' });
		await amoRequest(ctx, { method: 'GET', path: '/api/v4/account' });
		expect(auth).toEqual(['Bearer old', 'Bearer new', 'Bearer new']);
		expect(refresh.isDone()).toBe(true);
		expect(persisted).toHaveLength(1);
		expect(stored).toMatchObject({
			accessToken: 'new',
			refreshToken: 'refresh-2',
			authorizationCode: '',
		});
	});
});

describe('limiter', () => {
	const call = async (host: string, latencyMs = 0) => {
		const release = await acquire(host);
		const left = fakeTime.now;
		fakeTime.now += latencyMs;
		release();
		return left;
	};

	it('admits at most 7 calls in any second per host, in arrival order', async () => {
		const starts: number[] = [];
		for (let index = 0; index < 20; index++) starts.push(await call('shop.amocrm.ru'));
		for (let index = 7; index < starts.length; index++) {
			expect(starts[index] - starts[index - 7]).toBeGreaterThanOrEqual(1000);
		}
		expect(starts).toEqual([...starts].sort((a, b) => a - b));
	});

	it('counts a call until its answer is a second old, so latency never packs 8 arrivals in a second', async () => {
		// The first call is slow: it may have reached amoCRM just before its answer came back.
		const first = await call('slow.amocrm.ru', 400);
		const rest: number[] = [];
		for (let index = 0; index < 7; index++) rest.push(await call('slow.amocrm.ru'));
		expect(rest[6] - (first + 400)).toBeGreaterThanOrEqual(1000);
	});

	it('waits for calls in flight before admitting an eighth', async () => {
		const releases = await Promise.all(
			Array.from({ length: 7 }, async () => await acquire('busy.amocrm.ru')),
		);
		let admitted = false;
		const eighth = acquire('busy.amocrm.ru').then((release) => {
			admitted = true;
			return release;
		});
		await yieldToTimers();
		const before = fakeTime.now;
		releases.forEach((release) => release());
		(await eighth)();
		expect(admitted).toBe(true);
		expect(fakeTime.now - before).toBeGreaterThanOrEqual(1000);
	});

	it('counts hosts separately and holds a host paused by a 429', async () => {
		const start = fakeTime.now;
		for (let index = 0; index < 7; index++) await call('a.amocrm.ru');
		await call('b.amocrm.ru');
		expect(fakeTime.now).toBe(start);
		pauseHost('b.amocrm.ru', 5);
		await call('b.amocrm.ru');
		expect(fakeTime.now - start).toBeGreaterThanOrEqual(5000);
	});
});

describe('transport rules', () => {
	const ctx = () => amoContext({});

	it('honours retry_after from a 429 body, then succeeds', async () => {
		nock(AMO)
			.get('/api/v4/account')
			.reply(
				429,
				{ title: 'Too Many Requests', status: 429, retry_after: 3 },
				{ 'Content-Type': 'application/problem+json' },
			)
			.get('/api/v4/account')
			.reply(200, { id: 1 });
		await expect(amoRequest(ctx(), { method: 'GET', path: '/api/v4/account' })).resolves.toEqual({
			id: 1,
		});
		expect(sleepMock.mock.calls).toEqual([[3000]]);
	});

	it('retries a 429 even for a create, which amoCRM did not process', async () => {
		nock(AMO)
			.post('/api/v4/leads')
			.reply(429, { retry_after: 1 })
			.post('/api/v4/leads')
			.reply(200, { _embedded: { leads: [{ id: 5 }] } });
		await expect(
			amoRequest(ctx(), { method: 'POST', path: '/api/v4/leads', body: [{ name: 'x' }] }),
		).resolves.toBeDefined();
	});

	it('stops at a 403 with the blocked message and no retry', async () => {
		const scope = nock(AMO)
			.get('/api/v4/account')
			.once()
			.reply(403, '<html>403 Forbidden nginx</html>');
		const error = await rejectionOf(amoRequest(ctx(), { method: 'GET', path: '/api/v4/account' }));
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(BLOCKED_MESSAGE);
		expect(scope.isDone()).toBe(true);
		expect(sleepMock).not.toHaveBeenCalled();
	});

	it('does not retry a 504 on a write (the caller halves the batch)', async () => {
		nock(AMO).post('/api/v4/leads/complex').once().reply(504, '');
		const error = await rejectionOf(
			amoRequest(ctx(), { method: 'POST', path: '/api/v4/leads/complex', body: [{}] }),
		);
		expect((error as NodeApiError).httpCode).toBe('504');
	});

	it('retries a 504 on a read, like any 5xx', async () => {
		nock(AMO)
			.get('/api/v4/leads')
			.query(true)
			.reply(504, '<html>504 Gateway Time-out</html>')
			.get('/api/v4/leads')
			.query(true)
			.reply(200, { _embedded: { leads: [{ id: 1 }] } });
		await expect(amoGetAll(ctx(), '/api/v4/leads', 'leads')).resolves.toEqual([{ id: 1 }]);
	});

	it('reads a 204 as an empty list', async () => {
		nock(AMO).get('/api/v4/leads').query(true).reply(204);
		await expect(amoGetAll(ctx(), '/api/v4/leads', 'leads')).resolves.toEqual([]);
	});

	it('turns problem+json validation errors into a message naming the element, with no token', async () => {
		nock(AMO)
			.post('/api/v4/leads')
			.reply(
				400,
				{
					'validation-errors': [
						{
							request_id: '0',
							errors: [
								{
									code: 'NotSupportedChoice',
									path: 'custom_fields_values.0.field_id',
									detail: 'The value you selected is not a valid choice.',
								},
							],
						},
					],
					title: 'Bad Request',
					status: 400,
					detail: 'Request validation failed',
				},
				{ 'Content-Type': 'application/problem+json' },
			);
		const error = await rejectionOf(
			amoRequest(ctx(), { method: 'POST', path: '/api/v4/leads', body: [{}] }),
		);
		expect(error.message).toBe(
			'amoCRM: [0] custom_fields_values.0.field_id: The value you selected is not a valid choice.',
		);
		expect(errorText(error)).not.toContain(AMO_TOKEN);
	});
});

describe('deal operations', () => {
	it('Create posts one deal with custom fields, tags and a contact', async () => {
		let body: unknown;
		nock(AMO)
			.post('/api/v4/leads', (sent) => {
				body = sent;
				return true;
			})
			.reply(200, { _embedded: { leads: [{ id: 41, request_id: '0' }] } });
		const out = await run(
			amoContext({
				resource: 'deal',
				operation: 'create',
				name: 'Kaspi order 1',
				additionalFields: {
					price: 4590.4,
					pipeline: { __rl: true, mode: 'list', value: '7000001' },
					statusId: 7100001,
					tags: 'kaspi, vip',
					contactId: '77',
					customFields: { field: [{ fieldId: FIELD_ID, value: '1' }] },
				},
			}),
		);
		expect(out).toEqual([{ id: 41, request_id: '0' }]);
		expect(body).toEqual([
			{
				name: 'Kaspi order 1',
				price: 4590,
				pipeline_id: 7000001,
				status_id: 7100001,
				tags_to_add: [{ name: 'kaspi' }, { name: 'vip' }],
				custom_fields_values: [{ field_id: FIELD_ID, values: [{ value: '1' }] }],
				_embedded: { contacts: [{ id: 77, is_main: true }] },
			},
		]);
	});

	it('Update patches the deal and refuses an empty change', async () => {
		nock(AMO).patch('/api/v4/leads/41', { price: 10 }).reply(200, { id: 41, updated_at: 1 });
		await expect(
			run(
				amoContext({
					resource: 'deal',
					operation: 'update',
					dealId: '41',
					updateFields: { price: 10 },
				}),
			),
		).resolves.toEqual([{ id: 41, updated_at: 1 }]);
		const error = await rejectionOf(
			run(amoContext({ resource: 'deal', operation: 'update', dealId: '41', updateFields: {} })),
		);
		expect(error.message).toMatch(/Update Fields is empty/);
	});

	it('Get reads one deal, and a bad ID is an error naming the field', async () => {
		nock(AMO)
			.get('/api/v4/leads/41')
			.query({ with: 'contacts,catalog_elements' })
			.reply(200, { id: 41 });
		await expect(
			run(amoContext({ resource: 'deal', operation: 'get', dealId: '41', withLinks: true })),
		).resolves.toEqual([{ id: 41 }]);
		const error = await rejectionOf(
			run(amoContext({ resource: 'deal', operation: 'get', dealId: 'abc' })),
		);
		expect(error.message).toBe('Deal ID must be a positive number');
	});

	it('Get Many with Return All pages through 250 at a time and stops at a 204', async () => {
		const queries: Record<string, string>[] = [];
		nock(AMO)
			.get('/api/v4/leads')
			.query(true)
			.times(3)
			.reply((uri) => {
				const { query } = recordRequest({ path: uri, headers: {} }, '');
				queries.push(query);
				if (query.page === '3') return [204, ''];
				return [
					200,
					{ _links: { next: { href: 'n' } }, _embedded: { leads: [{ id: Number(query.page) }] } },
				];
			});
		const out = await run(
			amoContext({
				resource: 'deal',
				operation: 'getMany',
				returnAll: true,
				filters: { query: 'abc', pipeline: '7000001' },
			}),
		);
		expect(out).toEqual([{ id: 1 }, { id: 2 }]);
		expect(queries[0]).toMatchObject({
			query: 'abc',
			'filter[pipeline_id]': '7000001',
			limit: '250',
			page: '1',
		});
	});

	it('Get Many returns nothing for an empty account (204)', async () => {
		nock(AMO).get('/api/v4/leads').query(true).reply(204);
		await expect(
			run(
				amoContext({
					resource: 'deal',
					operation: 'getMany',
					returnAll: false,
					limit: 10,
					filters: {},
				}),
			),
		).resolves.toEqual([]);
	});

	it('Search by Order Code keeps only deals whose field equals the code', async () => {
		const field = (value: string) => [{ field_id: FIELD_ID, values: [{ value }] }];
		nock(AMO)
			.get('/api/v4/leads')
			.query({ query: '512', limit: '50' })
			.reply(200, {
				_embedded: {
					leads: [
						{ id: 1, custom_fields_values: field('5123') },
						{ id: 2, custom_fields_values: field('512') },
					],
				},
			});
		const out = await run(
			amoContext({
				resource: 'deal',
				operation: 'searchByCode',
				orderCode: '512',
				orderCodeField: { __rl: true, mode: 'id', value: String(FIELD_ID) },
			}),
		);
		expect(out.map((deal) => deal.id)).toEqual([2]);
	});
});

describe('contact operations', () => {
	let fake: FakeAmo;
	beforeEach(() => {
		fake = new FakeAmo().install();
	});

	it('Find by Phone queries the full number, then the national one, and re-checks PHONE values in any format', async () => {
		const match = fake.addContact('Aigerim', '8 (701) 123-45-67');
		fake.addContact('Other', '+7 701 123 45 60');
		fake.contacts.set(999, {
			id: 999,
			name: 'Payment code 7011234567',
			updated_at: 1,
			custom_fields_values: [],
		});
		const out = await run(
			amoContext({ resource: 'contact', operation: 'findByPhone', phone: '+77011234567' }),
		);
		expect(out).toEqual([expect.objectContaining({ found: true, id: match })]);
		expect(fake.requests.map((request) => request.query.query)).toEqual([
			'77011234567',
			'7011234567',
		]);
	});

	it('Find by Phone finds the contact the pack wrote on an account whose search matches word beginnings only', async () => {
		nock.cleanAll();
		const stored = {
			id: 41,
			name: 'Aigerim',
			updated_at: 1,
			custom_fields_values: [{ field_code: 'PHONE', values: [{ value: '+77011234567' }] }],
		};
		const queries: string[] = [];
		// "7011234567" begins no word of "+77011234567"; the full digits do.
		nock(AMO)
			.get('/api/v4/contacts')
			.query(true)
			.times(2)
			.reply((uri) => {
				const query = new URL(uri, AMO).searchParams.get('query') ?? '';
				queries.push(query);
				return query === '77011234567' ? [200, { _embedded: { contacts: [stored] } }] : [204, ''];
			});
		const out = await run(
			amoContext({ resource: 'contact', operation: 'findByPhone', phone: '87011234567' }),
		);
		expect(out).toEqual([expect.objectContaining({ found: true, id: 41 })]);
		expect(queries).toEqual(['77011234567']);
	});

	it('Find by Phone masks the number when nothing matches', async () => {
		const out = await run(
			amoContext({ resource: 'contact', operation: 'findByPhone', phone: '87011234567' }),
		);
		expect(out).toEqual([{ found: false, phone: expect.stringMatching(/\*/) }]);
		expect(JSON.stringify(out)).not.toContain('7011234567');
	});

	it('Find or Create returns the existing contact, or creates one with a normalised phone', async () => {
		const id = fake.addContact('Aigerim', '+7 701 123 45 67');
		await expect(
			run(
				amoContext({
					resource: 'contact',
					operation: 'findOrCreate',
					phone: '7011234567',
					name: 'X',
					additionalFields: {},
				}),
			),
		).resolves.toEqual([expect.objectContaining({ id, created: false })]);
		let body: unknown;
		nock(AMO)
			.post('/api/v4/contacts', (sent) => {
				body = sent;
				return true;
			})
			.reply(200, { _embedded: { contacts: [{ id: 555 }] } });
		await expect(
			run(
				amoContext({
					resource: 'contact',
					operation: 'findOrCreate',
					phone: '8 702 000 11 22',
					name: 'Dana',
					additionalFields: { email: 'd@x.kz' },
				}),
			),
		).resolves.toEqual([{ id: 555, created: true }]);
		expect(body).toEqual([
			{
				name: 'Dana',
				custom_fields_values: [
					{ field_code: 'PHONE', values: [{ value: '+77020001122', enum_code: 'MOB' }] },
					{ field_code: 'EMAIL', values: [{ value: 'd@x.kz', enum_code: 'WORK' }] },
				],
			},
		]);
	});

	it('Create refuses a masked Kaspi phone', async () => {
		const error = await rejectionOf(
			run(
				amoContext({
					resource: 'contact',
					operation: 'create',
					phone: '+0(000)-000-00-00',
					name: 'X',
					additionalFields: {},
				}),
			),
		);
		expect(error.message).toMatch(/Phone Number/);
	});
});

describe('note and product operations', () => {
	it('Note Add posts a common note to the deal', async () => {
		nock(AMO)
			.post('/api/v4/leads/41/notes', [{ note_type: 'common', params: { text: 'Hello' } }])
			.reply(200, { _embedded: { notes: [{ id: 9, entity_id: 41 }] } });
		await expect(
			run(amoContext({ resource: 'note', operation: 'add', dealId: '41', text: 'Hello' })),
		).resolves.toEqual([{ id: 9, entity_id: 41 }]);
	});

	it('Product Find or Create by SKU finds by the SKU field, else creates in the products catalog', async () => {
		const fake = new FakeAmo().install();
		fake.elements.set(7, { id: 7, name: 'Чайник', sku: 'SKU-10' });
		const params = {
			resource: 'product',
			operation: 'findOrCreate',
			catalogId: '',
			name: 'Кружка',
			price: 2500,
		};
		await expect(run(amoContext({ ...params, sku: 'SKU-1' }))).resolves.toEqual([
			expect.objectContaining({ id: expect.any(Number), sku: 'SKU-1', created: true }),
		]);
		await expect(run(amoContext({ ...params, sku: 'SKU-10' }))).resolves.toEqual([
			expect.objectContaining({ id: 7, created: false }),
		]);
	});

	it('Product Link sends quantity and catalog id', async () => {
		nock(AMO)
			.post('/api/v4/leads/41/link', [
				{
					to_entity_id: 7,
					to_entity_type: 'catalog_elements',
					metadata: { catalog_id: CATALOG_ID, quantity: 3 },
				},
			])
			.reply(200, { _embedded: { links: [{ entity_id: 41, to_entity_id: 7 }] } });
		await expect(
			run(
				amoContext({
					resource: 'product',
					operation: 'link',
					dealId: '41',
					productId: '7',
					catalogId: CATALOG_ID,
					quantity: 3,
				}),
			),
		).resolves.toEqual([{ entity_id: 41, to_entity_id: 7 }]);
	});
});

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
		const out = await run(syncContext(orders));
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
		await run(syncContext(orders));
		fake.requests = [];
		const again = await run(syncContext(orders));
		expect(again.map((result) => result.action)).toEqual(Array(5).fill('unchanged'));
		expect(writes(fake.requests)).toEqual([]);

		fake.requests = [];
		orders[2] = { ...orders[2], state: 'COMPLETED' };
		const changed = await run(syncContext(orders));
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
		const crashed = await run(syncContext(orders));
		expect(crashed[0]).toMatchObject({ action: 'error', dealId: expect.any(Number) });
		fake.install();
		const rerun = await run(syncContext(orders));
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
		const out = await run(syncContext(orders, { linkProducts: false, addNotes: false }));
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
		const out = await run(syncContext(orders, { dryRun: true }));
		expect(writes(fake.requests)).toEqual([]);
		expect(out[0]).toMatchObject({ action: 'created', dryRun: true, dealId: null });
		const paths = (out[0].requests as IDataObject[]).map((request) => request.path);
		expect(paths).toEqual(['/api/v4/leads/complex', '/api/v4/leads/notes', '/api/v4/leads/link']);
		const complex = (out[1].requests as IDataObject[])[0].body as IDataObject[];
		expect(complex[1]._embedded).toEqual({ tags: [{ name: 'kaspi' }, { name: 'kaspi:NEW' }] });
	});

	it('reports an order without a code as its own error and syncs the rest', async () => {
		const out = await run(syncContext([kaspiOrder('', phone(1)), kaspiOrder('910001', phone(2))]));
		expect(out[0]).toMatchObject({ action: 'error', error: expect.stringMatching(/order code/) });
		expect(out[1]).toMatchObject({ action: 'created' });
	});

	it('stops the whole run when amoCRM blocks the account', async () => {
		nock.cleanAll();
		nock(AMO).get('/api/v4/leads').query(true).reply(403, '');
		const error = await rejectionOf(run(syncContext([kaspiOrder('920001', phone(1))])));
		expect(error.message).toBe(BLOCKED_MESSAGE);
		nock(AMO).get('/api/v4/leads').query(true).reply(403, '');
		const orders = items([kaspiOrder('920001', phone(1))]);
		const out = await run(amoContext(syncParams(), { items: orders, continueOnFail: true }));
		expect(out).toEqual([{ action: 'error', error: BLOCKED_MESSAGE, orderCode: '920001' }]);
	});

	it('writes a readable order note', () => {
		const note = orderNote(kaspiOrder('1', '+77011234567') as never);
		expect(note).toContain('Kaspi order 1 (NEW)');
		expect(note).toContain('2 × Кружка (SKU SKU-2)');
		expect(note).not.toContain('77011234567');
	});
});

describe('long-lived credential', () => {
	it('sends the token as a bearer header', async () => {
		let header: string | undefined;
		nock(AMO)
			.get('/api/v4/account')
			.reply(function () {
				header = String(this.req.headers.authorization);
				return [200, { id: 1 }];
			});
		await amoRequest(amoContext({}), { method: 'GET', path: '/api/v4/account' });
		expect(header).toBe(`Bearer ${AMO_TOKEN}`);
		expect(longLived.subdomain).toBe('shop');
	});
});

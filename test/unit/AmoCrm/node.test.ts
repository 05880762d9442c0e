import nock from 'nock';
import type { IDataObject, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import { AmoCrmLongLivedApi } from '../../../credentials/AmoCrmLongLivedApi.credentials';
import { AmoCrmOAuth2Api } from '../../../credentials/AmoCrmOAuth2Api.credentials';
import { amoGetAll, amoRequest, BLOCKED_MESSAGE } from '../../../nodes/AmoCrm/transport';
import { accountBaseUrl } from '../../../nodes/AmoCrm/transport/host';
import { acquire, pauseHost } from '../../../nodes/AmoCrm/transport/limiter';
import { obtainTokens } from '../../../nodes/AmoCrm/transport/oauth';
import { AMO, AMO_TOKEN, amoContext, longLived, useAmoUnit } from '../../helpers/amocrm';
import { fakeTime, yieldToTimers } from '../../helpers/clock';
import { fakeContext, httpRequest } from '../../helpers/context';
import { errorText, rejectionOf } from '../../helpers/http';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	return { ...actual, sleep: jest.fn(async () => undefined) };
});
const sleepMock = jest.mocked(sleep);

useAmoUnit();

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

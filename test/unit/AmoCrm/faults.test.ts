/**
 * amoCRM rows of the fault matrix.
 *
 * A refresh token already spent by another worker: two n8n workers hold the same stored pair; the
 * other one refreshed first and n8n stored the rotated pair, so amoCRM refuses the refresh token
 * this one spends (401 "Token has been revoked", docs/services/amocrm.md, "OAuth2"). The
 * transport reads the credential again — n8n reads it from the database on every
 * `getCredentials` — and goes on with the stored pair, or says clearly that the credential must
 * be re-authorised.
 *
 * A storm of 429s without `retry_after` (the sandbox's `{service: "amocrm", fault: "http429"}`):
 * a call backs off from 5 s, at most three times (quick repeats get an account blocked:
 * docs/services/amocrm.md, "Rate limit and blocking"), none is dropped within that, and Sync Orders
 * still creates every deal exactly once.
 */
import nock from 'nock';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import { AmoCrmOAuth2Api } from '../../../credentials/AmoCrmOAuth2Api.credentials';
import { router } from '../../../nodes/AmoCrm/actions/router';
import {
	amoRequest,
	RATE_LIMIT_RETRIES,
	REFRESH_SPENT_MESSAGE,
	STORED_PAIR_REREAD_MS,
} from '../../../nodes/AmoCrm/transport';
import {
	AMO,
	amoContext,
	FakeAmo,
	kaspiOrder,
	syncContext,
	useFakeLimiterClock,
} from '../../helpers/amocrm';
import { sleeps } from '../../helpers/clock';
import { fakeContext, httpRequest, testNode } from '../../helpers/context';
import { errorText, rejectionOf, useNock } from '../../helpers/http';

// The transport waits with n8n's sleep (retry_after, re-reads): record the waits, do not wait.
jest.mock('n8n-workflow', () => ({ ...jest.requireActual('n8n-workflow'), sleep: jest.fn() }));
const waits = () => jest.mocked(sleep).mock.calls.map(([ms]) => ms);

useNock();
useFakeLimiterClock();
beforeEach(() => jest.mocked(sleep).mockClear());

const HOUR = 3600_000;
/** The account and the integration, as the OAuth2 credential holds them. */
const client = { platform: 'custom', baseUrl: AMO, authorizationCode: '' };
const integration = {
	clientId: 'client-7',
	clientSecret: 'secret-7',
	redirectUri: `${AMO}/callback`,
};
/** The pair both workers read; its access token has run out. */
const oldPair = {
	...client,
	...integration,
	accessToken: 'access-old',
	refreshToken: 'refresh-old',
	expiresAt: Date.now() - HOUR,
};
/** What the other worker got for `refresh-old` and n8n stored. */
const storedElsewhere = {
	...client,
	...integration,
	accessToken: 'access-other',
	refreshToken: 'refresh-other',
	expiresAt: Date.now() + 23 * HOUR,
};

const REVOKED = {
	hint: 'Token has been revoked',
	title: 'Некорректный запрос',
	type: 'https://developers.amocrm.ru/v3/errors/OAuthProblemJson',
	status: 401,
	detail: 'В запросе отсутствует ряд параметров или параметры невалидны',
};

/**
 * A context whose `getCredentials` returns each of `reads` in turn (the last one from then on), and
 * whose `httpRequestWithAuthentication` does what n8n-core 1.x does for a credential with
 * `preAuthentication`: runs it when the access token is empty, and wraps what it throws in a
 * NodeApiError.
 */
function workerContext(reads: ICredentialDataDecryptedObject[]) {
	const credential = new AmoCrmOAuth2Api();
	const { context } = fakeContext({ parameters: { authentication: 'oAuth2' } });
	const fake = context as unknown as { helpers: IDataObject; getCredentials: unknown };
	let readCount = 0;
	fake.getCredentials = async () => ({ ...reads[Math.min(readCount++, reads.length - 1)] });
	fake.helpers.httpRequestWithAuthentication = async (
		_type: string,
		options: IHttpRequestOptions,
		additional?: { credentialsDecrypted?: { data: IDataObject } },
	) => {
		const data = { ...(additional?.credentialsDecrypted?.data ?? reads[0]) };
		try {
			if (data.accessToken === '') {
				Object.assign(
					data,
					await credential.preAuthentication.call(
						{ helpers: { httpRequest } } as never,
						data as never,
					),
				);
			}
		} catch (error) {
			throw new NodeApiError(testNode, error as JsonObject);
		}
		return await httpRequest({
			...options,
			headers: { ...options.headers, Authorization: `Bearer ${String(data.accessToken)}` },
		});
	};
	return {
		ctx: context as unknown as IExecuteFunctions,
		reads: () => readCount,
	};
}

/** The token endpoint refuses `refresh-old`: the other worker spent it. */
function refreshRefused(times = 1) {
	return nock(AMO)
		.post(
			'/oauth2/access_token',
			(body: IDataObject) => body.refresh_token === oldPair.refreshToken,
		)
		.times(times)
		.reply(401, REVOKED, { 'Content-Type': 'application/problem+json' });
}

/** `GET /api/v4/account`, answering 200 only to the given access tokens. */
function account(accepted: string[], times = 1) {
	const seen: string[] = [];
	nock(AMO)
		.get('/api/v4/account')
		.times(times)
		.reply(function () {
			const header = String(this.req.headers.authorization);
			seen.push(header);
			return accepted.some((token) => header === `Bearer ${token}`)
				? [200, { id: 1 }]
				: [401, { title: 'Unauthorized', status: 401 }];
		});
	return seen;
}

const getAccount = (ctx: IExecuteFunctions) =>
	amoRequest(ctx, { method: 'GET', path: '/api/v4/account' });

describe('a refresh token already spent by another worker', () => {
	it('reads the credential again after a pause and repeats the call with the pair stored there', async () => {
		const refused = refreshRefused();
		const seen = account([storedElsewhere.accessToken]);
		const { ctx, reads } = workerContext([oldPair, storedElsewhere]);

		await expect(getAccount(ctx)).resolves.toEqual({ id: 1 });
		expect(refused.isDone()).toBe(true);
		expect(seen).toEqual([`Bearer ${storedElsewhere.accessToken}`]);
		expect(waits()).toEqual([STORED_PAIR_REREAD_MS[0]]);
		expect(reads()).toBe(2);
	});

	it('reads once more when the other worker has not stored its pair yet', async () => {
		refreshRefused();
		const seen = account([storedElsewhere.accessToken]);
		const { ctx, reads } = workerContext([oldPair, oldPair, storedElsewhere]);

		await expect(getAccount(ctx)).resolves.toEqual({ id: 1 });
		expect(seen).toEqual([`Bearer ${storedElsewhere.accessToken}`]);
		expect(waits()).toEqual(STORED_PAIR_REREAD_MS);
		expect(reads()).toBe(3);
	});

	it('also after a 401 mid-run: the forced refresh is refused, the stored pair is used', async () => {
		const liveButRevoked = { ...oldPair, expiresAt: Date.now() + HOUR };
		refreshRefused();
		const seen = account([storedElsewhere.accessToken], 2);
		const { ctx } = workerContext([liveButRevoked, storedElsewhere]);

		await expect(getAccount(ctx)).resolves.toEqual({ id: 1 });
		expect(seen).toEqual([
			`Bearer ${liveButRevoked.accessToken}`,
			`Bearer ${storedElsewhere.accessToken}`,
		]);
	});

	it('without a new pair after two reads, fails clearly: used token, re-authorise, no token shown', async () => {
		const refused = refreshRefused();
		const { ctx, reads } = workerContext([oldPair]);

		const error = await rejectionOf(getAccount(ctx));
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(REFRESH_SPENT_MESSAGE);
		expect(error.description).toMatch(/Re-authorise/);
		expect(error.description).toMatch(/Authorization Code/);
		expect(refused.isDone()).toBe(true);
		expect(waits()).toEqual(STORED_PAIR_REREAD_MS);
		expect(reads()).toBe(1 + STORED_PAIR_REREAD_MS.length);
		const text = errorText(error);
		for (const secret of [oldPair.accessToken, oldPair.refreshToken, integration.clientSecret]) {
			expect(text).not.toContain(secret);
		}
	});

	it('does not use a stored pair whose access token has run out as well', async () => {
		refreshRefused();
		const stale = { ...storedElsewhere, expiresAt: Date.now() - 1000 };
		const { ctx } = workerContext([oldPair, stale]);

		const error = await rejectionOf(getAccount(ctx));
		expect(error.message).toBe(REFRESH_SPENT_MESSAGE);
	});

	it('reads nothing again when the token endpoint refused for another reason', async () => {
		nock(AMO)
			.post('/oauth2/access_token')
			.reply(400, { ...REVOKED, status: 400, hint: 'Client authentication failed' });
		const { ctx, reads } = workerContext([oldPair, storedElsewhere]);

		const error = await rejectionOf(getAccount(ctx));
		expect(error.message).toBe('amoCRM refused to renew the OAuth2 token');
		expect(error.description).toMatch(/Client authentication failed/);
		expect(waits()).toEqual([]);
		expect(reads()).toBe(1);
	});
});

/**
 * The next `count` calls to the account, whatever their method and path, answer 429 as the sandbox
 * fault does (no `retry_after` in the body); later calls reach whatever is installed after this.
 */
function storm(count: number) {
	const state = { left: count, hits: [] as string[] };
	const matches = () => state.left > 0;
	const reply = function (this: nock.ReplyFnContext): [number, IDataObject] {
		state.left -= 1;
		state.hits.push(`${this.req.method} ${this.req.path.split('?')[0]}`);
		return [429, { title: 'Too Many Requests', status: 429, detail: 'sandbox fault' }];
	};
	const scope = nock(AMO).persist();
	scope.get(matches).reply(reply);
	scope.post(matches).reply(reply);
	scope.patch(matches).reply(reply);
	return state;
}

describe('a 429 storm', () => {
	it('one call waits out three 429s without retry_after, backing off 5, 10 and 20 s, then succeeds', async () => {
		const state = storm(3);
		nock(AMO).get('/api/v4/account').reply(200, { id: 1 });
		await expect(
			amoRequest(amoContext({}), { method: 'GET', path: '/api/v4/account' }),
		).resolves.toEqual({ id: 1 });
		expect(state.hits).toHaveLength(3);
		expect(waits()).toEqual([5000, 10000, 20000]);
		// The limiter also held the host for as long after each 429.
		expect(sleeps.filter((ms) => ms >= 5000)).toHaveLength(3);
	});

	it('a create is sent again after a 429 (amoCRM did not process it), never twice processed', async () => {
		const state = storm(3);
		const created = nock(AMO)
			.post('/api/v4/leads')
			.once()
			.reply(200, { _embedded: { leads: [{ id: 5 }] } });
		await amoRequest(amoContext({}), {
			method: 'POST',
			path: '/api/v4/leads',
			body: [{ name: 'x' }],
		});
		expect(state.hits).toEqual(Array(3).fill('POST /api/v4/leads'));
		expect(created.isDone()).toBe(true);
	});

	it('gives up after three 429 retries, not the 14 that got accounts blocked, with the 429 message', async () => {
		const attempts = 1 + RATE_LIMIT_RETRIES;
		expect(RATE_LIMIT_RETRIES).toBe(3);
		const state = storm(attempts + 5);
		const error = await rejectionOf(
			amoRequest(amoContext({}), { method: 'GET', path: '/api/v4/account' }),
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('amoCRM kept answering 429 Too Many Requests');
		expect(state.hits).toHaveLength(attempts);
	});

	it('Sync Orders under 429s still creates every deal once, with one contact per buyer', async () => {
		const state = storm(3);
		const fake = new FakeAmo().install();
		const orders = Array.from({ length: 6 }, (_, index) =>
			kaspiOrder(String(710000 + index), `+7701000000${index % 3}`),
		);
		const context = syncContext(orders);

		const [output] = await router.call(context);
		const results = output.map((item: INodeExecutionData) => item.json);

		expect(state.left).toBe(0);
		expect(results.map((result) => result.action)).toEqual(Array(6).fill('created'));
		expect(fake.leads.size).toBe(6);
		const names = [...fake.leads.values()].map((lead) => lead.name).sort();
		expect(names).toEqual(orders.map((order) => `Kaspi order ${String(order.code)}`).sort());
		expect(fake.contacts.size).toBe(3);
		expect(waits()).toEqual([5000, 10000, 20000]);
	});
});

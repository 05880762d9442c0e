/**
 * The shared request loop: which failures are retried and how often, the backoff, the User-Agent,
 * and errors that never carry the token or the query string.
 */
import nock from 'nock';
import type { IExecuteFunctions, IHttpRequestMethods } from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import {
	apiRequest,
	USER_AGENT,
	type ApiRequest,
	type ServiceProfile,
} from '../../../nodes/shared/http';
import { PACKAGE_VERSION } from '../../../nodes/shared/version';
import { fakeContext } from '../../helpers/context';
import {
	errorText,
	networkError,
	recordRequest,
	rejectionOf,
	useNock,
	type RecordedRequest,
} from '../../helpers/http';

// The real sleep runs (the test profile's backoff is a few milliseconds); the spy records the delays.
jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	return { ...actual, sleep: jest.fn(actual.sleep) };
});

const BASE = 'https://api.example.test/v1';
const TOKEN = 'dummy-token-4f1c9a77e2';
const QUERY_SECRET = 'qs-value-b81d4e';
const BACKOFF_MS = 4;

const profile: ServiceProfile = {
	service: 'Testsvc',
	credentialType: 'kaspiApi',
	// Generous, so a cold first request under CI load never times out by accident; the timeout
	// steps delay five times longer.
	timeoutMs: 800,
	retries: 2,
	backoffMs: BACKOFF_MS,
	headers: { Accept: 'application/json' },
	describeFailure(statusCode, body) {
		if (statusCode === 401) {
			return { message: 'Testsvc rejected the token', description: 'Paste a fresh token.' };
		}
		const title = (body as { title?: string } | undefined)?.title;
		return {
			message: `Testsvc answered ${statusCode}`,
			description: title ? 'has title' : undefined,
		};
	},
};

type Step =
	| { status: number; body?: unknown }
	| { timeout: true }
	| { error: string; message?: string };

/**
 * Serves `steps` in order for one method on `/things`, then fails loudly if another attempt comes.
 * Returns the requests that arrived.
 */
function serve(method: IHttpRequestMethods, steps: Step[]): RecordedRequest[] {
	const requests: RecordedRequest[] = [];
	const scope = nock(new URL(BASE).origin);
	scope.on('request', (request, _interceptor, body) => requests.push(recordRequest(request, body)));
	const route = () => scope.intercept('/v1/things', method).query(true);
	for (const step of steps) {
		if ('timeout' in step)
			route()
				.delay(profile.timeoutMs * 5)
				.reply(200, { late: true });
		else if ('error' in step)
			route().replyWithError(
				step.message
					? Object.assign(new Error(step.message), { code: step.error })
					: networkError(step.error),
			);
		else route().reply(step.status, (step.body ?? {}) as nock.Body);
	}
	route().times(10).reply(418, { unexpected: 'attempt' });
	return requests;
}

function call(request: Partial<ApiRequest> = {}) {
	const { context } = fakeContext({
		parameters: {},
		credentials: { kaspiApi: { apiToken: TOKEN, baseUrl: BASE } },
	});
	return apiRequest<unknown>(context as unknown as IExecuteFunctions, profile, BASE, {
		method: 'GET',
		path: '/things',
		qs: { filter: QUERY_SECRET },
		...request,
	});
}

const sleepMock = jest.mocked(sleep);

describe('apiRequest', () => {
	useNock();
	beforeEach(() => sleepMock.mockClear());

	it('sends the User-Agent, the profile headers, the credential and the query', async () => {
		const requests = serve('GET', [{ status: 200, body: { ok: true } }]);
		const response = await call();
		expect(response).toMatchObject({ statusCode: 200, body: { ok: true } });
		expect(requests).toHaveLength(1);
		expect(requests[0].headers['user-agent']).toBe(USER_AGENT);
		expect(USER_AGENT).toContain(`n8n-nodes-kz-commerce/${PACKAGE_VERSION}`);
		expect(USER_AGENT).toMatch(/^Mozilla\/5\.0 \(compatible; /);
		expect(requests[0].headers.accept).toBe('application/json');
		expect(requests[0].headers['x-auth-token']).toBe(TOKEN);
		expect(requests[0].query).toEqual({ filter: QUERY_SECRET });
	});

	it('joins a base URL with a trailing slash without doubling it', async () => {
		const requests = serve('GET', [{ status: 200 }]);
		const { context } = fakeContext({
			parameters: {},
			credentials: { kaspiApi: { apiToken: TOKEN } },
		});
		await apiRequest(context as unknown as IExecuteFunctions, profile, `${BASE}//`, {
			method: 'GET',
			path: '/things',
		});
		expect(requests.map((request) => request.path)).toEqual(['/v1/things']);
	});

	describe('GET is retried', () => {
		it('on 5xx, with the backoff doubling, until it succeeds', async () => {
			const requests = serve('GET', [
				{ status: 503 },
				{ status: 502 },
				{ status: 200, body: { n: 3 } },
			]);
			await expect(call()).resolves.toMatchObject({ body: { n: 3 } });
			expect(requests).toHaveLength(3);
			expect(sleepMock.mock.calls).toEqual([[BACKOFF_MS], [BACKOFF_MS * 2]]);
		});

		it('on 429', async () => {
			const requests = serve('GET', [{ status: 429 }, { status: 200 }]);
			await call();
			expect(requests).toHaveLength(2);
		});

		it('on 5xx at most `retries` times, then fails with the profile message', async () => {
			const requests = serve('GET', [{ status: 500 }, { status: 500 }, { status: 503 }]);
			const error = await rejectionOf(call());
			expect(requests).toHaveLength(1 + profile.retries);
			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.message).toBe('Testsvc answered 503');
			expect(error.httpCode).toBe('503');
			expect(sleepMock).toHaveBeenCalledTimes(profile.retries);
		});

		it('on a timeout, and says so when every attempt timed out', async () => {
			const recovered = serve('GET', [{ timeout: true }, { status: 200, body: { n: 2 } }]);
			await expect(call()).resolves.toMatchObject({ body: { n: 2 } });
			expect(recovered).toHaveLength(2);

			nock.cleanAll();
			const requests = serve('GET', [{ timeout: true }, { timeout: true }, { timeout: true }]);
			const error = await rejectionOf(call());
			expect(requests).toHaveLength(3);
			expect(error.message).toBe('Testsvc did not answer within 0.8 s');
			expect(error.description).toContain('on every retry');
		});

		it('on a refused connection', async () => {
			const requests = serve('GET', [{ error: 'ECONNREFUSED' }, { status: 200 }]);
			await call();
			expect(requests).toHaveLength(2);
		});
	});

	describe('a non-idempotent POST', () => {
		it('is not retried after a timeout', async () => {
			const requests = serve('POST', [{ timeout: true }, { status: 200 }]);
			const error = await rejectionOf(call({ method: 'POST', body: { send: 1 } }));
			expect(requests).toHaveLength(1);
			expect(requests[0].body).toEqual({ send: 1 });
			expect(error.message).toBe('Testsvc did not answer within 0.8 s');
			expect(error.description).not.toContain('on every retry');
			expect(sleepMock).not.toHaveBeenCalled();
		});

		it('is not retried after a 5xx', async () => {
			const requests = serve('POST', [{ status: 502 }, { status: 200 }]);
			const error = await rejectionOf(call({ method: 'POST', body: { send: 1 } }));
			expect(requests).toHaveLength(1);
			expect(error.message).toBe('Testsvc answered 502');
		});

		it('is retried after ECONNREFUSED, which never reached the service', async () => {
			const requests = serve('POST', [
				{ error: 'ECONNREFUSED' },
				{ status: 201, body: { sent: true } },
			]);
			await expect(call({ method: 'POST', body: { send: 1 } })).resolves.toMatchObject({
				statusCode: 201,
				body: { sent: true },
			});
			expect(requests).toHaveLength(2);
		});

		it('fails as unreachable when every attempt is refused', async () => {
			const requests = serve('POST', [
				{ error: 'ECONNREFUSED' },
				{ error: 'ECONNREFUSED' },
				{ error: 'ECONNREFUSED' },
			]);
			const error = await rejectionOf(call({ method: 'POST' }));
			expect(requests).toHaveLength(3);
			expect(error.message).toBe('Testsvc could not be reached');
		});

		it('is retried on 5xx when the request says it is idempotent', async () => {
			const requests = serve('POST', [{ status: 503 }, { status: 200 }]);
			await call({ method: 'POST', idempotent: true });
			expect(requests).toHaveLength(2);
		});
	});

	it('does not retry a 4xx and uses the profile message for 401', async () => {
		const requests = serve('GET', [{ status: 401, body: { title: 'bad token' } }]);
		const error = await rejectionOf(call({ itemIndex: 2 }));
		expect(requests).toHaveLength(1);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Testsvc rejected the token');
		expect(error.description).toBe('Paste a fresh token.');
		expect(error.httpCode).toBe('401');
		expect(error.context?.itemIndex).toBe(2);
	});

	describe('the error never carries the token or the query values', () => {
		const echo = {
			title: `token ${TOKEN} for ?filter=${QUERY_SECRET}`,
			headers: { 'X-Auth-Token': TOKEN },
		};
		it.each<[string, IHttpRequestMethods, Step[]]>([
			['401 echoing the request', 'GET', [{ status: 401, body: echo }]],
			[
				'500 on every retry',
				'GET',
				[
					{ status: 500, body: echo },
					{ status: 500, body: echo },
					{ status: 500, body: echo },
				],
			],
			['400 on a POST', 'POST', [{ status: 400, body: echo }]],
			['timeout', 'POST', [{ timeout: true }]],
			[
				'refused',
				'POST',
				[{ error: 'ECONNREFUSED' }, { error: 'ECONNREFUSED' }, { error: 'ECONNREFUSED' }],
			],
			['an unexpected socket error', 'GET', [{ error: 'EPROTO' }]],
		])('%s', async (_name, method, steps) => {
			const requests = serve(method, steps);
			const error = await rejectionOf(call({ method, path: `/things?token=${TOKEN}` }));
			const text = errorText(error);
			expect(requests.length).toBeGreaterThan(0);
			expect(requests[0].headers['x-auth-token']).toBe(TOKEN);
			expect(text).not.toContain(TOKEN);
			expect(text).not.toContain(QUERY_SECRET);
			expect(error.context).toEqual(expect.not.objectContaining({ request: expect.anything() }));
			expect(text).toContain('/things');
		});
	});

	it('reports an unexpected socket error once, without retrying, naming the cause', async () => {
		const requests = serve('GET', [{ error: 'EPROTO' }]);
		const error = await rejectionOf(call());
		expect(requests).toHaveLength(1);
		expect(error.message).toBe('Testsvc could not be reached');
		expect(error.description).toContain('EPROTO');
	});

	it('keeps a URL’s query string and a phone number out of an unexpected error’s text', async () => {
		serve('GET', [
			{
				error: 'EPROTO',
				message:
					'EPROTO while reading https://api.example.kz/x?access-token=Sup3rSecret for 77011234567',
			},
		]);
		const error = await rejectionOf(call());
		const text = errorText(error);
		expect(error.description).toContain('EPROTO while reading https://api.example.kz/x?…');
		expect(text).not.toContain('Sup3rSecret');
		expect(text).not.toContain('77011234567');
	});
});

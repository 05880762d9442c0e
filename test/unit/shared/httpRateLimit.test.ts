/**
 * The shared loop's separate budget for answers a service's retry policy marks `rateLimited`
 * (amoCRM's 429): they are waited out first, and the ordinary retries and their backoff stay
 * for real failures.
 */
import nock from 'nock';
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import { apiRequest, type ServiceProfile } from '../../../nodes/shared/http';
import { fakeContext } from '../../helpers/context';
import { rejectionOf, useNock } from '../../helpers/http';

jest.mock('n8n-workflow', () => ({ ...jest.requireActual('n8n-workflow'), sleep: jest.fn() }));
const delays = () => jest.mocked(sleep).mock.calls.map(([ms]) => ms);

const ORIGIN = 'https://limited.example.test';
const RETRY_AFTER_MS = 7;

function limitedProfile(rateLimitRetries?: number): ServiceProfile {
	return {
		service: 'Limited',
		credentialType: 'kaspiApi',
		timeoutMs: 1000,
		retries: 2,
		backoffMs: 10,
		rateLimitRetries,
		retryPolicy: (statusCode) =>
			statusCode === 429 ? { retry: true, delayMs: RETRY_AFTER_MS, rateLimited: true } : undefined,
		describeFailure: (statusCode) => ({ message: `Limited answered ${statusCode}` }),
	};
}

/** Answers `statuses` in order to `GET /items`, and nothing more. */
function answers(statuses: number[]) {
	const scope = nock(ORIGIN);
	for (const status of statuses) scope.get('/items').reply(status, { status });
	return scope;
}

async function getItems(profile: ServiceProfile) {
	const { context } = fakeContext({
		parameters: {},
		credentials: { kaspiApi: { apiToken: 'unused' } },
	});
	return await apiRequest(context as unknown as IExecuteFunctions, profile, ORIGIN, {
		method: 'GET',
		path: '/items',
	});
}

useNock();
beforeEach(() => jest.mocked(sleep).mockClear());

describe('rateLimitRetries', () => {
	it('waits out the rate-limited answers first; the backoff of real failures starts afresh', async () => {
		const scope = answers([429, 429, 429, 500, 500, 200]);
		await expect(getItems(limitedProfile(3))).resolves.toMatchObject({ statusCode: 200 });
		expect(scope.isDone()).toBe(true);
		expect(delays()).toEqual([RETRY_AFTER_MS, RETRY_AFTER_MS, RETRY_AFTER_MS, 10, 20]);
	});

	it('goes on into the ordinary retries when the rate-limit budget is spent, then gives up', async () => {
		const scope = answers([429, 429, 429, 429, 429, 429]);
		const error = await rejectionOf(getItems(limitedProfile(3)));
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Limited answered 429');
		expect(scope.isDone()).toBe(true);
		expect(delays()).toHaveLength(5);
	});

	it('without the option, a 429 spends the ordinary retries as before', async () => {
		const scope = answers([429, 429, 429]);
		await expect(rejectionOf(getItems(limitedProfile()))).resolves.toBeInstanceOf(NodeApiError);
		expect(scope.isDone()).toBe(true);
		expect(delays()).toEqual([RETRY_AFTER_MS, RETRY_AFTER_MS]);
	});
});

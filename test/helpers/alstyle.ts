/**
 * Shared set-up for the Al-Style node tests: the fake host and token, the credential, a runner for
 * the node on the fake context, and the hooks every such file uses.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { AlStyle } from '../../nodes/AlStyle/AlStyle.node';
import { resetQueues } from '../../nodes/AlStyle/transport';
import { fakeContext } from './context';
import { recordRequest, type RecordedRequest, useNock } from './http';

/** The fake Al-Style host and token of the node tests. */
export const BASE = 'https://alstyle.test';
export const FAKE_ACCESS = 'not-a-real-token-123';

/** The Al-Style credential, at `minIntervalSeconds` between calls (none by default). */
export function credentials(minIntervalSeconds = 0) {
	return { alStyleApi: { accessToken: FAKE_ACCESS, baseUrl: BASE, minIntervalSeconds } };
}

/** Runs the node once on `parameters` and returns its output items. */
export async function runAlStyle(
	parameters: IDataObject,
	minIntervalSeconds = 0,
	continueOnFail = false,
) {
	const { context } = fakeContext({
		parameters,
		credentials: credentials(minIntervalSeconds),
		continueOnFail,
	});
	return (await new AlStyle().execute.call(context as unknown as IExecuteFunctions))[0];
}

/** A nock reply function that records each request in `requests`. */
export function record(requests: RecordedRequest[]) {
	return function (
		this: { req: { method?: string; path: string; headers: Record<string, string> } },
		_uri: string,
		body: unknown,
	) {
		requests.push(recordRequest(this.req, body));
	};
}

/** The hooks every Al-Style node test file uses: `useNock`, and empty per-token queues. */
export function useAlStyleUnit(): void {
	useNock();
	beforeEach(() => resetQueues());
}

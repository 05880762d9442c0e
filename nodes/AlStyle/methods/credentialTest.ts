import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

import { connectionOf, takeTurn } from '../transport';
import { ALSTYLE_PATHS } from '../transport/types';

const TIMEOUT_MS = 30_000;

/** The HTTP status in what n8n's legacy request helper throws, whichever wrapper it uses. */
function statusOf(error: unknown): number | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
		const candidate = current as { statusCode?: unknown; httpCode?: unknown; response?: { status?: unknown }; cause?: unknown };
		for (const value of [candidate.statusCode, candidate.httpCode, candidate.response?.status]) {
			const status = Number(value);
			if (Number.isInteger(status) && status >= 100) return status;
		}
		current = candidate.cause;
	}
	return undefined;
}

/** Only these words reach the editor: the helper's own error text may quote the URL, token included. */
function failure(status: number | undefined): string {
	if (status === 401) return 'Al-Style did not accept the access token (401). Copy it again from the dealer cabinet, section API.';
	if (status === 403 || status === 429) {
		return `Al-Style refused the test (${status}): either it does not accept the token, or another program called with it less than about 5 s ago. Test again in a few seconds.`;
	}
	if (status !== undefined) return `Al-Style answered ${status}. Check the base URL.`;
	return 'Al-Style could not be reached. Check the base URL and that n8n can reach it.';
}

/**
 * The credential test: one catalogue item, which surely needs a valid token, asked in the same
 * per-token queue as every node call, so a test during a running sync slows neither down into a
 * 403 (docs/services/alstyle.md, "Connection"). n8n runs a credential test in its main process: in
 * queue mode the sync runs on a worker with its own queue, and a 403 there stays harmless.
 */
export async function alStyleApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	const link = connectionOf(credential.data ?? {});
	const endTurn = await takeTurn(link.queueKey, link.intervalMs);
	try {
		// A credential test's context offers no other HTTP helper than this legacy one.
		// eslint-disable-next-line @n8n/community-nodes/no-deprecated-workflow-functions
		await this.helpers.request({
			method: 'GET',
			uri: `${link.baseUrl}${ALSTYLE_PATHS.elementsPagination}`,
			qs: { 'access-token': link.token, limit: 1, exclude_missing: 0 },
			json: true,
			timeout: TIMEOUT_MS,
		});
		return { status: 'OK', message: 'Connection successful' };
	} catch (error) {
		return { status: 'Error', message: failure(statusOf(error)) };
	} finally {
		endTurn();
	}
}

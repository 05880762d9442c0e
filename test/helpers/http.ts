/**
 * Small pieces the HTTP-facing unit tests share: nock set-up, a record of what reached the fake
 * server, network errors shaped like Node's, and a dump of everything an error carries.
 */
import nock from 'nock';

/** One request as the fake server saw it; `query` holds the decoded names, brackets included. */
export interface RecordedRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	headers: Record<string, string>;
	body: unknown;
}

/**
 * Blocks real network for the test file and drops leftover interceptors after every test
 * (test/helpers/jest.setup.ts takes nock out of Node's http module after the file).
 */
export function useNock(): void {
	beforeAll(() => nock.disableNetConnect());
	afterEach(() => nock.cleanAll());
}

/** Turns what a nock reply function sees into a `RecordedRequest`. */
export function recordRequest(
	request: { method?: string; path: string; headers: Record<string, string | string[]> },
	body: unknown,
): RecordedRequest {
	const [path, search = ''] = request.path.split('?');
	const headers = Object.fromEntries(
		Object.entries(request.headers).map(([name, value]) => [
			name.toLowerCase(),
			Array.isArray(value) ? value.join(', ') : String(value),
		]),
	);
	let parsedBody = body;
	if (typeof body === 'string' && body !== '') {
		try {
			parsedBody = JSON.parse(body);
		} catch {
			parsedBody = body;
		}
	}
	return {
		method: (request.method ?? 'GET').toUpperCase(),
		path: decodeURIComponent(path),
		query: Object.fromEntries(new URLSearchParams(search)),
		headers,
		body: parsedBody === '' ? undefined : parsedBody,
	};
}

/** A socket error as Node raises it (nock needs a real `Error` for axios to see the code). */
export function networkError(code: string): Error {
	return Object.assign(new Error(`connect ${code} 10.0.0.1:443`), { code });
}

/** The error a promise rejects with; fails the test when it resolves. */
export async function rejectionOf(
	promise: Promise<unknown>,
): Promise<Error & { description?: string; context?: Record<string, unknown>; httpCode?: string }> {
	try {
		await promise;
	} catch (error) {
		return error as Error;
	}
	throw new Error('Expected the promise to reject, but it resolved');
}

/**
 * Everything an error could hand to the execution data or a log, as one string: the message,
 * description, context, cause, stack and every own property.
 */
export function errorText(error: unknown): string {
	const seen = new WeakSet<object>();
	const record = error as Record<string, unknown>;
	return JSON.stringify(
		{
			...record,
			message: record.message,
			description: record.description,
			context: record.context,
			cause: record.cause,
			stack: record.stack,
			messages: record.messages,
		},
		(_key, value: unknown) => {
			if (typeof value === 'object' && value !== null) {
				if (seen.has(value)) return '[circular]';
				seen.add(value);
			}
			return value;
		},
	);
}

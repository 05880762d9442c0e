import type {
	IAdditionalCredentialOptions,
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	IPollFunctions,
	IWebhookFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import { maskPhonesInText } from './phone';
import { PACKAGE_VERSION } from './version';

/** Every context our nodes call an API from; all of them expose `httpRequestWithAuthentication`. */
export type ApiContext =
	| IExecuteFunctions
	| IPollFunctions
	| ILoadOptionsFunctions
	| IHookFunctions
	| IWebhookFunctions;

/**
 * A product string in a browser-compatible envelope: Kaspi is reported to stall requests without a
 * browser-like User-Agent (docs/services/kaspi.md, Connection), and the product part tells the API
 * owner who is calling.
 */
export const USER_AGENT = `Mozilla/5.0 (compatible; n8n-nodes-kz-commerce/${PACKAGE_VERSION}; +https://github.com/kz-commerce/n8n-nodes-kz-commerce)`;

export interface ApiRequest {
	method: IHttpRequestMethods;
	/** Path below the credential's base URL, starting with `/`. */
	path: string;
	qs?: IDataObject;
	body?: IDataObject | IDataObject[];
	headers?: IDataObject;
	/** Binary responses (e.g. a QR code image). */
	encoding?: 'arraybuffer' | 'json';
	/**
	 * Whether a retry is safe after a timeout or a 5xx. Reads are; a WhatsApp send or a Kaspi status
	 * change is not, because the first attempt may have reached the service.
	 */
	idempotent?: boolean;
	itemIndex?: number;
	/**
	 * Passed to `httpRequestWithAuthentication` as is, e.g. `credentialsDecrypted` to send a newer
	 * session token than the stored one, or an empty one so n8n logs in again (Webkassa).
	 */
	credentialOptions?: IAdditionalCredentialOptions;
}

export interface ApiResponse<T> {
	statusCode: number;
	headers: IDataObject;
	body: T;
}

/** What one service needs from the shared request loop. */
export interface ServiceProfile {
	/** Human name used in error messages, e.g. "Kaspi". */
	service: string;
	credentialType: string;
	timeoutMs: number;
	/** Attempts after the first one, for retryable failures only. */
	retries: number;
	/** Delay before the first retry; doubled on every next one. */
	backoffMs: number;
	/** Extra headers on every call (content type, user agent). */
	headers?: IDataObject;
	/**
	 * Turns a non-2xx response into the message and hint shown to the operator. The body is passed so
	 * the API's own wording survives, but only what this function returns reaches the error.
	 */
	describeFailure: (statusCode: number, body: unknown) => { message: string; description?: string };
	/**
	 * Recognises a thrown error that is not a network failure but the service's own (e.g. a login
	 * made by the credential's `preAuthentication` was refused), so it is not reported as
	 * "could not be reached". Only what this function returns reaches the error.
	 */
	describeThrown?: (error: unknown) => { message: string; description?: string } | undefined;
	/**
	 * Awaited before every attempt, retries included (e.g. a shared rate limiter). What it returns
	 * is called once the attempt has its answer or has failed.
	 */
	beforeAttempt?: () => Promise<(() => void) | void>;
	/**
	 * Overrides the default retry rule for an HTTP failure: `retry: false` stops at once, and
	 * `delayMs` replaces the backoff (e.g. a 429's `retry_after`). `rateLimited: true` spends a
	 * retry of `rateLimitRetries` first, so a storm of 429s does not use up the retries meant for
	 * failures. `undefined` keeps the default. `headers` are the answer's (e.g. `Retry-After`).
	 */
	retryPolicy?: (
		statusCode: number,
		body: unknown,
		idempotent: boolean,
		headers: IDataObject,
	) => { retry: boolean; delayMs?: number; rateLimited?: boolean } | undefined;
	/**
	 * Extra attempts for answers the retry policy marks `rateLimited` (the service did not process
	 * the call and said when to come back). Default 0.
	 */
	rateLimitRetries?: number;
}

type FailureKind = 'timeout' | 'unreachable' | 'http';

/** A failure as the retry loop sees it, before it becomes a sanitised `NodeApiError`. */
interface Attempt {
	kind: FailureKind;
	statusCode?: number;
	body?: unknown;
	headers?: IDataObject;
}

const NETWORK_UNREACHABLE = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
]);
const NETWORK_TIMEOUT = new Set([
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'ECONNRESET',
	'EPIPE',
]);

/**
 * Reads the network error code through the wrappers n8n puts around axios errors (`NodeApiError`
 * keeps the original in `cause`), without ever looking at the request config, which holds the token.
 */
export function classifyThrown(error: unknown): FailureKind | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
		const candidate = current as {
			code?: unknown;
			httpCode?: unknown;
			message?: unknown;
			messages?: unknown;
			cause?: unknown;
		};
		// A real n8n wraps the axios error in a NodeApiError that keeps its code only as `httpCode`
		// and its text only in `messages` (n8n-workflow 1.120: no `cause`, no `code`).
		for (const code of [candidate.code, candidate.httpCode]) {
			if (typeof code !== 'string') continue;
			if (NETWORK_UNREACHABLE.has(code)) return 'unreachable';
			if (NETWORK_TIMEOUT.has(code)) return 'timeout';
		}
		const texts = [
			candidate.message,
			...(Array.isArray(candidate.messages) ? candidate.messages : []),
		];
		if (texts.some((text) => typeof text === 'string' && /timeout|timed out/i.test(text))) {
			return 'timeout';
		}
		current = candidate.cause;
	}
	return undefined;
}

function isRetryable(attempt: Attempt, idempotent: boolean): boolean {
	// A refused connection never reached the service, so even a send is safe to repeat.
	if (attempt.kind === 'unreachable') return true;
	if (!idempotent) return false;
	if (attempt.kind === 'timeout') return true;
	const status = attempt.statusCode ?? 0;
	return status === 429 || status >= 500;
}

function joinUrl(baseUrl: string, path: string): string {
	return `${baseUrl.replace(/\/+$/, '')}${path}`;
}

/**
 * The one HTTP loop of the pack: timeout, User-Agent, retries with exponential backoff, and errors
 * that name the service and the status but never carry headers, tokens or query strings.
 */
export async function apiRequest<T>(
	context: ApiContext,
	profile: ServiceProfile,
	baseUrl: string,
	request: ApiRequest,
): Promise<ApiResponse<T>> {
	const options: IHttpRequestOptions = {
		method: request.method,
		url: joinUrl(baseUrl, request.path),
		qs: request.qs,
		body: request.body,
		headers: { 'User-Agent': USER_AGENT, ...profile.headers, ...request.headers },
		json: request.encoding !== 'arraybuffer',
		encoding: request.encoding,
		timeout: profile.timeoutMs,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	};
	const idempotent = request.idempotent ?? request.method === 'GET';

	let last: Attempt = { kind: 'timeout' };
	let delayMs: number | undefined;
	/** Ordinary retries spent; the backoff doubles with each. */
	let retried = 0;
	let rateLimitRetriesLeft = profile.rateLimitRetries ?? 0;
	for (let attempt = 0; ; attempt++) {
		if (attempt > 0) await sleep(delayMs ?? profile.backoffMs * 2 ** Math.max(0, retried - 1));
		const release = profile.beforeAttempt ? await profile.beforeAttempt() : undefined;
		try {
			const response = (await context.helpers.httpRequestWithAuthentication.call(
				context,
				profile.credentialType,
				options,
				request.credentialOptions,
			)) as IN8nHttpFullResponse;
			if (response.statusCode >= 200 && response.statusCode < 300) {
				return {
					statusCode: response.statusCode,
					headers: response.headers,
					body: response.body as T,
				};
			}
			last = {
				kind: 'http',
				statusCode: response.statusCode,
				body: response.body,
				headers: response.headers,
			};
		} catch (error) {
			const described = profile.describeThrown?.(error);
			if (described) {
				throw toApiError(context, profile, { kind: 'http' }, request, undefined, described);
			}
			const kind = classifyThrown(error);
			if (!kind) throw toApiError(context, profile, { kind: 'unreachable' }, request, error);
			last = { kind };
		} finally {
			if (release) release();
		}
		const policy =
			last.kind === 'http' && profile.retryPolicy
				? profile.retryPolicy(last.statusCode ?? 0, last.body, idempotent, last.headers ?? {})
				: undefined;
		delayMs = policy?.delayMs;
		if (policy ? !policy.retry : !isRetryable(last, idempotent)) break;
		if (policy?.rateLimited && rateLimitRetriesLeft > 0) rateLimitRetriesLeft--;
		else if (retried < profile.retries) retried++;
		else break;
	}
	throw toApiError(context, profile, last, request);
}

/**
 * An unexpected error's text may quote a URL (with a query-string token, e.g. Al-Style's) or a
 * chat id; keep its gist, never those.
 */
function redactErrorText(text: string): string {
	return maskPhonesInText(text.replace(/\?\S*/g, '?…')).slice(0, 200);
}

function toApiError(
	context: ApiContext,
	profile: ServiceProfile,
	attempt: Attempt,
	request: ApiRequest,
	unexpected?: unknown,
	described?: { message: string; description?: string },
): NodeApiError {
	let message: string;
	let description: string | undefined;
	if (described) {
		({ message, description } = described);
	} else if (attempt.kind === 'http') {
		({ message, description } = profile.describeFailure(attempt.statusCode ?? 0, attempt.body));
	} else if (attempt.kind === 'timeout') {
		message = `${profile.service} did not answer within ${profile.timeoutMs / 1000} s`;
		description = `The request to ${profile.service} timed out${
			(request.idempotent ?? request.method === 'GET') ? ' on every retry' : ''
		}. Check that the base URL in the credential is reachable from n8n.`;
	} else {
		message = `${profile.service} could not be reached`;
		description =
			unexpected instanceof Error
				? `${redactErrorText(unexpected.message)}. Check the base URL in the credential.`
				: 'Check the base URL in the credential and that the service is running.';
	}
	// Only this hand-built object reaches the execution data: no request options, no headers.
	const sanitised: JsonObject = {
		service: profile.service,
		method: request.method,
		path: request.path.split('?')[0],
		...(attempt.statusCode ? { httpCode: attempt.statusCode } : {}),
		kind: attempt.kind,
		message,
	};
	return new NodeApiError(context.getNode(), sanitised, {
		message,
		description,
		httpCode: attempt.statusCode ? String(attempt.statusCode) : undefined,
		itemIndex: request.itemIndex,
	});
}

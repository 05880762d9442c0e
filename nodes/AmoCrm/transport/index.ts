import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import {
	apiRequest,
	type ApiContext,
	type ApiRequest,
	type ServiceProfile,
} from '../../shared/http';
import { maskPhonesInText } from '../../shared/phone';
import { accountBaseUrl } from './host';
import { requestsPerSecond } from './credentialFields';
import { acquire, limitedRecently, pausedFor, pauseHost, REQUESTS_PER_SECOND } from './limiter';
import { rotatedSince } from './oauth';
import { MAX_PAGE_SIZE, type AmoList, type AmoProblem } from './types';

const OAUTH2_CREDENTIAL = 'amoCrmOAuth2Api';
const LONG_LIVED_CREDENTIAL = 'amoCrmLongLivedApi';
export const DEFAULT_TIMEOUT_SECONDS = 30;
/**
 * A 429 without `retry_after` (body) or `Retry-After` (header) waits this long (seconds), doubled
 * on each next one: quick repeats of a 429 are what gets an account blocked
 * (docs/services/amocrm.md, "Rate limit and blocking").
 */
const RATE_LIMIT_BACKOFF_SECONDS = 5;
/**
 * 429s one call waits out before it fails: amoCRM did not process a call it answered 429, so
 * sending it again is safe, but not for long.
 */
export const RATE_LIMIT_RETRIES = 3;
/** A longer `retry_after` fails the call at once rather than hold the execution (seconds). */
const MAX_RETRY_AFTER_SECONDS = 60;
/** A 403 within this long of a 429 from the same host is a block, not missing rights. */
const BLOCK_AFTER_429_MS = 10 * 60_000;
/** Retries after a timeout or a 5xx (reads only). */
const RETRIES = 4;
/** Refresh this long before the stored expiry instead of waiting for a 401. */
const EXPIRY_MARGIN_MS = 60_000;
export const BLOCKED_MESSAGE = 'API blocked by amoCRM — contact support';
const INSUFFICIENT_RIGHTS_PREFIX = 'amoCRM: insufficient rights for';
const WAIT_MESSAGE_PREFIX = 'amoCRM asked to wait';
/** Marks errors of the credential's token exchange, so they are reported as such. */
export const TOKEN_ERROR_PREFIX = 'amoCRM token endpoint:';
export const REFRESH_SPENT_MESSAGE =
	'amoCRM refused the refresh token: it was already used (or revoked)';
/**
 * After amoCRM refused a refresh token as used, the credential is read again after each of these
 * pauses (ms): the execution or n8n worker that spent it stores the rotated pair within moments.
 */
export const STORED_PAIR_REREAD_MS = [1000, 2000];

type AmoAuthentication = 'oAuth2' | 'longLivedToken';

function problemText(body: unknown): string | undefined {
	if (!body || typeof body !== 'object') return undefined;
	const problem = body as AmoProblem;
	const validation = problem['validation-errors']
		?.flatMap((entry) =>
			(entry.errors ?? []).map(
				(error) =>
					`${entry.request_id !== undefined ? `[${entry.request_id}] ` : ''}${error.path ?? ''}: ${error.detail ?? error.code ?? ''}`,
			),
		)
		.join('; ');
	const text = validation || problem.hint || problem.detail || problem.title;
	return typeof text === 'string' && text ? maskPhonesInText(text).slice(0, 300) : undefined;
}

/**
 * How long a 429 asks to wait, in seconds: Kommo's `retry_after` in the body, else a `Retry-After`
 * header (seconds or a date), else `undefined` (docs/services/amocrm.md, "Rate limit and blocking").
 */
function retryAfterSeconds(body: unknown, headers: IDataObject = {}): number | undefined {
	const inBody = body && typeof body === 'object' ? (body as AmoProblem).retry_after : undefined;
	const header = headers['retry-after'] ?? headers['Retry-After'];
	for (const raw of [inBody, header]) {
		if (raw === undefined || raw === null || raw === '') continue;
		const seconds = Number(raw);
		if (Number.isFinite(seconds) && seconds >= 0) return seconds;
		const date = Date.parse(String(raw));
		if (!Number.isNaN(date)) return Math.max(0, Math.ceil((date - Date.now()) / 1000));
	}
	return undefined;
}

/** A block answers an HTML (or empty) 403, or a 403 soon after 429s; missing rights are JSON. */
function isBlockAnswer(host: string, body: unknown): boolean {
	return !body || typeof body !== 'object' || limitedRecently(host, BLOCK_AFTER_429_MS);
}

/** What a rights 403 names: the users list and lists need rights of their own (A-USERS, A-CAT). */
function rightsTarget(method: string, path: string): string {
	if (path.startsWith('/api/v4/users'))
		return 'the users list (amoCRM lets only administrators read it)';
	if (path.startsWith('/api/v4/catalogs')) return 'lists (the user needs access to lists)';
	return `${method} ${path.split('?')[0]}`;
}

function waitMessage(seconds: number): { message: string; description: string } {
	return {
		message: `${WAIT_MESSAGE_PREFIX} ${seconds} s before the next call (429 Too Many Requests)`,
		description: `That is over ${MAX_RETRY_AFTER_SECONDS} s, so the call failed rather than hold the execution; calls to this account from this n8n process fail at once until then. Run the workflow again later.`,
	};
}

/**
 * What the credential's token exchange reported (after the prefix), wherever n8n put the error
 * it threw: its message, the `messages` of the NodeApiError n8n wraps it in, or a `cause`.
 */
function tokenEndpointText(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
		const candidate = current as { message?: unknown; messages?: unknown; cause?: unknown };
		const texts = [
			candidate.message,
			...(Array.isArray(candidate.messages) ? candidate.messages : []),
		];
		for (const text of texts) {
			if (typeof text === 'string' && text.includes(TOKEN_ERROR_PREFIX)) {
				return text.slice(text.indexOf(TOKEN_ERROR_PREFIX) + TOKEN_ERROR_PREFIX.length).trim();
			}
		}
		current = candidate.cause;
	}
	return undefined;
}

export function amoProfile(
	host: string,
	credentialType: string,
	timeoutSeconds = DEFAULT_TIMEOUT_SECONDS,
	callsPerSecond = REQUESTS_PER_SECOND,
	request: Pick<ApiRequest, 'method' | 'path'> = { method: 'GET', path: '' },
): ServiceProfile {
	/** 429s this call got, and a wait amoCRM asked for that is too long to hold the execution. */
	let limited = 0;
	let tooLong: number | undefined;
	return {
		service: 'amoCRM',
		credentialType,
		timeoutMs: timeoutSeconds * 1000,
		retries: RETRIES,
		rateLimitRetries: RATE_LIMIT_RETRIES,
		backoffMs: 1000,
		headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
		beforeAttempt: async () => await acquire(host, callsPerSecond),
		retryPolicy(statusCode, body, _idempotent, headers) {
			// A 429 means the call was not processed, so even a create may be sent again.
			if (statusCode === 429) {
				limited++;
				const asked = retryAfterSeconds(body, headers);
				const seconds = asked ?? RATE_LIMIT_BACKOFF_SECONDS * 2 ** (limited - 1);
				pauseHost(host, seconds);
				if (seconds > MAX_RETRY_AFTER_SECONDS) tooLong = seconds;
				if (tooLong !== undefined || limited > RATE_LIMIT_RETRIES) return { retry: false };
				return { retry: true, delayMs: seconds * 1000, rateLimited: true };
			}
			// Blocked: every further call would only prolong the block.
			if (statusCode === 403) return { retry: false };
			// A write too large for amoCRM: the caller halves the batch (docs/services/amocrm.md,
			// "Sizes and paging"). A read is retried like any 5xx.
			if (statusCode === 504 && request.method !== 'GET') return { retry: false };
			return undefined;
		},
		describeThrown(error) {
			const said = tokenEndpointText(error);
			if (said === undefined) return undefined;
			// A used refresh token is 401 "Token has been revoked" (docs/services/amocrm.md,
			// "OAuth2"); OAuth servers in general say invalid_grant.
			if (/^HTTP 40[01]\b.*(revoked|invalid_grant)/i.test(said)) {
				return {
					message: REFRESH_SPENT_MESSAGE,
					description:
						'Another execution or n8n worker renewed this credential first, and the pair it stored was not found when the credential was read again. Re-authorise: paste a new Authorization Code into the amoCRM OAuth2 credential.',
				};
			}
			return {
				message: 'amoCRM refused to renew the OAuth2 token',
				description: `${said}. Paste a new Authorization Code into the amoCRM OAuth2 credential.`,
			};
		},
		describeFailure(statusCode, body) {
			const text = problemText(body);
			if (statusCode === 401) {
				return {
					message: 'amoCRM rejected the token',
					description:
						'The token expired or was revoked. For a long-lived token, generate a new one in the private integration; for OAuth2, paste a new Authorization Code into the credential.',
				};
			}
			if (statusCode === 402) {
				return { message: 'amoCRM: the account’s paid period has ended', description: text };
			}
			if (statusCode === 403 && isBlockAnswer(host, body)) {
				return {
					message: BLOCKED_MESSAGE,
					description:
						'amoCRM answers 403 to every call after its limit of 7 requests per second was broken repeatedly. Nothing was retried. Ask amoCRM support to unblock the account (give them the subdomain and the server’s IP).',
				};
			}
			if (statusCode === 403) {
				return {
					message: `${INSUFFICIENT_RIGHTS_PREFIX} ${rightsTarget(request.method, request.path)}`,
					description: `${text ? `${text}. ` : ''}The amoCRM user who authorised the credential lacks the rights for this call; give them the rights or use an administrator’s credential.`,
				};
			}
			if (statusCode === 404) return { message: 'amoCRM: not found', description: text };
			if (statusCode === 429 && tooLong !== undefined) return waitMessage(tooLong);
			if (statusCode === 429) {
				return {
					message: 'amoCRM kept answering 429 Too Many Requests',
					description: `${RATE_LIMIT_RETRIES} retries waited what amoCRM asked for (else ${RATE_LIMIT_BACKOFF_SECONDS} s, doubled each time). Try again later.`,
				};
			}
			if (statusCode === 504) {
				return {
					message: 'amoCRM answered 504: the batch was too large',
					description: 'Send fewer entities per request.',
				};
			}
			if (statusCode >= 500) {
				return { message: `amoCRM answered ${statusCode}`, description: text };
			}
			return { message: text ? `amoCRM: ${text}` : `amoCRM answered ${statusCode}` };
		},
	};
}

export interface AmoCallOptions {
	itemIndex?: number;
	timeoutSeconds?: number;
}

function readAuthentication(context: ApiContext): AmoAuthentication {
	const loadOptions = context as ILoadOptionsFunctions;
	const raw =
		typeof loadOptions.getCurrentNodeParameter === 'function'
			? loadOptions.getCurrentNodeParameter('authentication')
			: (context as IExecuteFunctions).getNodeParameter('authentication', 0, 'oAuth2');
	return raw === 'longLivedToken' ? 'longLivedToken' : 'oAuth2';
}

interface ResolvedAccount {
	credentialType: string;
	credentials: ICredentialDataDecryptedObject;
	baseUrl: string;
	host: string;
}

async function resolveAccount(context: ApiContext, itemIndex?: number): Promise<ResolvedAccount> {
	const credentialType =
		readAuthentication(context) === 'longLivedToken' ? LONG_LIVED_CREDENTIAL : OAUTH2_CREDENTIAL;
	const credentials = await context.getCredentials(credentialType, itemIndex);
	const baseUrl = accountBaseUrl(credentials);
	return { credentialType, credentials, baseUrl, host: new URL(baseUrl).host };
}

/** The host the limiter counts a credential's calls against. */
export async function accountHost(context: ApiContext): Promise<string> {
	return (await resolveAccount(context)).host;
}

/** Signs the call with other token data than the stored one. */
function withData(
	account: ResolvedAccount,
	data: ICredentialDataDecryptedObject,
): ApiRequest['credentialOptions'] {
	return {
		credentialsDecrypted: {
			id: '',
			name: '',
			type: account.credentialType,
			data: { ...account.credentials, ...data },
		},
	};
}

/**
 * Makes n8n run the OAuth2 credential's `preAuthentication` (which refreshes and stores the
 * rotated pair) before the call: n8n does so when the access token it is given is empty.
 */
function forceRefresh(account: ResolvedAccount): ApiRequest['credentialOptions'] {
	return withData(account, { accessToken: '' });
}

function isStatus(error: unknown, status: number): boolean {
	return error instanceof NodeApiError && error.httpCode === String(status);
}

export function isBatchTooLarge(error: unknown): boolean {
	return isStatus(error, 504);
}

/** A 400 problem+json: the request was refused as a whole, so nothing was created. */
export function isValidationError(error: unknown): boolean {
	return isStatus(error, 400);
}

/**
 * amoCRM refused the call for a reason a retry will not change: a validation error, missing rights,
 * an unknown entity, or a refusal of the node's own (no products list).
 */
export function isPermanentRefusal(error: unknown): boolean {
	if (error instanceof NodeOperationError) return true;
	if (!(error instanceof NodeApiError) || isBlocked(error)) return false;
	return ['400', '403', '404', '422'].includes(error.httpCode ?? '');
}

export function isBlocked(error: unknown): boolean {
	return error instanceof NodeApiError && error.message === BLOCKED_MESSAGE;
}

/** amoCRM asked for a wait too long to hold the execution: every next call would fail too. */
export function isTooLongWait(error: unknown): boolean {
	return error instanceof NodeApiError && error.message.startsWith(WAIT_MESSAGE_PREFIX);
}

function isRefreshSpent(error: unknown): boolean {
	return error instanceof NodeApiError && error.message === REFRESH_SPENT_MESSAGE;
}

/** A pair other than the one this call started with, whose access token is still good. */
function rotatedLivePair(
	stored: ICredentialDataDecryptedObject,
	held: ICredentialDataDecryptedObject,
): ICredentialDataDecryptedObject | undefined {
	const refreshToken = String(stored.refreshToken ?? '');
	const accessToken = String(stored.accessToken ?? '');
	const expiresAt = Number(stored.expiresAt ?? 0);
	if (!refreshToken || !accessToken || refreshToken === String(held.refreshToken ?? '')) {
		return undefined;
	}
	if (!(expiresAt - EXPIRY_MARGIN_MS > Date.now())) return undefined;
	return { accessToken, refreshToken, expiresAt };
}

/**
 * amoCRM refused the refresh token as already used: in queue mode another worker (or an execution
 * of another process) spent it, and n8n stored the pair it got in the credential. `getCredentials`
 * reads the credential from the database on every call, so read it again, a moment later, and
 * repeat the call with that pair. Without one, the refusal stands.
 */
async function withPairStoredElsewhere<T>(
	context: ApiContext,
	account: ResolvedAccount,
	refused: NodeApiError,
	send: (credentialOptions?: ApiRequest['credentialOptions']) => Promise<T>,
	itemIndex?: number,
): Promise<T | NodeApiError> {
	for (const waitMs of STORED_PAIR_REREAD_MS) {
		await sleep(waitMs);
		const stored = await context.getCredentials(account.credentialType, itemIndex);
		const pair = rotatedLivePair(stored, account.credentials);
		if (pair)
			return await send(withData(account, pair)).catch((error: unknown) => error as NodeApiError);
	}
	return refused;
}

/**
 * One amoCRM call through the pack's HTTP loop and the per-host limiter. A 204 (amoCRM's "no
 * data") is returned as `undefined`. With OAuth2, an expired token is refreshed before the call and
 * a 401 leads to one refresh and one repeat; a refresh refused because another worker spent the
 * token first is repeated with the pair that worker stored.
 */
export async function amoRequest<T>(
	context: ApiContext,
	request: ApiRequest,
	options: AmoCallOptions = {},
): Promise<T | undefined> {
	const account = await resolveAccount(context, options.itemIndex);
	const profile = amoProfile(
		account.host,
		account.credentialType,
		options.timeoutSeconds,
		requestsPerSecond(account.credentials),
		request,
	);
	const paused = pausedFor(account.host) / 1000;
	if (paused > MAX_RETRY_AFTER_SECONDS) {
		// Sending now would only earn another 429; fail as the call that was told to wait did.
		const { message, description } = waitMessage(Math.ceil(paused));
		throw new NodeApiError(
			context.getNode(),
			{ service: 'amoCRM', method: request.method, path: request.path, httpCode: 429, message },
			{ message, description, httpCode: '429', itemIndex: options.itemIndex },
		);
	}
	const send = async (credentialOptions?: ApiRequest['credentialOptions']) =>
		await apiRequest<T>(context, profile, account.baseUrl, {
			...request,
			itemIndex: options.itemIndex,
			credentialOptions,
		});
	const isOAuth = account.credentialType === OAUTH2_CREDENTIAL;
	const expiresAt = Number(account.credentials.expiresAt ?? 0);
	const expired =
		isOAuth &&
		Boolean(account.credentials.accessToken) &&
		expiresAt > 0 &&
		expiresAt - EXPIRY_MARGIN_MS < Date.now();
	// Another execution of this process may have rotated the pair after this one read it.
	const rotated = isOAuth && !expired ? await rotatedSince(account.credentials) : undefined;
	let outcome = await send(
		expired
			? forceRefresh(account)
			: rotated
				? withData(account, {
						accessToken: rotated.accessToken,
						refreshToken: rotated.refreshToken,
						expiresAt: rotated.expiresAt,
					})
				: undefined,
	).catch((error: unknown) => error as NodeApiError);
	if (outcome instanceof NodeApiError && isOAuth && !expired && isStatus(outcome, 401)) {
		outcome = await send(forceRefresh(account)).catch((error: unknown) => error as NodeApiError);
	}
	if (outcome instanceof NodeApiError && isOAuth && isRefreshSpent(outcome)) {
		outcome = await withPairStoredElsewhere(context, account, outcome, send, options.itemIndex);
	}
	if (outcome instanceof Error) throw outcome;
	const response = outcome;
	return response.statusCode === 204 || response.body === '' ? undefined : response.body;
}

/**
 * Every element of a list, page by page, `limit` 250; 204 ends the list
 * (docs/services/amocrm.md, "Sizes and paging").
 */
export async function amoGetAll<T>(
	context: ApiContext,
	path: string,
	entity: string,
	qs: IDataObject = {},
	options: AmoCallOptions & { max?: number; stop?: (page: T[]) => boolean } = {},
): Promise<T[]> {
	const all: T[] = [];
	for (let page = 1; ; page++) {
		const body = await amoRequest<AmoList<string, T>>(
			context,
			{ method: 'GET', path, qs: { ...qs, page, limit: MAX_PAGE_SIZE } },
			options,
		);
		const items = body?._embedded?.[entity] ?? [];
		all.push(...items);
		if (options.max !== undefined && all.length >= options.max) return all.slice(0, options.max);
		if (!body?._links?.next || items.length === 0 || options.stop?.(items)) return all;
	}
}

/** One page of a list; an empty array for a 204. */
export async function amoGetPage<T>(
	context: ApiContext,
	path: string,
	entity: string,
	qs: IDataObject,
	options: AmoCallOptions = {},
): Promise<T[]> {
	const body = await amoRequest<AmoList<string, T>>(context, { method: 'GET', path, qs }, options);
	return body?._embedded?.[entity] ?? [];
}

export { accountBaseUrl };

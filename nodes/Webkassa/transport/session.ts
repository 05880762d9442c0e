/**
 * The Webkassa cashier session, shared by the credential (its `preAuthentication`) and the node's
 * transport, so both log in through the one `authorize` below.
 *
 * How executions share one token (docs/services/webkassa.md, "Session token": "the token is valid until the next Authorize",
 * so a login invalidates the previous token of that cashier):
 * 1. The token is the credential's hidden `expirable` field. n8n fills it by calling
 *    `preAuthentication` when it is empty and **stores it in the database**, so every execution
 *    that uses the credential reads the same token.
 * 2. Webkassa reports an expired token as HTTP 200 with error code 2 (or 3), which n8n never treats
 *    as expiry (it refreshes on HTTP 401 only). The transport then asks n8n to send the request
 *    again with the token field emptied: n8n calls `preAuthentication` once more, stores the new
 *    token for everybody, and makes the retry with it. One re-login, one retry.
 * 3. Within one n8n process, logins of the same cashier are single-flight (executions that find
 *    the token expired at the same moment wait for one login), and an execution whose token was
 *    already replaced by another execution's login retries with that newer token instead of
 *    logging in again — so two executions never knock out each other's token.
 */
import { createHash } from 'crypto';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestOptions,
} from 'n8n-workflow';

import { USER_AGENT } from '../../shared/http';
import { CODE_WRONG_CREDENTIALS, describeWebkassaError, firstError } from './errors';
import { API_PREFIXES, WEBKASSA_METHODS, type WebkassaEnvelope } from './types';

export const WEBKASSA_CREDENTIAL = 'webkassaApi';
export const TOKEN_FIELD = 'sessionToken';

export const BASE_URLS = {
	production: 'https://kkm.webkassa.kz',
	test: 'https://devkkm.webkassa.kz',
	sandbox: 'http://127.0.0.1:4010/webkassa',
} as const;

const LOGIN_TIMEOUT_MS = 30_000;
/**
 * After Webkassa refused a login with code 1, the same login and password are not sent again for
 * this long: every item and every scheduled run would otherwise try the wrong password again, which
 * is how accounts get locked. Changing the password in the credential lifts it at once.
 */
const REFUSED_LOGIN_PAUSE_MS = 10 * 60_000;

interface WebkassaConnection {
	baseUrl: string;
	apiPrefix: string;
	login: string;
	password: string;
	apiKey: string;
}

export function connectionOf(credentials: ICredentialDataDecryptedObject): WebkassaConnection {
	const environment = String(credentials.environment ?? 'production');
	const base =
		environment === 'custom'
			? String(credentials.customBaseUrl ?? '')
			: (BASE_URLS[environment as keyof typeof BASE_URLS] ?? BASE_URLS.production);
	const family = credentials.apiFamily === 'legacy' ? 'legacy' : 'v4';
	return {
		baseUrl: base.trim().replace(/\/+$/, ''),
		apiPrefix: API_PREFIXES[family],
		login: String(credentials.login ?? '').trim(),
		password: String(credentials.password ?? ''),
		apiKey: String(credentials.apiKey ?? '').trim(),
	};
}

/** One cashier account on one Webkassa host: the unit a login invalidates. */
export function sessionKey(connection: WebkassaConnection): string {
	return `${connection.baseUrl}|${connection.login.toLowerCase()}`;
}

interface SessionState {
	/** The newest token this process obtained for the key. */
	token?: string;
	login?: Promise<string>;
	/** The last login refused with code 1: which password (as a hash), when, and the error. */
	refused?: { fingerprint: string; at: number; error: WebkassaLoginError };
}

function fingerprint(connection: WebkassaConnection): string {
	return createHash('sha256').update(`${connection.login}\n${connection.password}`).digest('hex');
}

const sessions = new Map<string, SessionState>();

export function latestToken(key: string): string | undefined {
	return sessions.get(key)?.token;
}

/** Tests only: forget what this process knows. */
export function resetSessions(): void {
	sessions.clear();
}

/** A refused login. Carries the code and Webkassa's text, never the login or the password. */
class WebkassaLoginError extends Error {
	readonly webkassaLogin = true;

	/**
	 * Webkassa's error code is not named `code`: n8n 2.x's credential test reports a wrapped error's
	 * `cause.code` as the message (meant for ECONNREFUSED and the like), which would show "1".
	 */
	constructor(
		message: string,
		readonly description: string,
		readonly webkassaCode?: number,
	) {
		super(message);
		this.name = 'WebkassaLoginError';
	}
}

/** Finds a login failure through the wrappers n8n puts around a `preAuthentication` error. */
export function findLoginError(
	error: unknown,
): { message: string; description: string; code?: number } | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
		const candidate = current as {
			webkassaLogin?: unknown;
			message?: unknown;
			description?: unknown;
			webkassaCode?: unknown;
			cause?: unknown;
		};
		if (candidate.webkassaLogin === true) {
			return {
				message: String(candidate.message),
				description: String(candidate.description ?? ''),
				code: typeof candidate.webkassaCode === 'number' ? candidate.webkassaCode : undefined,
			};
		}
		if (
			typeof candidate.message === 'string' &&
			candidate.message.startsWith('Webkassa login failed')
		) {
			return {
				message: candidate.message,
				description: typeof candidate.description === 'string' ? candidate.description : '',
			};
		}
		current = candidate.cause;
	}
	return undefined;
}

type HttpRequest = (options: IHttpRequestOptions) => Promise<unknown>;

async function login(httpRequest: HttpRequest, connection: WebkassaConnection): Promise<string> {
	if (!connection.login || !connection.password) {
		throw new WebkassaLoginError(
			'Webkassa login failed: the login or the password is empty',
			'Fill in the cashier e-mail and password in the Webkassa API credential.',
		);
	}
	if (connection.apiPrefix === API_PREFIXES.v4 && !connection.apiKey) {
		// v4 refuses every call without the key; saying so beats an HTTP 401 from Webkassa.
		throw new WebkassaLoginError(
			'Webkassa login failed: the API key (X-API-KEY) is empty',
			'The v4 API needs the API key Webkassa issues to integrators: ask Webkassa support or your Webkassa manager for it and enter it in the Webkassa API credential.',
		);
	}
	const headers: IDataObject = {
		'User-Agent': USER_AGENT,
		Accept: 'application/json',
		'Content-Type': 'application/json; charset=UTF-8',
	};
	if (connection.apiKey) headers['X-API-KEY'] = connection.apiKey;
	let response: { statusCode: number; body: unknown } | undefined;
	let unreachable = '';
	try {
		response = (await httpRequest({
			method: 'POST',
			url: `${connection.baseUrl}${connection.apiPrefix}/${WEBKASSA_METHODS.authorize}`,
			body: { Login: connection.login, Password: connection.password },
			headers,
			json: true,
			timeout: LOGIN_TIMEOUT_MS,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		})) as { statusCode: number; body: unknown };
	} catch (error) {
		// The request options of this error hold the password: keep only the gist.
		unreachable =
			error instanceof Error ? error.message.replace(/\?\S*/g, '?…').slice(0, 120) : 'error';
	}
	if (response === undefined) {
		throw new WebkassaLoginError(
			'Webkassa login failed: Webkassa could not be reached',
			`${unreachable}. Check the base URL in the Webkassa API credential.`,
		);
	}
	if (response.statusCode === 401 || response.statusCode === 403) {
		throw new WebkassaLoginError(
			`Webkassa login failed: HTTP ${response.statusCode}`,
			'Webkassa refused the request before the login: check the partner key (X-API-KEY) and the API path family in the credential.',
		);
	}
	if (response.statusCode < 200 || response.statusCode >= 300) {
		throw new WebkassaLoginError(
			`Webkassa login failed: HTTP ${response.statusCode}`,
			'Webkassa did not answer the login normally. Check the base URL and try again later.',
		);
	}
	const body = (response.body ?? {}) as WebkassaEnvelope<{ Token?: unknown }>;
	const error = firstError(body.Errors);
	if (error) {
		const described = describeWebkassaError(error);
		throw new WebkassaLoginError(
			`Webkassa login failed: ${described.message.replace(/^Webkassa error (-?\d+): /, '')} (code ${described.code})`,
			described.description,
			described.code,
		);
	}
	const token = body.Data?.Token;
	if (typeof token !== 'string' || token === '') {
		throw new WebkassaLoginError(
			'Webkassa login failed: the answer carried no token',
			'Check that the base URL points at the Webkassa API.',
		);
	}
	return token;
}

/**
 * Logs the cashier in and returns the new token. Single-flight per cashier account and host:
 * concurrent callers in this process share one login, since each login kills the previous token.
 */
export async function authorize(
	httpRequest: HttpRequest,
	credentials: ICredentialDataDecryptedObject,
): Promise<string> {
	const connection = connectionOf(credentials);
	const key = sessionKey(connection);
	const state = sessions.get(key) ?? {};
	sessions.set(key, state);
	if (state.login) return await state.login;
	const print = fingerprint(connection);
	if (
		state.refused &&
		state.refused.fingerprint === print &&
		Date.now() - state.refused.at < REFUSED_LOGIN_PAUSE_MS
	) {
		const minutes = Math.ceil((REFUSED_LOGIN_PAUSE_MS - (Date.now() - state.refused.at)) / 60_000);
		throw new WebkassaLoginError(
			state.refused.error.message,
			`${state.refused.error.description} The same password is not tried again for ${minutes} more min, so the account is not locked.`,
			state.refused.error.webkassaCode,
		);
	}
	const pending = login(httpRequest, connection);
	state.login = pending;
	let outcome: { token: string } | { error: unknown };
	try {
		outcome = { token: await pending };
	} catch (error) {
		outcome = { error };
	} finally {
		state.login = undefined;
	}
	if ('token' in outcome) {
		state.token = outcome.token;
		state.refused = undefined;
		return outcome.token;
	}
	const failure =
		outcome.error instanceof WebkassaLoginError
			? outcome.error
			: new WebkassaLoginError('Webkassa login failed', String(outcome.error).slice(0, 120));
	if (failure.webkassaCode === CODE_WRONG_CREDENTIALS)
		state.refused = { fingerprint: print, at: Date.now(), error: failure };
	throw failure;
}

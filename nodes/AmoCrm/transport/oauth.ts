import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { accountBaseUrl } from './host';

/** What the amoCRM OAuth2 credential stores after a code exchange or a refresh. */
interface AmoTokenSet extends IDataObject {
	accessToken: string;
	refreshToken: string;
	/** Epoch milliseconds. */
	expiresAt: number;
}

/** A POST of a JSON body that returns the parsed response body; throws on a non-2xx status. */
type TokenPost = (url: string, body: IDataObject) => Promise<unknown>;

/**
 * Tokens already obtained in this process, keyed by the grant that produced them: the
 * authorization code, or the refresh token that was spent. amoCRM refresh tokens are single-use
 * (docs/services/amocrm.md, "OAuth2"), so a second caller holding the same code or refresh
 * token — a credential test whose result n8n discards, or a parallel execution that read the
 * credential before it was rotated — must get the pair already issued instead of spending the
 * grant again. Entries are promises, so concurrent callers share one in-flight request (single
 * flight per process).
 */
const issued = new Map<string, Promise<AmoTokenSet>>();

/** Oldest entries are dropped beyond this; a chain only needs its latest links. */
const MAX_REMEMBERED = 500;

function remember(key: string, value: Promise<AmoTokenSet>): void {
	issued.set(key, value);
	if (issued.size > MAX_REMEMBERED) {
		const oldest = issued.keys().next().value;
		if (oldest !== undefined) issued.delete(oldest);
	}
	// A failed grant is not remembered: the next caller may try again with fixed settings.
	value.catch(() => issued.delete(key));
}

/** Follows code → pair → rotated pair → … to the newest pair issued in this process. */
async function newest(set: AmoTokenSet): Promise<AmoTokenSet> {
	let current = set;
	for (let hops = 0; hops < 100; hops++) {
		const next = issued.get(`refresh:${current.refreshToken}`);
		if (!next) return current;
		current = await next;
	}
	return current;
}

/**
 * The text the credential's token POST puts before every failure (`TOKEN_ERROR_PREFIX` in
 * `./index.ts`), which the transport reads to describe a refused refresh.
 */
const TOKEN_ERROR = 'amoCRM token endpoint:';

/**
 * Whether the token endpoint's failure says no account lives at this host: an HTTP 404, or a host
 * name that does not resolve. amoCRM documents no answer for an old subdomain; its SDK looks the
 * new one up (docs/services/amocrm.md, "OAuth2": changed subdomain), and integrations read a 404
 * from the token endpoint as that case.
 */
function accountGone(error: unknown): boolean {
	let current: unknown = error;
	for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
		const candidate = current as { message?: unknown; code?: unknown; cause?: unknown };
		if (candidate.code === 'ENOTFOUND') return true;
		if (
			typeof candidate.message === 'string' &&
			candidate.message.includes(`${TOKEN_ERROR} HTTP 404`)
		)
			return true;
		current = candidate.cause;
	}
	return false;
}

/** The error for a refresh at a host where amoCRM knows no account: the Subdomain needs fixing. */
function subdomainChangedError(host: string): Error {
	return new Error(
		`${TOKEN_ERROR} no amoCRM account at ${host} (HTTP 404 or no such host). If the account’s address changed, correct the Subdomain in the amoCRM OAuth2 credential to the one in the address you now open amoCRM at`,
	);
}

function toTokenSet(body: unknown): AmoTokenSet {
	const data = (body ?? {}) as IDataObject;
	if (typeof data.access_token !== 'string' || typeof data.refresh_token !== 'string') {
		throw new Error('amoCRM’s token endpoint answered without access_token and refresh_token');
	}
	const expiresIn = Number(data.expires_in);
	return {
		accessToken: data.access_token,
		refreshToken: data.refresh_token,
		expiresAt: Date.now() + (Number.isFinite(expiresIn) ? expiresIn : 86400) * 1000,
	};
}

/**
 * Exchanges the authorization code (first use) or spends the refresh token, with the body amoCRM
 * documents: JSON, client id and secret, and `redirect_uri` on both grants
 * (docs/services/amocrm.md, "OAuth2").
 */
export async function obtainTokens(
	post: TokenPost,
	credentials: ICredentialDataDecryptedObject,
): Promise<AmoTokenSet> {
	const accessToken = String(credentials.accessToken ?? '');
	const refreshToken = String(credentials.refreshToken ?? '');
	const expiresAt = Number(credentials.expiresAt ?? 0);
	// n8n also calls this on a credential test with the stored token: a live one is kept as is.
	// The node asks for a refresh by passing an empty access token.
	if (accessToken && refreshToken && expiresAt > Date.now()) {
		return { accessToken, refreshToken, expiresAt };
	}
	const code = String(credentials.authorizationCode ?? '').trim();
	const key = refreshToken ? `refresh:${refreshToken}` : `code:${code}`;
	if (!refreshToken && !code) {
		throw new Error(
			'The amoCRM OAuth2 credential has no tokens yet: paste an Authorization Code from the integration’s settings',
		);
	}
	const known = issued.get(key);
	if (known) return await newest(await known);

	const url = `${accountBaseUrl(credentials)}/oauth2/access_token`;
	const body: IDataObject = {
		client_id: credentials.clientId,
		client_secret: credentials.clientSecret,
		redirect_uri: credentials.redirectUri,
		...(refreshToken
			? { grant_type: 'refresh_token', refresh_token: refreshToken }
			: { grant_type: 'authorization_code', code }),
	};
	const request = post(url, body)
		.catch((error: unknown) => {
			throw accountGone(error) ? subdomainChangedError(new URL(url).host) : error;
		})
		.then(toTokenSet);
	remember(key, request);
	return await request;
}

/**
 * The newest pair this process obtained after the one in `credentials`, when that pair's refresh
 * token was already spent here (another execution refreshed; n8n stored the result, but this
 * execution read the credential before).
 */
export async function rotatedSince(
	credentials: ICredentialDataDecryptedObject,
): Promise<AmoTokenSet | undefined> {
	const pending = issued.get(`refresh:${String(credentials.refreshToken ?? '')}`);
	if (!pending) return undefined;
	try {
		return await newest(await pending);
	} catch {
		return undefined;
	}
}

/** For tests: forget every token issued in this process. */
export function forgetIssuedTokens(): void {
	issued.clear();
}

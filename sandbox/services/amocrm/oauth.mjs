// @ts-check
/**
 * The OAuth2 token endpoint: codes and refresh tokens that work once, and the bearer check.
 */
import { randomBytes } from 'node:crypto';
import { isObject, json } from '../../lib/http.mjs';
import { PROBLEM, nowSeconds } from './common.mjs';

/** @typedef {import('../../lib/http.mjs').RequestContext} RequestContext */
/** @typedef {import('../../lib/http.mjs').Reply} Reply */
/** @typedef {import('./state.mjs').AmoState} AmoState */

/**
 * The OAuth error document, unlike the API's problem JSON: `hint` says what was wrong, `status`
 * repeats the HTTP status (https://github.com/amocrm/amocrm-api-php/issues/123).
 * @param {string} hint
 * @param {number} [status]
 * @returns {Reply}
 */
export function oauthProblem(hint, status = 400) {
	return {
		status,
		body: {
			hint,
			title: 'Некорректный запрос',
			type: 'https://developers.amocrm.ru/v3/errors/OAuthProblemJson',
			status,
			detail: 'В запросе отсутствует ряд параметров или параметры невалидны',
		},
		headers: { 'content-type': PROBLEM },
	};
}

/**
 * Spends a live refresh token: it is refused from now on, as amoCRM refuses a token already
 * used, whoever used it: 401 "Token has been revoked" (maintainers' answers in
 * https://github.com/amocrm/amocrm-api-php/issues/123 and /issues/475).
 * @param {AmoState} state
 * @param {string} refreshToken
 * @returns {boolean} False when the token is unknown or already spent (and counts the refusal).
 */
export function spendRefreshToken(state, refreshToken) {
	if (state.refreshTokens.get(refreshToken) !== 'live') {
		state.rejectedRefreshes++;
		return false;
	}
	state.refreshTokens.set(refreshToken, 'used');
	state.refreshes++;
	return true;
}

/**
 * A new access token and a new live refresh token, as the token endpoint answers them.
 * @param {AmoState} state
 */
export function issueTokens(state) {
	const accessToken = `sandbox-access-${randomBytes(12).toString('hex')}`;
	const refreshToken = `sandbox-refresh-${randomBytes(12).toString('hex')}`;
	const expiresAt = Date.now() + state.accessTokenSeconds * 1000;
	state.accessTokens.set(accessToken, expiresAt);
	state.refreshTokens.set(refreshToken, 'live');
	return { accessToken, refreshToken, expiresAt };
}

/**
 * `POST /oauth2/access_token` (https://developers.kommo.com/reference/get-token): JSON or form
 * body; the client, its secret and the redirect URI must match on both grants; a code and a
 * refresh token work once.
 * @param {AmoState} state
 * @param {RequestContext} ctx
 * @returns {Reply}
 */
export function token(state, ctx) {
	const body = /** @type {Record<string, string>} */ (
		isObject(ctx.body) ? ctx.body : Object.fromEntries(new URLSearchParams(String(ctx.body ?? '')))
	);
	if (body.client_id !== state.client.clientId || body.client_secret !== state.client.clientSecret)
		return oauthProblem('Client authentication failed');
	if (body.redirect_uri !== state.client.redirectUri)
		return oauthProblem('redirect_uri is missing or does not match');
	if (body.grant_type === 'authorization_code') {
		const code = state.codes.get(body.code);
		if (!code || code.used) return oauthProblem('Authorization code has expired');
		code.used = true;
	} else if (body.grant_type === 'refresh_token') {
		if (!spendRefreshToken(state, body.refresh_token))
			return oauthProblem('Token has been revoked', 401);
	} else {
		return oauthProblem('Unsupported grant type');
	}
	const issued = issueTokens(state);
	return json({
		token_type: 'Bearer',
		expires_in: state.accessTokenSeconds,
		server_time: nowSeconds(),
		access_token: issued.accessToken,
		refresh_token: issued.refreshToken,
	});
}

/**
 * @param {AmoState} state
 * @returns {import('../../lib/service.mjs').SandboxService['authenticate']}
 */
export function bearerAuth(state) {
	return (headers) => {
		const header = headers.authorization;
		if (typeof header !== 'string' || !header.startsWith('Bearer ')) return 'missing';
		const presented = header.slice('Bearer '.length);
		if (presented === state.longLivedToken) return 'valid';
		const expiry = state.accessTokens.get(presented);
		return expiry !== undefined && expiry > Date.now() ? 'valid' : 'invalid';
	};
}

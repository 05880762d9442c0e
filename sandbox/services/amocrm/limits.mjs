// @ts-check
/**
 * amoCRM's rate limit and block, and the emulator's own fault kinds (429 and 403 variants).
 */
import { HttpError } from '../../lib/http.mjs';
import { problem, rightsError } from './common.mjs';

/** @typedef {import('../../lib/http.mjs').RequestContext} RequestContext */
/** @typedef {import('../../lib/http.mjs').Reply} Reply */
/** @typedef {import('./state.mjs').AmoState} AmoState */

/** The documented long `retry_after` (https://developers.kommo.com/docs/http-codes). */
export const LONG_RETRY_AFTER = 300;

/**
 * nginx's own 403 page, which a blocked IP may get instead of problem JSON.
 * @returns {Reply}
 */
export function htmlBlockPage() {
	return {
		status: 403,
		body: Buffer.from(
			'<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n<center><h1>403 Forbidden</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
		),
		headers: { 'content-type': 'text/html' },
	};
}

/**
 * A 429: problem JSON with `retry_after` in the body, as Kommo documents it
 * (https://developers.kommo.com/docs/http-codes), or without it when `retryAfter` is null.
 * @param {number | null} retryAfter
 * @param {Record<string, string>} [headers]
 * @returns {Reply}
 */
export function tooManyRequests(retryAfter, headers = {}) {
	const reply = problem(
		429,
		'You have sent too many requests in a given amount of time. Please try again later.',
		retryAfter === null ? {} : { retry_after: retryAfter },
	);
	return { ...reply, headers: { ...reply.headers, ...headers } };
}

/**
 * The emulator's own fault kinds for `POST /_control/faults` (`{"service":"amocrm","fault":…}`),
 * each the answer amoCRM gives instead of the normal one:
 * - `http429NoRetryAfter`: problem JSON with no `retry_after`;
 * - `http429LongRetryAfter`: `retry_after: 300`, the documented value;
 * - `http429RetryAfterHeader`: no `retry_after` in the body, a `Retry-After: 5` header;
 * - `http429Text`: a plain-text body (the SDK handles a non-JSON 429, AmoCRMApiRequest.php);
 * - `http403Html`: nginx's HTML 403 page of a block;
 * - `http403Rights`: the JSON rights 403.
 * @type {Record<string, () => Reply>}
 */
export const OWN_FAULTS = {
	http429NoRetryAfter: () => tooManyRequests(null),
	http429LongRetryAfter: () => tooManyRequests(LONG_RETRY_AFTER),
	http429RetryAfterHeader: () => tooManyRequests(null, { 'retry-after': '5' }),
	http429Text: () => ({
		status: 429,
		body: Buffer.from('Too Many Requests'),
		headers: { 'content-type': 'text/plain' },
	}),
	http403Html: htmlBlockPage,
	http403Rights: () => rightsError().reply,
};

/**
 * The shared 7-rps rule: a call beyond the limit is a violation and gets 429; after `blockAfter`
 * violations every call gets 403 until `/_control/amocrm/unblock`.
 * @param {AmoState} state
 * @param {string} route
 * @param {(ctx: RequestContext) => Reply | Promise<Reply>} handler
 * @returns {(ctx: RequestContext) => Promise<Reply>}
 */
export function limited(state, route, handler) {
	return async (ctx) => {
		state.counts[route] = (state.counts[route] ?? 0) + 1;
		if (state.expireAfter !== null && --state.expireAfter <= 0) {
			state.expireAfter = null;
			for (const token of state.accessTokens.keys()) state.accessTokens.set(token, 0);
		}
		const reply = await answer(state, ctx, handler);
		state.statuses[reply.status] = (state.statuses[reply.status] ?? 0) + 1;
		return reply;
	};
}

/**
 * @param {AmoState} state
 * @param {RequestContext} ctx
 * @param {(ctx: RequestContext) => Reply | Promise<Reply>} handler
 * @returns {Promise<Reply>}
 */
export async function answer(state, ctx, handler) {
	if (state.blocked)
		return state.profile.blockPage === 'html'
			? htmlBlockPage()
			: problem(403, 'Access denied: the API is blocked for this account. Contact support.');
	const now = Date.now();
	state.arrivals = state.arrivals.filter((time) => now - time < 1000);
	state.arrivals.push(now);
	state.maxInWindow = Math.max(state.maxInWindow, state.arrivals.length);
	if (state.arrivals.length > state.limits.rps) {
		state.violations++;
		if (state.violations >= state.limits.blockAfter) state.blocked = true;
		return tooManyRequests(state.limits.retryAfter);
	}
	const own = ctx.fault === undefined ? undefined : OWN_FAULTS[ctx.fault];
	if (own) return own();
	try {
		return await handler(ctx);
	} catch (error) {
		if (error instanceof HttpError) return error.reply;
		throw error;
	}
}

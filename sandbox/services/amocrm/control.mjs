// @ts-check
/**
 * The amoCRM emulator's control routes, below `/_control/amocrm`. `POST /seed` fills a busy account
 * in one call (./seed.mjs).
 */
import { randomBytes } from 'node:crypto';
import { Router, controlError, isObject, json } from '../../lib/http.mjs';
import { newContact } from './contacts.mjs';
import { leadView } from './leads.mjs';
import { issueTokens, spendRefreshToken } from './oauth.mjs';
import { withProfile } from './profile.mjs';
import { bulkSeed } from './seed.mjs';

/** @typedef {import('./state.mjs').AmoState} AmoState */

/**
 * @param {AmoState} state
 * @returns {Router}
 */
export function controlRoutes(state) {
	return new Router()
		.on('GET', '/stats', () =>
			json({
				counts: state.counts,
				total: Object.values(state.counts).reduce((sum, count) => sum + count, 0),
				statuses: state.statuses,
				tooManyRequests: state.statuses[429] ?? 0,
				violations: state.violations,
				blocked: state.blocked,
				maxInWindow: state.maxInWindow,
				refreshes: state.refreshes,
				rejectedRefreshes: state.rejectedRefreshes,
			}),
		)
		.on('DELETE', '/stats', () => {
			state.counts = {};
			state.statuses = {};
			state.maxInWindow = 0;
			return json({ cleared: true });
		})
		.on('POST', '/limits', (ctx) => {
			const body = ctx.body ?? {};
			if (!isObject(body))
				throw controlError('Body must be {"rps"?, "blockAfter"?, "retryAfter"?: number | null}');
			if (body.retryAfter === null) state.limits.retryAfter = null;
			for (const key of ['rps', 'blockAfter', 'retryAfter']) {
				if (body[key] !== undefined && body[key] !== null) {
					if (typeof body[key] !== 'number' || body[key] < 0)
						throw controlError(`${key} must be a non-negative number`);
					/** @type {any} */ (state.limits)[key] = body[key];
				}
			}
			return json(state.limits);
		})
		.on('GET', '/profile', () => json(state.profile))
		.on('POST', '/profile', (ctx) => {
			state.profile = withProfile(state.profile, isObject(ctx.body) ? ctx.body : {});
			return json(state.profile);
		})
		.on('POST', '/unblock', () => {
			state.blocked = false;
			state.violations = 0;
			state.arrivals = [];
			return json({ blocked: false });
		})
		.on('GET', '/data', () =>
			json({
				leads: [...state.leads.values()].map((lead) => ({
					...leadView(state, lead, 'contacts,catalog_elements'),
				})),
				contacts: [...state.contacts.values()],
				notes: state.notes,
				elements: [...state.elements.values()],
			}),
		)
		.on('POST', '/seed', (ctx) => json(bulkSeed(state, ctx.body ?? {}), 201))
		.on('POST', '/contacts', (ctx) => {
			const inputs = Array.isArray(ctx.body) ? ctx.body : [ctx.body];
			return json({ ids: inputs.map((input) => newContact(state, input, '0').id) }, 201);
		})
		.on('POST', '/oauth/code', () => {
			const code = `sandbox-code-${randomBytes(10).toString('hex')}`;
			state.codes.set(code, { used: false });
			return json({ code, ...state.client }, 201);
		})
		.on('POST', '/oauth/access-token-lifetime', (ctx) => {
			const seconds = isObject(ctx.body) ? Number(ctx.body.seconds) : NaN;
			if (!Number.isFinite(seconds) || seconds <= 0)
				throw controlError('Body must be {"seconds": number}');
			state.accessTokenSeconds = seconds;
			return json({ seconds });
		})
		.on('POST', '/oauth/expire-after', (ctx) => {
			const requests = isObject(ctx.body) ? Number(ctx.body.requests) : NaN;
			if (!Number.isInteger(requests) || requests < 1)
				throw controlError('Body must be {"requests": integer ≥ 1}');
			state.expireAfter = requests;
			return json({ expireAfter: requests });
		})
		.on('POST', '/oauth/expire', () => {
			for (const token of state.accessTokens.keys()) state.accessTokens.set(token, 0);
			return json({ expired: state.accessTokens.size });
		})
		.on('POST', '/oauth/refresh-elsewhere', (ctx) => {
			// Another worker refreshed: the newest live refresh token (or the one named) is spent
			// exactly as the token endpoint spends it, and the new pair is handed to the test, which
			// stores it in n8n as that worker would.
			const body = ctx.body ?? {};
			if (
				!isObject(body) ||
				(body.refreshToken !== undefined && typeof body.refreshToken !== 'string')
			)
				throw controlError('Body must be {"refreshToken"?: string}');
			const live = [...state.refreshTokens].filter(([, status]) => status === 'live');
			const spent = body.refreshToken ?? live.at(-1)?.[0];
			if (spent === undefined)
				throw controlError('No live refresh token: exchange a code first', 409);
			if (!spendRefreshToken(state, spent))
				throw controlError('That refresh token is not live (unknown or already used)', 409);
			return json({ ...issueTokens(state), spentRefreshToken: spent });
		});
}

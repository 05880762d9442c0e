// @ts-check
/**
 * amoCRM / Kommo API v4 emulator (https://developers.kommo.com/reference): account, users,
 * pipelines and statuses, deal custom fields, leads (with `/leads/complex` and its bare-array
 * answer), contacts with PHONE multi-values and word-prefix `query`, notes, tags, catalogs and
 * elements, links, and the OAuth2 token endpoint that rotates refresh tokens and rejects a reused
 * one. One module per resource under `./amocrm/`; this file mounts them.
 *
 * Like the real service it allows 7 requests per second (429 with `retry_after` in the body), and
 * after repeated violations answers 403 to every call until unblocked through the control API.
 * Errors are `application/problem+json`; empty lists are 204 with no body. What differs between
 * accounts (search delay, rights, duplicate control, the block page) is a profile:
 * `POST /_control/amocrm/profile` (./amocrm/profile.mjs).
 */
import { Router } from '../lib/http.mjs';
import { accountRoutes } from './amocrm/account.mjs';
import { catalogRoutes } from './amocrm/catalogs.mjs';
import { AMOCRM_CLIENT, AMOCRM_DEFAULT_TOKEN, SEED, problem } from './amocrm/common.mjs';
import { contactRoutes } from './amocrm/contacts.mjs';
import { controlRoutes } from './amocrm/control.mjs';
import { leadRoutes } from './amocrm/leads.mjs';
import { OWN_FAULTS, limited } from './amocrm/limits.mjs';
import { noteRoutes } from './amocrm/notes.mjs';
import { bearerAuth, token } from './amocrm/oauth.mjs';
import { resetState, sharedState } from './amocrm/state.mjs';

export { AMOCRM_CLIENT, AMOCRM_DEFAULT_TOKEN, SEED };

/** @typedef {import('../lib/http.mjs').RequestContext} RequestContext */
/** @typedef {import('../lib/http.mjs').Reply} Reply */
/** @typedef {import('./amocrm/state.mjs').AmoState} AmoState */

const PREFIX = '/amocrm';

const OAUTH_PREFIX = '/amocrm/oauth2';

/**
 * @param {AmoState} state
 * @returns {Router}
 */
function apiRoutes(state) {
	const router = new Router();
	/**
	 * @param {string} method
	 * @param {string} pattern
	 * @param {(ctx: RequestContext) => Reply | Promise<Reply>} handler
	 */
	const on = (method, pattern, handler) =>
		router.on(method, pattern, limited(state, `${method} ${pattern}`, handler));

	accountRoutes(state, on);
	leadRoutes(state, on);
	contactRoutes(state, on);
	noteRoutes(state, on);
	catalogRoutes(state, on);
	return router;
}

/** @type {import('../lib/service.mjs').ServiceModule} */
export const amocrmService = {
	name: 'amocrm',
	create({ secret = AMOCRM_DEFAULT_TOKEN, seed }) {
		const state = sharedState(secret, seed);
		return {
			name: 'amocrm',
			prefix: PREFIX,
			contentType: 'application/hal+json',
			state,
			authenticate: bearerAuth(state),
			errorBody: (status, message) => problem(status, message).body,
			unauthorized: () => problem(401, 'Invalid user name or password'),
			api: apiRoutes(state),
			control: controlRoutes(state),
			faultKinds: Object.fromEntries(Object.keys(OWN_FAULTS).map((kind) => [kind, () => true])),
			reset: (withSeed) => resetState(state, withSeed),
		};
	},
};

/**
 * The token endpoint lives on the account host like the API, but takes no bearer token; listed
 * before `amocrmService`, its longer prefix wins.
 * @type {import('../lib/service.mjs').ServiceModule}
 */
export const amocrmOAuthService = {
	name: 'amocrm-oauth',
	create({ secret = AMOCRM_DEFAULT_TOKEN, seed }) {
		const state = sharedState(secret, seed);
		return {
			name: 'amocrm-oauth',
			prefix: OAUTH_PREFIX,
			contentType: 'application/json',
			state: {},
			authenticate: () => 'valid',
			errorBody: (status, message) => problem(status, message).body,
			unauthorized: () => problem(401, 'Unauthorized'),
			api: new Router().on('POST', '/access_token', (ctx) => token(state, ctx)),
			control: new Router(),
			reset: () => undefined,
		};
	},
};

// @ts-check
/**
 * The amoCRM emulator's state: one per sandbox, shared by the API and the token endpoint, and the
 * account's set-up a reset restores (pipelines with their system stages, deal fields, the products list).
 */
import { ACCESS_TOKEN_SECONDS, AMOCRM_CLIENT, INCOMING_STATUS, SEED } from './common.mjs';
import { newContact } from './contacts.mjs';
import { baseProfile } from './profile.mjs';

/** @typedef {import('./profile.mjs').AmoProfile} AmoProfile */

/**
 * @typedef {object} Limits
 * @property {number} rps Requests allowed in any one-second window.
 * @property {number} blockAfter Violations (429s) after which every call gets 403.
 * @property {number | null} retryAfter Seconds put in a 429's `retry_after`; null leaves the
 *   field out (the SDK handles a 429 without it, AmoCRMApiRequest.php).
 */

/**
 * @typedef {object} AmoState
 * @property {Map<number, any>} leads
 * @property {Map<number, any>} contacts
 * @property {any[]} notes
 * @property {Map<number, Map<number, { quantity: number, catalog_id: number }>>} links Lead → element → metadata.
 * @property {Map<number, any>} elements
 * @property {any[]} catalogs
 * @property {any[]} pipelines
 * @property {any[]} leadFields
 * @property {any[]} users
 * @property {Map<string, number>} leadTags Name → id.
 * @property {number} nextId
 * @property {Limits} limits
 * @property {number[]} arrivals Times (ms) of recent API calls.
 * @property {number} violations
 * @property {boolean} blocked
 * @property {number} maxInWindow Most calls seen in one second.
 * @property {Record<string, number>} counts "METHOD /route" → calls.
 * @property {Record<string, number>} statuses HTTP status → answers.
 * @property {{ clientId: string, clientSecret: string, redirectUri: string }} client
 * @property {Map<string, { used: boolean }>} codes
 * @property {Map<string, number>} accessTokens Token → expiry (ms).
 * @property {Map<string, 'live' | 'used'>} refreshTokens
 * @property {number} accessTokenSeconds
 * @property {number} refreshes
 * @property {number} rejectedRefreshes
 * @property {string} longLivedToken
 * @property {number | null} expireAfter API calls until every access token expires (a token that runs out mid-run).
 * @property {AmoProfile} profile
 * @property {Map<number, number>} searchableAt Entity id → time (ms) from which `query` finds it.
 */

/**
 * Both services of sandbox/services/amocrm.mjs (the API and the token endpoint) share one state
 * per sandbox: the first `create` makes it.
 */
/** @type {AmoState | undefined} */
let pendingState;

/**
 * @param {string} longLivedToken
 * @param {boolean} seed
 * @returns {AmoState}
 */
export function sharedState(longLivedToken, seed) {
	if (pendingState) {
		const state = pendingState;
		pendingState = undefined;
		return state;
	}
	/** @type {AmoState} */
	const state = /** @type {any} */ ({ longLivedToken });
	resetState(state, seed);
	pendingState = state;
	return state;
}

/**
 * @param {AmoState} state
 * @param {boolean} seed
 */
export function resetState(state, seed) {
	state.leads = new Map();
	state.contacts = new Map();
	state.notes = [];
	state.links = new Map();
	state.elements = new Map();
	state.leadTags = new Map();
	state.nextId = 10_000_001;
	state.limits = { rps: 7, blockAfter: 3, retryAfter: 1 };
	state.arrivals = [];
	state.violations = 0;
	state.blocked = false;
	state.maxInWindow = 0;
	state.counts = {};
	state.statuses = {};
	state.client = { ...AMOCRM_CLIENT };
	state.codes = new Map();
	state.accessTokens = new Map();
	state.refreshTokens = new Map();
	state.accessTokenSeconds = ACCESS_TOKEN_SECONDS;
	state.refreshes = 0;
	state.rejectedRefreshes = 0;
	state.expireAfter = null;
	state.profile = baseProfile();
	state.searchableAt = new Map();
	state.users = [{ id: SEED.userId, name: 'Sandbox Manager', email: 'manager@sandbox.test' }];
	// The account's set-up (pipelines, deal fields, the products list) is there with or without
	// seed data; `seed` only adds sample contacts.
	state.pipelines = [
		{
			id: SEED.pipelineId,
			name: 'Kaspi orders',
			is_main: true,
			_embedded: {
				statuses: [
					{ id: INCOMING_STATUS, name: 'Incoming', pipeline_id: SEED.pipelineId, type: 1 },
					{ id: SEED.statusNew, name: 'New order', pipeline_id: SEED.pipelineId, type: 0 },
					{ id: SEED.statusPaid, name: 'Paid', pipeline_id: SEED.pipelineId, type: 0 },
					{ id: 142, name: 'Won', pipeline_id: SEED.pipelineId, type: 0 },
					{ id: 143, name: 'Lost', pipeline_id: SEED.pipelineId, type: 0 },
				],
			},
		},
		{
			id: 7000002,
			name: 'Wholesale',
			is_main: false,
			_embedded: {
				statuses: [
					{ id: 7200000, name: 'Incoming', pipeline_id: 7000002, type: 1 },
					{ id: 7200001, name: 'First contact', pipeline_id: 7000002, type: 0 },
					{ id: 142, name: 'Won', pipeline_id: 7000002, type: 0 },
					{ id: 143, name: 'Lost', pipeline_id: 7000002, type: 0 },
				],
			},
		},
	];
	state.leadFields = [
		{ id: SEED.orderCodeFieldId, name: 'Kaspi order code', code: null, type: 'text' },
		{ id: 900002, name: 'Delivery address', code: null, type: 'textarea' },
		{
			id: 900003,
			name: 'Source',
			code: null,
			type: 'select',
			enums: [
				{ id: 910001, value: 'Kaspi', sort: 1 },
				{ id: 910002, value: 'Instagram', sort: 2 },
			],
		},
		{ id: 900004, name: 'Items', code: null, type: 'numeric' },
		{ id: 900005, name: 'Paid', code: null, type: 'checkbox' },
		{ id: 900006, name: 'Delivery date', code: null, type: 'date' },
		{ id: 900007, name: 'Order page', code: null, type: 'url' },
		// Enough fields that the list spans two of amoCRM's 50-field pages.
		...Array.from({ length: 50 }, (_, index) => ({
			id: 901001 + index,
			name: `Extra field ${index + 1}`,
			code: null,
			type: 'text',
		})),
	];
	state.catalogs = [{ id: SEED.catalogId, name: 'Products', type: 'products' }];
	if (seed) {
		newContact(
			state,
			{
				name: 'Асель Омарова',
				custom_fields_values: [{ field_code: 'PHONE', values: [{ value: '+7 (701) 555-12-34' }] }],
			},
			'0',
		);
		newContact(
			state,
			{
				name: 'Ерлан Сапаров',
				custom_fields_values: [{ field_code: 'PHONE', values: [{ value: '8 777 555 66 77' }] }],
			},
			'0',
		);
	}
}

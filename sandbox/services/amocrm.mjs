// @ts-check
/**
 * amoCRM / Kommo API v4 emulator (https://developers.kommo.com/reference): account, users,
 * pipelines and statuses, deal custom fields, leads (with `/leads/complex` and its bare-array
 * answer), contacts with PHONE multi-values and full-text `query`, notes, tags, catalogs and
 * elements, links, and the OAuth2 token endpoint that rotates refresh tokens and rejects a reused
 * one.
 *
 * Like the real service it allows 7 requests per second (429 with `retry_after` in the body), and
 * after repeated violations answers 403 to every call until unblocked through the control API.
 * Errors are `application/problem+json`; empty lists are 204 with no body.
 */
import { randomBytes } from 'node:crypto';

import { HttpError, Router, controlError, isObject, json } from '../lib/http.mjs';

/** @typedef {import('../lib/http.mjs').RequestContext} RequestContext */
/** @typedef {import('../lib/http.mjs').Reply} Reply */

export const AMOCRM_DEFAULT_TOKEN = 'sandbox-amocrm-token';
export const AMOCRM_CLIENT = {
	clientId: 'sandbox-amocrm-client',
	clientSecret: 'sandbox-amocrm-secret',
	redirectUri: 'https://n8n.example.test/rest/oauth2-credential/callback',
};
const PREFIX = '/amocrm';
const OAUTH_PREFIX = '/amocrm/oauth2';
const PROBLEM = 'application/problem+json';

/*
 * amoCRM's own limits, not the node's, so that a node that breaks them fails here as it would on
 * a real account. Page size and batch size: Kommo's limitations page
 * (https://developers.kommo.com/docs/limitations); `limit` above 250 is clamped, not refused
 * (maintainer's answer, https://github.com/amocrm/amocrm-api-php/issues/210). Complex adds: at most
 * 50 leads per request (https://developers.kommo.com/reference/complex-leads, amoCRM's
 * https://www.amocrm.ru/developers/content/crm_platform/leads-api#leads-complex-add).
 */
/** Most entities one list page returns. */
const MAX_PAGE_SIZE = 250;
/** Most entities one add or update request takes. */
const MAX_BATCH = 250;
/** Most leads one `POST /api/v4/leads/complex` takes. */
const MAX_COMPLEX_BATCH = 50;
const ACCESS_TOKEN_SECONDS = 86400;
/**
 * Most custom fields one `GET /api/v4/leads/custom_fields` page returns, whatever `limit` asks
 * (https://www.amocrm.ru/developers/content/crm_platform/custom-fields: "returns up to 50 fields").
 */
const MAX_FIELDS_PAGE = 50;
/** The main pipeline's system "incoming" (unsorted) stage, `type: 1` (leads_pipelines). */
const INCOMING_STATUS = 7100000;
/** The documented long `retry_after` (https://developers.kommo.com/docs/http-codes). */
const LONG_RETRY_AFTER = 300;
export const SEED = {
	pipelineId: 7000001,
	statusNew: 7100001,
	statusPaid: 7100002,
	orderCodeFieldId: 900001,
	catalogId: 5001,
	userId: 8000001,
};

/**
 * What differs between real accounts, switched with `POST /_control/amocrm/profile` (the WAHA
 * emulator's pattern). The defaults are the plain account most suites assume; each key names the
 * behaviour it turns on and the public source it follows.
 * @typedef {object} AmoProfile
 * @property {number} searchDelayMs How long a new lead, contact or catalog element stays out of
 *   `query` results. The search index is filled asynchronously; the audit could not confirm the
 *   lag on a live account, so it is a setting (default 0) that tests raise.
 * @property {boolean} admin The token's user is an account administrator. `GET /api/v4/users` is
 *   admin-only: 403 "Не хватает прав для вызова данного метода"
 *   (https://www.amocrm.ru/developers/content/crm_platform/users-api).
 * @property {boolean} listRights The user may read lists: `/api/v4/catalogs` is "доступен
 *   пользователем с правами доступа к спискам"
 *   (https://www.amocrm.ru/developers/content/crm_platform/catalogs-api).
 * @property {boolean} duplicateControl This integration is a source of the account's duplicate
 *   control: `/leads/complex` data "participates in duplicate control if the option is enabled",
 *   and a duplicate comes back as the existing lead's id with `merged: true`
 *   (https://developers.kommo.com/reference/complex-leads).
 * @property {'json' | 'html'} blockPage How the 403 of a blocked IP or account looks: problem JSON,
 *   or nginx's bare HTML page (reported in amocrm-api-php's issues; the SDK handles non-JSON
 *   bodies, amocrm/amocrm-api-php src/AmoCRM/Client/AmoCRMApiRequest.php).
 */

/** @type {AmoProfile} */
const DEFAULT_PROFILE = {
	searchDelayMs: 0,
	admin: true,
	listRights: true,
	duplicateControl: false,
	blockPage: 'json',
};

const PROFILE_USAGE =
	'Body must be {searchDelayMs?: integer ≥ 0, admin?: boolean, listRights?: boolean, duplicateControl?: boolean, blockPage?: "json"|"html"}';

/**
 * A profile with some settings changed; an unknown key or a wrong type is refused.
 * @param {AmoProfile} profile
 * @param {Record<string, unknown>} changes
 * @returns {AmoProfile}
 */
function withProfile(profile, changes) {
	const next = { ...profile };
	for (const [key, value] of Object.entries(changes)) {
		const ok =
			key === 'searchDelayMs'
				? Number.isInteger(value) && /** @type {number} */ (value) >= 0
				: key === 'blockPage'
					? value === 'json' || value === 'html'
					: key in DEFAULT_PROFILE && typeof value === 'boolean';
		if (!ok) throw controlError(PROFILE_USAGE);
		/** @type {any} */ (next)[key] = value;
	}
	return next;
}

/**
 * The profile a reset restores: the default, changed by the JSON in the environment variable
 * `SANDBOX_AMOCRM_PROFILE` when set, so that a whole suite can run under an account variant
 * (e.g. `SANDBOX_AMOCRM_PROFILE='{"searchDelayMs":1000}' node --test test/e2e/amocrm.test.mjs`).
 * @returns {AmoProfile}
 */
function baseProfile() {
	const raw = process.env.SANDBOX_AMOCRM_PROFILE;
	if (!raw) return { ...DEFAULT_PROFILE };
	const parsed = JSON.parse(raw);
	if (!isObject(parsed)) throw new Error(`SANDBOX_AMOCRM_PROFILE: ${PROFILE_USAGE}`);
	return withProfile(DEFAULT_PROFILE, parsed);
}

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

/** Both modules of this file share one state per sandbox: the first `create` makes it. */
/** @type {AmoState | undefined} */
let pendingState;

/**
 * @param {string} longLivedToken
 * @param {boolean} seed
 * @returns {AmoState}
 */
function sharedState(longLivedToken, seed) {
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
function resetState(state, seed) {
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

/**
 * @param {number} status
 * @param {string} detail
 * @param {Record<string, unknown>} [extra]
 * @returns {Reply}
 */
function problem(status, detail, extra = {}) {
	return {
		status,
		body: {
			title: TITLES[status] ?? 'Error',
			type: `https://httpstatus.es/${status}`,
			status,
			detail,
			...extra,
		},
		headers: { 'content-type': PROBLEM },
	};
}

/** @type {Record<number, string>} */
const TITLES = {
	400: 'Bad Request',
	401: 'Unauthorized',
	403: 'Forbidden',
	404: 'Not Found',
	429: 'Too Many Requests',
	504: 'Gateway Timeout',
};

/**
 * @param {number} status
 * @param {string} detail
 * @param {Record<string, unknown>} [extra]
 */
function fail(status, detail, extra) {
	const reply = problem(status, detail, extra);
	return new HttpError(reply.status, reply.body, reply.headers);
}

/**
 * amoCRM's 400 for a body that fails validation: `validation-errors[]` per `request_id`
 * (https://developers.kommo.com/docs/http-codes).
 * @param {Array<{ request_id: string, path: string, detail: string, code?: string }>} errors
 */
function validationError(errors) {
	return fail(400, 'Request validation failed', {
		'validation-errors': errors.map((error) => ({
			request_id: error.request_id,
			errors: [{ code: error.code ?? 'InvalidValue', path: error.path, detail: error.detail }],
		})),
	});
}

/**
 * The JSON 403 of a user without the rights a method needs, not a block: "403 Не хватает прав для
 * вызова данного метода" (https://www.amocrm.ru/developers/content/crm_platform/users-api).
 */
function rightsError() {
	return fail(403, 'Не хватает прав для вызова данного метода');
}

/**
 * nginx's own 403 page, which a blocked IP may get instead of problem JSON.
 * @returns {Reply}
 */
function htmlBlockPage() {
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
function tooManyRequests(retryAfter, headers = {}) {
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
const OWN_FAULTS = {
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

/** @param {AmoState} state */
function newId(state) {
	return state.nextId++;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);
/** @param {unknown} value */
const digitsOf = (value) => String(value ?? '').replace(/\D/g, '');

/**
 * The words `query` indexes in a text: runs of letters and digits, lower-cased.
 * @param {unknown} text
 */
const wordsOf = (text) =>
	String(text ?? '')
		.toLowerCase()
		.match(/[\p{L}\p{N}]+/gu) ?? [];

/**
 * amoCRM's `query` ("searches through the filled fields of the entity", leads-api, contacts-api):
 * every word of the query must begin a word of the name or of a field value; a word inside a word
 * does not match. A PHONE value is also indexed as all its digits, so `77015551234` finds
 * "+7 (701) 555-12-34", but the national part `7015551234` does not: it starts no word. An entity
 * is found only once the search index has it, `searchDelayMs` after it was created.
 * @param {AmoState} state
 * @param {any} entity
 * @param {string} query
 */
function matchesQuery(state, entity, query) {
	if ((state.searchableAt.get(entity.id) ?? 0) > Date.now()) return false;
	const needles = wordsOf(query);
	if (needles.length === 0) return false;
	const words = [
		...wordsOf(entity.name),
		...(entity.custom_fields_values ?? []).flatMap((/** @type {any} */ field) =>
			field.values.flatMap((/** @type {any} */ value) => [
				...wordsOf(value.value),
				...(field.field_code === 'PHONE' && digitsOf(value.value) ? [digitsOf(value.value)] : []),
			]),
		),
	];
	return needles.every((needle) => words.some((word) => word.startsWith(needle)));
}

/**
 * Starts the search-index delay of a new entity.
 * @param {AmoState} state
 * @param {number} id
 */
function indexLater(state, id) {
	if (state.profile.searchDelayMs > 0)
		state.searchableAt.set(id, Date.now() + state.profile.searchDelayMs);
}

/**
 * A HAL page, or 204 when it is empty (https://developers.kommo.com/docs/http-codes; `_page` and
 * `_links.next` as in https://www.amocrm.com/developers/content/api_v4/tags/).
 * @param {RequestContext} ctx
 * @param {string} entity
 * @param {any[]} all
 * @param {(item: any) => any} [view]
 * @param {number} [maxLimit] Most items a page holds, whatever `limit` asks.
 * @returns {Reply}
 */
function page(ctx, entity, all, view = (item) => item, maxLimit = MAX_PAGE_SIZE) {
	const limit = Math.min(Math.max(Number(ctx.query.limit) || 50, 1), maxLimit);
	const number = Math.max(Number(ctx.query.page) || 1, 1);
	const slice = all.slice((number - 1) * limit, number * limit);
	if (slice.length === 0) return { status: 204 };
	const href = (/** @type {number} */ p) => `${ctx.baseUrl}${ctx.path}?page=${p}&limit=${limit}`;
	return json({
		_page: number,
		_links: {
			self: { href: href(number) },
			...(number * limit < all.length ? { next: { href: href(number + 1) } } : {}),
		},
		_embedded: { [entity]: slice.map(view) },
	});
}

/**
 * @param {any[]} list
 * @param {RequestContext} ctx
 * @param {string} field
 */
function ordered(list, ctx, field) {
	const direction = ctx.query[`order[${field}]`];
	if (!direction) return list;
	const sign = direction === 'desc' ? -1 : 1;
	return [...list].sort((a, b) => sign * (a[field] - b[field] || a.id - b.id));
}

/** @param {unknown} body */
function asArray(body) {
	if (!Array.isArray(body) || body.length === 0) throw fail(400, 'Request data can not be empty');
	if (body.length > MAX_BATCH) throw fail(422, `Limit ${MAX_BATCH} per page`);
	return /** @type {any[]} */ (body);
}

/**
 * Validates deal custom field values against the account's deal fields.
 * @param {AmoState} state
 * @param {any} values
 * @param {string} requestId
 */
function leadFieldValues(state, values, requestId) {
	if (values === undefined || values === null) return [];
	if (!Array.isArray(values))
		throw validationError([
			{
				request_id: requestId,
				path: 'custom_fields_values',
				detail: 'This value should be of type array.',
			},
		]);
	return values.map((value, index) => {
		const field = state.leadFields.find((candidate) => candidate.id === value.field_id);
		if (!field) {
			throw validationError([
				{
					request_id: requestId,
					path: `custom_fields_values.${index}.field_id`,
					detail: 'The value you selected is not a valid choice.',
				},
			]);
		}
		const entries = Array.isArray(value.values) ? value.values : [];
		return {
			field_id: field.id,
			field_name: field.name,
			field_code: field.code,
			field_type: field.type,
			values: entries.map((/** @type {any} */ entry, /** @type {number} */ valueIndex) => {
				const path = `custom_fields_values.${index}.values.${valueIndex}`;
				const refuse = (
					/** @type {string} */ code,
					/** @type {string} */ detail,
					suffix = '.value',
				) => {
					throw validationError([
						{ request_id: requestId, path: `${path}${suffix}`, detail, code },
					]);
				};
				return typedValue(field, isObject(entry) ? entry : {}, refuse);
			}),
		};
	});
}

/**
 * A custom field value checked against its field's type, in the value formats amoCRM's
 * custom-fields page gives per type (https://www.amocrm.ru/developers/content/crm_platform/custom-fields):
 * a numeric field takes a number (a numeric string is let through), a checkbox a boolean, a date
 * a Unix time, a url a URL, a select one of its enums by `enum_id` or by value. An enum that is not
 * the field's is the documented `NotSupportedChoice` (https://developers.kommo.com/docs/http-codes,
 * validation example). The code and text of a wrong-type error are not documented: the emulator
 * keeps the documented `validation-errors` shape and says `InvalidType`.
 * @param {any} field
 * @param {Record<string, any>} entry
 * @param {(code: string, detail: string, suffix?: string) => never} refuse
 */
function typedValue(field, entry, refuse) {
	const { value } = entry;
	switch (field.type) {
		case 'numeric':
			if (
				!(typeof value === 'number' && Number.isFinite(value)) &&
				!(typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()))
			)
				refuse('InvalidType', 'This value should be of type numeric.');
			return { value: Number(value) };
		case 'checkbox':
			if (typeof value !== 'boolean') refuse('InvalidType', 'This value should be of type bool.');
			return { value };
		case 'date':
		case 'date_time':
		case 'birthday':
			if (
				!(Number.isInteger(value) || (typeof value === 'string' && /^\d+$/.test(value))) &&
				!(
					typeof value === 'string' &&
					/^\d{4}-\d{2}-\d{2}/.test(value) &&
					!Number.isNaN(Date.parse(value))
				)
			)
				refuse('InvalidType', 'This value should be a valid date.');
			return {
				value:
					typeof value === 'string' && !/^\d+$/.test(value)
						? Math.floor(Date.parse(value) / 1000)
						: Number(value),
			};
		case 'url': {
			let valid = false;
			try {
				valid = typeof value === 'string' && /^https?:$/.test(new URL(value).protocol);
			} catch {
				valid = false;
			}
			if (!valid) refuse('InvalidValue', 'This value is not a valid URL.');
			return { value };
		}
		case 'select':
		case 'radiobutton':
		case 'multiselect': {
			const enums = /** @type {Array<{ id: number, value: string }>} */ (field.enums ?? []);
			const chosen =
				entry.enum_id !== undefined
					? enums.find((candidate) => candidate.id === entry.enum_id)
					: enums.find((candidate) => candidate.value === value);
			if (!chosen)
				refuse(
					'NotSupportedChoice',
					'The value you selected is not a valid choice.',
					entry.enum_id !== undefined ? '.enum_id' : '.value',
				);
			const known = /** @type {{ id: number, value: string }} */ (chosen);
			return { value: known.value, enum_id: known.id };
		}
		default:
			if (typeof value !== 'string' && typeof value !== 'number')
				refuse('InvalidType', 'This value should be of type string.');
			return { value: String(value) };
	}
}

/**
 * Contact PHONE/EMAIL values, written by code.
 * @param {any} values
 */
function contactFieldValues(values) {
	if (!Array.isArray(values)) return [];
	return values.map((value) => ({
		field_id:
			value.field_code === 'PHONE'
				? 600001
				: value.field_code === 'EMAIL'
					? 600002
					: value.field_id,
		field_name:
			value.field_code === 'PHONE' ? 'Телефон' : value.field_code === 'EMAIL' ? 'Email' : 'Field',
		field_code: value.field_code ?? null,
		field_type: 'multitext',
		values: (value.values ?? []).map((/** @type {any} */ entry) => ({
			value: String(entry.value ?? ''),
			enum_code: entry.enum_code ?? 'WORK',
		})),
	}));
}

/**
 * @param {AmoState} state
 * @param {any} tags
 */
function tagList(state, tags) {
	if (!Array.isArray(tags)) return [];
	/** @type {Array<{ id: number, name: string }>} */
	const result = [];
	for (const tag of tags) {
		const name = String(tag?.name ?? '');
		if (!name) continue;
		if (!state.leadTags.has(name)) state.leadTags.set(name, newId(state));
		if (!result.some((existing) => existing.name === name))
			result.push({ id: /** @type {number} */ (state.leadTags.get(name)), name });
	}
	return result;
}

/**
 * @param {AmoState} state
 * @param {any} input
 * @param {string} requestId
 * @returns {{ pipeline_id: number, status_id: number }}
 */
function placement(state, input, requestId) {
	const main = state.pipelines.find((pipeline) => pipeline.is_main) ?? state.pipelines[0];
	const pipeline =
		input.pipeline_id !== undefined
			? state.pipelines.find((candidate) => candidate.id === input.pipeline_id)
			: main;
	if (!pipeline)
		throw validationError([
			{ request_id: requestId, path: 'pipeline_id', detail: 'Pipeline not found' },
		]);
	const statuses = pipeline._embedded.statuses;
	const status =
		input.status_id !== undefined
			? statuses.find((/** @type {any} */ candidate) => candidate.id === input.status_id)
			: statuses.find((/** @type {any} */ candidate) => candidate.type !== 1);
	if (!status)
		throw validationError([
			{ request_id: requestId, path: 'status_id', detail: 'Status not found in the pipeline' },
		]);
	// The system "incoming" (unsorted) stage, `type: 1`, takes only leads that come with unsorted
	// metadata (forms, calls, chats); a lead cannot be created in or moved into it through the
	// leads API (leads_pipelines: three system stages; complex-leads: `_embedded.metadata` makes an
	// incoming lead). The emulator does not create unsorted leads, so it refuses the stage.
	if (status.type === 1)
		throw validationError([
			{
				request_id: requestId,
				path: 'status_id',
				detail: 'A lead cannot be put in the incoming (unsorted) stage.',
				code: 'NotSupportedChoice',
			},
		]);
	return { pipeline_id: pipeline.id, status_id: status.id };
}

/**
 * @param {AmoState} state
 * @param {any} input
 * @param {string} requestId
 */
function newLead(state, input, requestId) {
	if (!isObject(input))
		throw validationError([
			{ request_id: requestId, path: '', detail: 'This value should be of type object.' },
		]);
	if (input.price !== undefined && !Number.isInteger(input.price)) {
		throw validationError([
			{ request_id: requestId, path: 'price', detail: 'This value should be of type int.' },
		]);
	}
	const now = nowSeconds();
	const lead = {
		id: newId(state),
		name: String(input.name ?? `Сделка #${state.nextId}`),
		price: input.price ?? 0,
		responsible_user_id: input.responsible_user_id ?? SEED.userId,
		...placement(state, input, requestId),
		created_at: now,
		updated_at: now,
		custom_fields_values: leadFieldValues(state, input.custom_fields_values, requestId),
		tags: tagList(state, [...(input._embedded?.tags ?? []), ...(input.tags_to_add ?? [])]),
		contacts: /** @type {number[]} */ ([]),
	};
	return lead;
}

/**
 * @param {AmoState} state
 * @param {any} lead
 * @param {string} [withParam]
 */
function leadView(state, lead, withParam = '') {
	const withList = withParam.split(',');
	const embedded = /** @type {Record<string, unknown>} */ ({ tags: lead.tags });
	if (withList.includes('contacts'))
		embedded.contacts = lead.contacts.map(
			(/** @type {number} */ id, /** @type {number} */ index) => ({ id, is_main: index === 0 }),
		);
	if (withList.includes('catalog_elements')) {
		embedded.catalog_elements = [...(state.links.get(lead.id) ?? new Map())].map(
			([id, metadata]) => ({ id, metadata }),
		);
	}
	const { tags, contacts, ...rest } = lead;
	return {
		...rest,
		custom_fields_values: rest.custom_fields_values.length ? rest.custom_fields_values : null,
		_embedded: embedded,
	};
}

/**
 * @param {AmoState} state
 * @param {any} input
 * @param {string} requestId
 */
function newContact(state, input, requestId) {
	if (!isObject(input))
		throw validationError([
			{ request_id: requestId, path: '', detail: 'This value should be of type object.' },
		]);
	const name = String(input.name ?? [input.first_name, input.last_name].filter(Boolean).join(' '));
	const contact = {
		id: newId(state),
		name,
		first_name: input.first_name ?? '',
		last_name: input.last_name ?? '',
		responsible_user_id: input.responsible_user_id ?? SEED.userId,
		created_at: nowSeconds(),
		updated_at: nowSeconds(),
		custom_fields_values: contactFieldValues(input.custom_fields_values),
	};
	state.contacts.set(contact.id, contact);
	indexLater(state, contact.id);
	return contact;
}

/**
 * @param {AmoState} state
 * @param {any} lead
 * @param {any} patch
 * @param {string} requestId
 */
function applyLeadPatch(state, lead, patch, requestId) {
	if (patch.name !== undefined) lead.name = String(patch.name);
	if (patch.price !== undefined) {
		if (!Number.isInteger(patch.price))
			throw validationError([
				{ request_id: requestId, path: 'price', detail: 'This value should be of type int.' },
			]);
		lead.price = patch.price;
	}
	if (patch.status_id !== undefined || patch.pipeline_id !== undefined) {
		Object.assign(
			lead,
			placement(
				state,
				{ pipeline_id: patch.pipeline_id ?? lead.pipeline_id, status_id: patch.status_id },
				requestId,
			),
		);
	}
	if (patch.responsible_user_id !== undefined) lead.responsible_user_id = patch.responsible_user_id;
	if (patch.custom_fields_values !== undefined) {
		const values = leadFieldValues(state, patch.custom_fields_values, requestId);
		const untouched = lead.custom_fields_values.filter(
			(/** @type {any} */ field) => !values.some((value) => value.field_id === field.field_id),
		);
		lead.custom_fields_values = [...untouched, ...values];
	}
	if (patch._embedded?.tags !== undefined) lead.tags = tagList(state, patch._embedded.tags ?? []);
	else {
		const remove = new Set((patch.tags_to_delete ?? []).map((/** @type {any} */ tag) => tag.name));
		lead.tags = [
			...lead.tags.filter((/** @type {any} */ tag) => !remove.has(tag.name)),
			...tagList(state, patch.tags_to_add ?? []),
		];
		lead.tags = lead.tags.filter(
			(/** @type {any} */ tag, /** @type {number} */ index) =>
				lead.tags.findIndex((/** @type {any} */ other) => other.name === tag.name) === index,
		);
	}
	lead.updated_at = nowSeconds();
}

/**
 * @param {AmoState} state
 * @param {number} leadId
 * @param {any} input
 */
function link(state, leadId, input) {
	const element = state.elements.get(Number(input.to_entity_id));
	if (input.to_entity_type !== 'catalog_elements' || !element) {
		throw fail(400, `Entity ${input.to_entity_type} ${input.to_entity_id} not found`);
	}
	// `metadata.catalog_id` names the element's list: Kommo's linking-entities page lists
	// `metadata[catalog_id]` ("List ID") for catalog elements
	// (https://developers.kommo.com/reference/linking-entities), and the SDK always builds a catalog
	// element's link metadata as {quantity, catalog_id, price_id} (amocrm/amocrm-api-php
	// src/AmoCRM/Models/CatalogElementModel.php). A link without it, or naming another list, is refused.
	const catalogId = input.metadata?.catalog_id;
	if (!Number.isInteger(catalogId) || catalogId !== element.catalog_id) {
		throw validationError([
			{
				request_id: '0',
				path: 'metadata.catalog_id',
				detail:
					catalogId === undefined
						? 'This value should not be blank.'
						: `Element ${element.id} is not in catalog ${catalogId}`,
				code: catalogId === undefined ? 'NotBlank' : 'InvalidValue',
			},
		]);
	}
	const quantity = Number(input.metadata?.quantity ?? 1);
	let leadLinks = state.links.get(leadId);
	if (!leadLinks) {
		leadLinks = new Map();
		state.links.set(leadId, leadLinks);
	}
	leadLinks.set(element.id, { quantity, catalog_id: element.catalog_id });
	return {
		entity_id: leadId,
		entity_type: 'leads',
		to_entity_id: element.id,
		to_entity_type: 'catalog_elements',
		metadata: { quantity, catalog_id: element.catalog_id },
	};
}

/**
 * @param {any} contact
 * @returns {string[]}
 */
const phoneKeys = (contact) =>
	(contact?.custom_fields_values ?? [])
		.filter((/** @type {any} */ field) => field.field_code === 'PHONE')
		.flatMap((/** @type {any} */ field) => field.values ?? [])
		.map((/** @type {any} */ value) => digitsOf(value.value).slice(-10))
		.filter((/** @type {string} */ key) => key.length >= 10);

/**
 * Under duplicate control (profile `duplicateControl`), a complex lead whose contact is an
 * existing one (by id, or by the same phone) with an open lead is merged into that lead, and
 * amoCRM answers with the existing lead's id and `merged: true`
 * (https://developers.kommo.com/reference/complex-leads: sending a duplicate again "returns the
 * same id … merged: true"). Phones are compared by their last 10 digits, the emulator's stand-in
 * for the account's duplicate rules.
 * @param {AmoState} state
 * @param {any} contact The lead's `_embedded.contacts[0]`, if any.
 * @returns {{ lead: any, contact: any } | undefined}
 */
function duplicateOf(state, contact) {
	if (!state.profile.duplicateControl || !contact) return undefined;
	let existing;
	if (contact.id !== undefined) existing = state.contacts.get(contact.id);
	else {
		const keys = phoneKeys(contact);
		existing = [...state.contacts.values()]
			.reverse()
			.find((candidate) => phoneKeys(candidate).some((key) => keys.includes(key)));
	}
	if (!existing) return undefined;
	const lead = [...state.leads.values()]
		.reverse()
		.find(
			(candidate) =>
				candidate.contacts.includes(existing.id) &&
				candidate.status_id !== 142 &&
				candidate.status_id !== 143,
		);
	return lead ? { lead, contact: existing } : undefined;
}

/**
 * A merge keeps the existing lead's values and adds the fields it lacked and the new tags.
 * @param {AmoState} state
 * @param {any} lead
 * @param {any} input
 * @param {string} requestId
 */
function mergeInto(state, lead, input, requestId) {
	const values = leadFieldValues(state, input.custom_fields_values, requestId);
	lead.custom_fields_values = [
		...lead.custom_fields_values,
		...values.filter(
			(value) =>
				!lead.custom_fields_values.some(
					(/** @type {any} */ field) => field.field_id === value.field_id,
				),
		),
	];
	const added = tagList(state, [...(input._embedded?.tags ?? []), ...(input.tags_to_add ?? [])]);
	lead.tags = [
		...lead.tags,
		...added.filter((tag) => !lead.tags.some((/** @type {any} */ own) => own.name === tag.name)),
	];
	lead.updated_at = nowSeconds();
}

/** @param {AmoState} state @param {string} id */
function existingLead(state, id) {
	const lead = state.leads.get(Number(id));
	if (!lead) throw fail(404, `Lead ${id} not found`);
	return lead;
}

/**
 * The shared 7-rps rule: a call beyond the limit is a violation and gets 429; after `blockAfter`
 * violations every call gets 403 until `/_control/amocrm/unblock`.
 * @param {AmoState} state
 * @param {string} route
 * @param {(ctx: RequestContext) => Reply | Promise<Reply>} handler
 * @returns {(ctx: RequestContext) => Promise<Reply>}
 */
function limited(state, route, handler) {
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
async function answer(state, ctx, handler) {
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

	on('GET', '/api/v4/account', () =>
		json({
			id: 29876543,
			name: 'Sandbox Shop',
			subdomain: 'sandbox',
			current_user_id: SEED.userId,
			country: 'KZ',
			currency: 'KZT',
			currency_symbol: '₸',
			is_technical_account: false,
		}),
	);
	on('GET', '/api/v4/users', (ctx) => {
		if (!state.profile.admin) throw rightsError();
		return page(ctx, 'users', state.users);
	});
	// Pipelines come all at once, with no `page`/`limit` and no `_page`: the method takes no paging
	// parameters (https://www.amocrm.ru/developers/content/crm_platform/leads_pipelines; at most 50
	// pipelines per account, https://developers.kommo.com/docs/limitations).
	on('GET', '/api/v4/leads/pipelines', (ctx) =>
		json({
			_total_items: state.pipelines.length,
			_links: { self: { href: `${ctx.baseUrl}/api/v4/leads/pipelines` } },
			_embedded: { pipelines: state.pipelines },
		}),
	);
	on('GET', '/api/v4/leads/custom_fields', (ctx) =>
		page(ctx, 'custom_fields', state.leadFields, undefined, MAX_FIELDS_PAGE),
	);
	on('GET', '/api/v4/leads', (ctx) => {
		const q = ctx.query;
		let leads = [...state.leads.values()];
		if (q.query) leads = leads.filter((lead) => matchesQuery(state, lead, q.query));
		if (q['filter[pipeline_id]'])
			leads = leads.filter((lead) => lead.pipeline_id === Number(q['filter[pipeline_id]']));
		if (q['filter[statuses][0][status_id]'])
			leads = leads.filter(
				(lead) => lead.status_id === Number(q['filter[statuses][0][status_id]']),
			);
		if (q['filter[created_at][from]'])
			leads = leads.filter((lead) => lead.created_at >= Number(q['filter[created_at][from]']));
		if (q['filter[updated_at][from]'])
			leads = leads.filter((lead) => lead.updated_at >= Number(q['filter[updated_at][from]']));
		leads = ordered(ordered(leads, ctx, 'updated_at'), ctx, 'created_at');
		return page(ctx, 'leads', leads, (lead) => leadView(state, lead, q.with));
	});
	on('GET', '/api/v4/leads/:id', (ctx) =>
		json(leadView(state, existingLead(state, ctx.params.id), ctx.query.with)),
	);
	on('POST', '/api/v4/leads', (ctx) => {
		const inputs = asArray(ctx.body);
		const leads = inputs.map((input, index) => newLead(state, input, String(index)));
		leads.forEach((lead, index) => {
			for (const contact of inputs[index]._embedded?.contacts ?? []) {
				if (!state.contacts.has(contact.id))
					throw validationError([
						{
							request_id: String(index),
							path: '_embedded.contacts.0.id',
							detail: 'Contact not found',
						},
					]);
				lead.contacts.push(contact.id);
			}
		});
		for (const lead of leads) {
			state.leads.set(lead.id, lead);
			indexLater(state, lead.id);
		}
		return json({
			_links: { self: { href: `${ctx.baseUrl}/api/v4/leads` } },
			_embedded: {
				leads: leads.map((lead, index) => ({
					id: lead.id,
					request_id: String(inputs[index].request_id ?? index),
					_links: { self: { href: `${ctx.baseUrl}/api/v4/leads/${lead.id}` } },
				})),
			},
		});
	});
	on('PATCH', '/api/v4/leads', (ctx) => {
		const inputs = asArray(ctx.body);
		const leads = inputs.map((input, index) => {
			const lead = state.leads.get(Number(input?.id));
			if (!lead)
				throw validationError([
					{ request_id: String(index), path: 'id', detail: 'Lead not found' },
				]);
			return lead;
		});
		leads.forEach((lead, index) => applyLeadPatch(state, lead, inputs[index], String(index)));
		return json({
			_embedded: { leads: leads.map((lead) => ({ id: lead.id, updated_at: lead.updated_at })) },
		});
	});
	on('PATCH', '/api/v4/leads/:id', (ctx) => {
		const lead = existingLead(state, ctx.params.id);
		if (!isObject(ctx.body)) throw fail(400, 'Request data can not be empty');
		applyLeadPatch(state, lead, ctx.body, '0');
		return json({ id: lead.id, updated_at: lead.updated_at });
	});
	on('POST', '/api/v4/leads/complex', (ctx) => {
		const inputs = asArray(ctx.body);
		if (inputs.length > MAX_COMPLEX_BATCH)
			throw fail(400, `Limit ${MAX_COMPLEX_BATCH} leads per request`);
		// Validate everything first: a refused request creates nothing.
		const prepared = inputs.map((input, index) => {
			const requestId = String(input?.request_id ?? index);
			newLead(state, input, requestId);
			state.nextId--;
			const contact = input._embedded?.contacts?.[0];
			if (contact?.id !== undefined && !state.contacts.has(contact.id)) {
				throw validationError([
					{ request_id: requestId, path: '_embedded.contacts.0.id', detail: 'Contact not found' },
				]);
			}
			return { input, requestId, contact };
		});
		return json(
			prepared.map(({ input, requestId, contact }) => {
				const duplicate = duplicateOf(state, contact);
				if (duplicate) {
					mergeInto(state, duplicate.lead, input, requestId);
					return {
						id: duplicate.lead.id,
						contact_id: duplicate.contact.id,
						company_id: null,
						request_id: [requestId],
						merged: true,
					};
				}
				const lead = newLead(state, input, requestId);
				let contactId = null;
				if (contact?.id !== undefined) contactId = contact.id;
				else if (contact) contactId = newContact(state, contact, requestId).id;
				if (contactId !== null) lead.contacts.push(contactId);
				state.leads.set(lead.id, lead);
				indexLater(state, lead.id);
				return {
					id: lead.id,
					contact_id: contactId,
					company_id: null,
					request_id: [requestId],
					merged: false,
				};
			}),
		);
	});
	on('GET', '/api/v4/contacts', (ctx) => {
		let contacts = [...state.contacts.values()];
		if (ctx.query.query)
			contacts = contacts.filter((contact) => matchesQuery(state, contact, ctx.query.query));
		contacts = ordered(ordered(contacts, ctx, 'updated_at'), ctx, 'id');
		return page(ctx, 'contacts', contacts, (contact) => ({
			...contact,
			custom_fields_values: contact.custom_fields_values.length
				? contact.custom_fields_values
				: null,
		}));
	});
	on('GET', '/api/v4/contacts/:id', (ctx) => {
		const contact = state.contacts.get(Number(ctx.params.id));
		if (!contact) throw fail(404, `Contact ${ctx.params.id} not found`);
		return json(contact);
	});
	on('POST', '/api/v4/contacts', (ctx) => {
		const inputs = asArray(ctx.body);
		const contacts = inputs.map((input, index) => newContact(state, input, String(index)));
		return json({
			_embedded: {
				contacts: contacts.map((contact, index) => ({
					id: contact.id,
					request_id: String(inputs[index].request_id ?? index),
				})),
			},
		});
	});
	/**
	 * @param {RequestContext} ctx
	 * @param {number | undefined} leadId
	 */
	const addNotes = (ctx, leadId) => {
		const inputs = asArray(ctx.body);
		const notes = inputs.map((input, index) => {
			const entityId = leadId ?? Number(input?.entity_id);
			if (!state.leads.has(entityId))
				throw validationError([
					{ request_id: String(index), path: 'entity_id', detail: 'Entity not found' },
				]);
			if (input.note_type !== 'common' || typeof input.params?.text !== 'string') {
				throw validationError([
					{
						request_id: String(index),
						path: 'params.text',
						detail: 'This value should not be blank.',
					},
				]);
			}
			return {
				id: 0,
				entity_id: entityId,
				note_type: input.note_type,
				params: { text: input.params.text },
				created_at: nowSeconds(),
				request_id: String(index),
			};
		});
		for (const note of notes) {
			note.id = newId(state);
			state.notes.push(note);
		}
		return json({
			_embedded: {
				notes: notes.map((note) => ({
					id: note.id,
					entity_id: note.entity_id,
					request_id: note.request_id,
				})),
			},
		});
	};
	on('POST', '/api/v4/leads/notes', (ctx) => addNotes(ctx, undefined));
	on('POST', '/api/v4/leads/:id/notes', (ctx) =>
		addNotes(ctx, existingLead(state, ctx.params.id).id),
	);
	on('GET', '/api/v4/leads/:id/notes', (ctx) => {
		const leadId = existingLead(state, ctx.params.id).id;
		return page(
			ctx,
			'notes',
			state.notes.filter((note) => note.entity_id === leadId),
		);
	});
	on('GET', '/api/v4/catalogs', (ctx) => {
		if (!state.profile.listRights) throw rightsError();
		return page(ctx, 'catalogs', state.catalogs);
	});
	/** @param {string} id */
	const catalog = (id) => {
		if (!state.profile.listRights) throw rightsError();
		const found = state.catalogs.find((candidate) => candidate.id === Number(id));
		if (!found) throw fail(404, `Catalog ${id} not found`);
		return found;
	};
	on('GET', '/api/v4/catalogs/:id/elements', (ctx) => {
		const catalogId = catalog(ctx.params.id).id;
		let elements = [...state.elements.values()].filter(
			(element) => element.catalog_id === catalogId,
		);
		if (ctx.query.query)
			elements = elements.filter((element) => matchesQuery(state, element, ctx.query.query));
		return page(ctx, 'elements', elements);
	});
	on('POST', '/api/v4/catalogs/:id/elements', (ctx) => {
		const catalogId = catalog(ctx.params.id).id;
		const inputs = asArray(ctx.body);
		const elements = inputs.map((input, index) => {
			if (!isObject(input) || !input.name)
				throw validationError([
					{ request_id: String(index), path: 'name', detail: 'This value should not be blank.' },
				]);
			return {
				id: newId(state),
				name: String(input.name),
				catalog_id: catalogId,
				request_id: String(input.request_id ?? index),
				custom_fields_values: contactFieldValues(input.custom_fields_values).map((field) => ({
					...field,
					field_type: field.field_code === 'PRICE' ? 'price' : 'text',
					field_id: field.field_code === 'SKU' ? 700001 : 700002,
				})),
			};
		});
		for (const element of elements) {
			state.elements.set(element.id, element);
			indexLater(state, element.id);
		}
		return json({
			_embedded: {
				elements: elements.map((element) => ({ id: element.id, request_id: element.request_id })),
			},
		});
	});
	on('POST', '/api/v4/leads/:id/link', (ctx) => {
		const leadId = existingLead(state, ctx.params.id).id;
		const links = asArray(ctx.body).map((input) => link(state, leadId, input));
		return json({ _total_items: links.length, _embedded: { links } });
	});
	on('POST', '/api/v4/leads/link', (ctx) => {
		const inputs = asArray(ctx.body);
		for (const input of inputs)
			if (!state.leads.has(Number(input?.entity_id)))
				throw fail(400, `Lead ${input?.entity_id} not found`);
		const links = inputs.map((input) => link(state, Number(input.entity_id), input));
		return json({ _total_items: links.length, _embedded: { links } });
	});
	return router;
}

/**
 * The OAuth error document, unlike the API's problem JSON: `hint` says what was wrong, `status`
 * repeats the HTTP status (https://github.com/amocrm/amocrm-api-php/issues/123).
 * @param {string} hint
 * @param {number} [status]
 * @returns {Reply}
 */
function oauthProblem(hint, status = 400) {
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
function spendRefreshToken(state, refreshToken) {
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
function issueTokens(state) {
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
function token(state, ctx) {
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
 * @returns {import('../lib/service.mjs').SandboxService['authenticate']}
 */
function bearerAuth(state) {
	return (headers) => {
		const header = headers.authorization;
		if (typeof header !== 'string' || !header.startsWith('Bearer ')) return 'missing';
		const presented = header.slice('Bearer '.length);
		if (presented === state.longLivedToken) return 'valid';
		const expiry = state.accessTokens.get(presented);
		return expiry !== undefined && expiry > Date.now() ? 'valid' : 'invalid';
	};
}

/**
 * @param {AmoState} state
 * @returns {Router}
 */
function controlRoutes(state) {
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

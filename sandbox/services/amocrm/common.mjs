// @ts-check
/**
 * Shared pieces of the amoCRM emulator: its constants and seed ids, amoCRM's problem JSON and
 * validation errors, paging (HAL pages, 204 when empty) and batch bodies.
 */
import { HttpError, json } from '../../lib/http.mjs';

/** @typedef {import('../../lib/http.mjs').RequestContext} RequestContext */
/** @typedef {import('../../lib/http.mjs').Reply} Reply */
/** @typedef {import('./state.mjs').AmoState} AmoState */

export const AMOCRM_DEFAULT_TOKEN = 'sandbox-amocrm-token';

export const AMOCRM_CLIENT = {
	clientId: 'sandbox-amocrm-client',
	clientSecret: 'sandbox-amocrm-secret',
	redirectUri: 'https://n8n.example.test/rest/oauth2-credential/callback',
};

export const PROBLEM = 'application/problem+json';

/*
 * amoCRM's own limits, not the node's, so that a node that breaks them fails here as it would on
 * a real account. Page size and batch size: Kommo's limitations page
 * (https://developers.kommo.com/docs/limitations); `limit` above 250 is clamped, not refused
 * (maintainer's answer, https://github.com/amocrm/amocrm-api-php/issues/210). Complex adds: at most
 * 50 leads per request (https://developers.kommo.com/reference/complex-leads, amoCRM's
 * https://www.amocrm.ru/developers/content/crm_platform/leads-api#leads-complex-add).
 */
/** Most entities one list page returns. */
export const MAX_PAGE_SIZE = 250;

/** Most entities one add or update request takes. */
export const MAX_BATCH = 250;

export const ACCESS_TOKEN_SECONDS = 86400;

/** The main pipeline's system "incoming" (unsorted) stage, `type: 1` (leads_pipelines). */
export const INCOMING_STATUS = 7100000;

export const SEED = {
	pipelineId: 7000001,
	statusNew: 7100001,
	statusPaid: 7100002,
	orderCodeFieldId: 900001,
	catalogId: 5001,
	userId: 8000001,
};

/**
 * @param {number} status
 * @param {string} detail
 * @param {Record<string, unknown>} [extra]
 * @returns {Reply}
 */
export function problem(status, detail, extra = {}) {
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
export const TITLES = {
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
export function fail(status, detail, extra) {
	const reply = problem(status, detail, extra);
	return new HttpError(reply.status, reply.body, reply.headers);
}

/**
 * amoCRM's 400 for a body that fails validation: `validation-errors[]` per `request_id`
 * (https://developers.kommo.com/docs/http-codes).
 * @param {Array<{ request_id: string, path: string, detail: string, code?: string }>} errors
 */
export function validationError(errors) {
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
export function rightsError() {
	return fail(403, 'Не хватает прав для вызова данного метода');
}

/** @param {AmoState} state */
export function newId(state) {
	return state.nextId++;
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** @param {unknown} value */
export const digitsOf = (value) => String(value ?? '').replace(/\D/g, '');

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
export function page(ctx, entity, all, view = (item) => item, maxLimit = MAX_PAGE_SIZE) {
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
export function ordered(list, ctx, field) {
	const direction = ctx.query[`order[${field}]`];
	if (!direction) return list;
	const sign = direction === 'desc' ? -1 : 1;
	return [...list].sort((a, b) => sign * (a[field] - b[field] || a.id - b.id));
}

/** @param {unknown} body */
export function asArray(body) {
	if (!Array.isArray(body) || body.length === 0) throw fail(400, 'Request data can not be empty');
	if (body.length > MAX_BATCH) throw fail(422, `Limit ${MAX_BATCH} per page`);
	return /** @type {any[]} */ (body);
}

/**
 * Registers an API route, counted and rate-limited like every amoCRM call.
 * @typedef {(method: string, pattern: string, handler: (ctx: RequestContext) => Reply | Promise<Reply>) => unknown} On
 */

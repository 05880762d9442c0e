// @ts-check
/**
 * Every request that reaches a service prefix, so tests can assert what a node actually sent.
 * Credentials are never stored: only whether the auth header was present and correct.
 */

/** Oldest entries are dropped beyond this, so a long-running sandbox does not grow without bound. */
const MAX_ENTRIES = 5000;
/** Bodies above this (e.g. a base64 file) are summarised instead of kept. */
const MAX_STORED_BODY_BYTES = 64 * 1024;
/** Query names that carry credentials in some APIs (WAHA accepts `?x-api-key=`). */
const SECRET_NAME = /key|token|secret|password/i;

/**
 * @typedef {object} RequestLogEntry
 * @property {number} seq
 * @property {string} service
 * @property {string} method
 * @property {string} path Path below the service prefix.
 * @property {Record<string, string>} query Decoded; credential-like values redacted.
 * @property {{ 'content-type'?: string, 'user-agent'?: string, auth: import('./service.mjs').AuthResult }} headers
 * @property {unknown} body
 * @property {number | null} status Null while the request is held, or when no response was sent.
 * @property {string} [fault] The fault kind applied to this request.
 * @property {number} [handledStatus] With an `afterHandling` fault: the status the service's own
 *   answer had, before it was replaced by the 5xx or held.
 * @property {boolean} [clientAborted] The client went away before the response was written.
 * @property {string} at ISO time the request arrived.
 */

/**
 * @typedef {object} RequestLogFilter
 * @property {string} [service]
 * @property {string} [method]
 * @property {string} [pathContains]
 * @property {number} [sinceSeq] Only entries with a larger `seq`.
 */

export function createRequestLog() {
	/** @type {RequestLogEntry[]} */
	let entries = [];
	let nextSeq = 1;
	/**
	 * Every credential value a client sent (auth headers, and the values the log redacts), kept
	 * apart from the log: the end-to-end suites check that none of them shows up in n8n's logs or
	 * execution data.
	 * @type {Set<string>}
	 */
	const secretsSeen = new Set();

	return {
		/**
		 * @param {{ service: string, method: string, path: string, query: Record<string, string>,
		 *   headers: import('node:http').IncomingHttpHeaders, rawBody: Buffer, body: unknown,
		 *   auth: import('./service.mjs').AuthResult }} request
		 * @returns {RequestLogEntry} The stored entry; the caller fills in status and fault later.
		 */
		record(request) {
			collectSecrets(request, secretsSeen);
			/** @type {RequestLogEntry} */
			const entry = {
				seq: nextSeq++,
				service: request.service,
				method: request.method,
				path: request.path,
				query: redactQuery(request.query),
				headers: {
					'content-type': request.headers['content-type'],
					'user-agent': request.headers['user-agent'],
					auth: request.auth,
				},
				body: storableBody(request.rawBody, request.body),
				status: null,
				at: new Date().toISOString(),
			};
			entries.push(entry);
			if (entries.length > MAX_ENTRIES) entries = entries.slice(-MAX_ENTRIES);
			return entry;
		},

		/** @param {RequestLogFilter} filter */
		list(filter) {
			return entries.filter(
				(entry) =>
					(filter.service === undefined || entry.service === filter.service) &&
					(filter.method === undefined || entry.method === filter.method.toUpperCase()) &&
					(filter.pathContains === undefined || entry.path.includes(filter.pathContains)) &&
					(filter.sinceSeq === undefined || entry.seq > filter.sinceSeq),
			);
		},

		clear() {
			entries = [];
		},

		/** The credential values clients sent since the sandbox started (a reset keeps them). */
		secrets() {
			return [...secretsSeen];
		},
	};
}

const AUTH_HEADERS = ['authorization', 'x-auth-token', 'x-api-key'];
/** Shorter values (a flag, a port) would match everywhere and prove nothing. */
const MIN_SECRET_LENGTH = 6;

/**
 * @param {{ query: Record<string, string>, headers: import('node:http').IncomingHttpHeaders, body: unknown }} request
 * @param {Set<string>} into
 */
function collectSecrets(request, into) {
	const add = (/** @type {unknown} */ value) => {
		if (typeof value === 'string' && value.length >= MIN_SECRET_LENGTH) into.add(value);
	};
	for (const name of AUTH_HEADERS) {
		const value = request.headers[name];
		add(typeof value === 'string' ? value.replace(/^(Bearer|Basic)\s+/i, '') : undefined);
	}
	for (const [name, value] of Object.entries(request.query)) if (SECRET_NAME.test(name)) add(value);
	const walk = (/** @type {unknown} */ value) => {
		if (Array.isArray(value)) value.forEach(walk);
		else if (value && typeof value === 'object') {
			for (const [name, inner] of Object.entries(value)) {
				if (SECRET_NAME.test(name)) add(inner);
				walk(inner);
			}
		}
	};
	walk(request.body);
}

/** @param {Record<string, string>} query */
function redactQuery(query) {
	return Object.fromEntries(
		Object.entries(query).map(([name, value]) => [
			name,
			SECRET_NAME.test(name) ? '[redacted]' : value,
		]),
	);
}

/**
 * @param {Buffer} raw
 * @param {unknown} parsed
 */
function storableBody(raw, parsed) {
	if (raw.length > MAX_STORED_BODY_BYTES) return { omitted: true, bytes: raw.length };
	return redactSecrets(parsed);
}

/**
 * Webkassa carries its token and the cashier's password in JSON bodies, OAuth bodies carry refresh
 * tokens: the log keeps the shape and drops the values, like the query string's.
 * @param {unknown} value
 * @returns {unknown}
 */
function redactSecrets(value) {
	if (Array.isArray(value)) return value.map(redactSecrets);
	if (!value || typeof value !== 'object') return value;
	return Object.fromEntries(
		Object.entries(value).map(([name, inner]) => [
			name,
			SECRET_NAME.test(name) && typeof inner === 'string' ? '[redacted]' : redactSecrets(inner),
		]),
	);
}

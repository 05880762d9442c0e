// @ts-check
/**
 * The small HTTP toolkit every emulated service shares: request context, replies, a path router and
 * body parsing. Handlers return a `Reply` (or throw `HttpError`) instead of writing to the socket,
 * so the server can log the outcome and apply faults in one place.
 */

/** Large enough for a base64 document sent through WAHA `sendFile`. */
const MAX_BODY_BYTES = 25 * 1024 * 1024;

/**
 * @typedef {object} RequestContext
 * @property {string} method
 * @property {string} path Path below the service prefix (or below `/_control`), still percent-encoded.
 * @property {Record<string, string>} query Decoded query; for a repeated name the last value wins.
 * @property {URLSearchParams} searchParams For the rare handler that needs repeated names.
 * @property {Record<string, string>} params Decoded route parameters.
 * @property {import('node:http').IncomingHttpHeaders} headers
 * @property {unknown} body Parsed JSON, text for other content types, `undefined` when empty.
 * @property {Buffer} rawBody
 * @property {string} baseUrl Public URL of the service prefix, e.g. `http://127.0.0.1:4010/waha`.
 * @property {string} [fault] One of the service's own fault kinds, taken for this request.
 */

/**
 * @typedef {object} Reply
 * @property {number} status
 * @property {unknown} [body] Sent as is when a Buffer, omitted when undefined, JSON otherwise.
 * @property {Record<string, string>} [headers]
 */

/** @typedef {(ctx: RequestContext) => Reply | Promise<Reply>} Handler */

/** A reply thrown from deep inside a handler (validation, unknown resource). */
export class HttpError extends Error {
	/**
	 * @param {number} status
	 * @param {unknown} body
	 * @param {Record<string, string>} [headers]
	 */
	constructor(status, body, headers) {
		super(`HTTP ${status}`);
		/** @type {Reply} */
		this.reply = { status, body, headers };
	}
}

/**
 * The control API's error shape, `{error}`; emulated APIs use their own (see `errorBody`).
 * @param {string} message
 * @param {number} [status]
 */
export function controlError(message, status = 400) {
	return new HttpError(status, { error: message });
}

/**
 * @param {unknown} body
 * @param {number} [status]
 * @returns {Reply}
 */
export function json(body, status = 200) {
	return { status, body };
}

/**
 * Matches `METHOD /a/:param/b` patterns against a request path. Parameters are percent-decoded, so
 * a WAHA chat id sent as `77011234567%40c.us` arrives as `77011234567@c.us`.
 */
export class Router {
	/** @type {Array<{ method: string, segments: string[], handler: Handler }>} */
	#routes = [];

	/**
	 * @param {string} method
	 * @param {string} pattern
	 * @param {Handler} handler
	 * @returns {this}
	 */
	on(method, pattern, handler) {
		this.#routes.push({ method, segments: splitPath(pattern), handler });
		return this;
	}

	/**
	 * @param {string} method
	 * @param {string} path
	 * @returns {{ handler: Handler, params: Record<string, string> } | undefined}
	 */
	match(method, path) {
		const segments = splitPath(path).map(safeDecode);
		for (const route of this.#routes) {
			if (route.method !== method || route.segments.length !== segments.length) continue;
			/** @type {Record<string, string>} */
			const params = {};
			const matches = route.segments.every((expected, index) => {
				if (expected.startsWith(':')) {
					params[expected.slice(1)] = segments[index];
					return true;
				}
				return expected === segments[index];
			});
			if (matches) return { handler: route.handler, params };
		}
		return undefined;
	}
}

/** @param {string} path */
function splitPath(path) {
	return path.split('/').filter((segment) => segment !== '');
}

/**
 * A malformed escape cannot match any route literally, so it is kept raw rather than failing.
 * @param {string} segment
 */
function safeDecode(segment) {
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}

/**
 * @param {URLSearchParams} searchParams
 * @returns {Record<string, string>}
 */
export function queryObject(searchParams) {
	return Object.fromEntries(searchParams.entries());
}

/**
 * @param {import('node:http').IncomingMessage} req
 * @returns {Promise<Buffer>}
 */
export async function readBody(req) {
	/** @type {Buffer[]} */
	const chunks = [];
	let size = 0;
	for await (const chunk of req) {
		size += chunk.length;
		if (size > MAX_BODY_BYTES) throw new HttpError(413, { error: 'Request body too large' });
		chunks.push(chunk);
	}
	return Buffer.concat(chunks);
}

/**
 * JSON for `application/json` and `application/vnd.api+json` (Kaspi), and for a body sent without
 * a content type that looks like JSON, because some Kaspi clients send only the token header.
 * @param {Buffer} raw
 * @param {string | undefined} contentType
 * @returns {{ ok: true, value: unknown } | { ok: false, error: string }}
 */
export function parseBody(raw, contentType) {
	if (raw.length === 0) return { ok: true, value: undefined };
	const text = raw.toString('utf8');
	const declaredJson = contentType !== undefined && /[/+]json\b/i.test(contentType);
	const looksJson = contentType === undefined && /^\s*[[{]/.test(text);
	if (!declaredJson && !looksJson) return { ok: true, value: text };
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch (error) {
		return { ok: false, error: `Malformed JSON body: ${error.message}` };
	}
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {Reply} reply
 * @param {string} defaultContentType
 */
export function sendReply(res, reply, defaultContentType) {
	if (res.destroyed || res.headersSent) return;
	const headers = { ...reply.headers };
	/** @type {Buffer | string | undefined} */
	let payload;
	if (Buffer.isBuffer(reply.body)) {
		payload = reply.body;
	} else if (reply.body !== undefined) {
		payload = JSON.stringify(reply.body);
		headers['content-type'] ??= defaultContentType;
	}
	headers['content-length'] = String(payload === undefined ? 0 : Buffer.byteLength(payload));
	res.writeHead(reply.status, headers);
	res.end(payload);
}

/**
 * A plain object check for request bodies; arrays and null are not objects here.
 * @param {unknown} value
 * @returns {value is Record<string, any>}
 */
export function isObject(value) {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// @ts-check
/**
 * The contract between the sandbox server and one emulated service. The server owns the socket,
 * the fault injection and the request log; a service owns its state, its auth rule, its error
 * format and its routes.
 */
import { timingSafeEqual } from 'node:crypto';

/**
 * @typedef {'valid' | 'invalid' | 'missing'} AuthResult
 */

/**
 * @typedef {object} ServiceOptions
 * @property {string} [secret] Overrides the service's default credential (token, API key).
 * @property {boolean} seed Whether to start with seed data or empty.
 * @property {string} [openApiDocument] Path of the service's OpenAPI document: when given, every
 *   request is checked against it, as a server in strict mode does (only WAHA has one).
 */

/**
 * @typedef {object} SandboxService
 * @property {string} name Also the segment of its control routes: `/_control/<name>/...`.
 * @property {string} prefix Path prefix of the emulated API, e.g. `/kaspi/shop/api/v2`.
 * @property {string} contentType Content type of the API's JSON replies.
 * @property {object} state Live data; `reset` mutates it in place, so references stay valid.
 * @property {(headers: import('node:http').IncomingHttpHeaders) => AuthResult} authenticate
 * @property {(status: number, message: string) => unknown} errorBody The API's own error shape.
 * @property {() => import('./http.mjs').Reply} unauthorized The API's reply to a rejected credential.
 * @property {import('./http.mjs').Router} api Routes below `prefix`.
 * @property {import('./http.mjs').Router} control Routes below `/_control/<name>`.
 * @property {(seed: boolean) => void} reset
 * @property {() => Promise<void>} [close] Ends background work (e.g. webhook deliveries).
 * @property {() => string[]} [plantedPhones] The buyers' full phone numbers in the service's data,
 *   which n8n may never log or put in an error.
 * @property {Record<string, (ctx: import('./http.mjs').RequestContext) => boolean>} [faultKinds] The
 *   service's own fault kinds for `POST /_control/faults`, each with the test of which requests may
 *   take it. A taken one reaches the handler as `ctx.fault`, after the auth check.
 */

/**
 * @typedef {object} ServiceModule
 * @property {string} name
 * @property {(options: ServiceOptions) => SandboxService} create
 */

/**
 * The common auth rule: one header carrying a shared secret. Compared in constant time out of
 * habit, even though this is a test server.
 * @param {string} headerName Lower-case header name.
 * @param {string} secret
 * @returns {SandboxService['authenticate']}
 */
export function headerSecretAuth(headerName, secret) {
	const expected = Buffer.from(secret);
	return (headers) => {
		const presented = headers[headerName];
		if (typeof presented !== 'string' || presented === '') return 'missing';
		const actual = Buffer.from(presented);
		return actual.length === expected.length && timingSafeEqual(actual, expected)
			? 'valid'
			: 'invalid';
	};
}

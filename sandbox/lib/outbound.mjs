// @ts-check
/**
 * Outgoing HTTP for emulated webhooks. Uses `node:http` without keep-alive so a delivery leaves no
 * open socket behind to delay the sandbox's shutdown.
 */
import http from 'node:http';
import https from 'node:https';

const DELIVERY_TIMEOUT_MS = 10_000;

/**
 * @typedef {object} PostResult
 * @property {number | null} status Null when no response arrived.
 * @property {string} [error]
 */

/**
 * POSTs exactly these bytes, so a signature computed over them stays valid.
 * @param {string} url
 * @param {Buffer} body
 * @param {Record<string, string>} headers
 * @param {AbortSignal} signal Aborted when the sandbox closes.
 * @returns {Promise<PostResult>}
 */
export function postRaw(url, body, headers, signal) {
	return new Promise((resolve) => {
		let target;
		try {
			target = new URL(url);
		} catch {
			resolve({ status: null, error: `Invalid URL: ${url}` });
			return;
		}
		const transport = target.protocol === 'https:' ? https : http;
		const request = transport.request(
			target,
			{
				method: 'POST',
				agent: false,
				signal,
				timeout: DELIVERY_TIMEOUT_MS,
				headers: { ...headers, 'content-length': String(body.length) },
			},
			(response) => {
				// The receiver's answer is not used; drain it so the socket can close.
				response.resume();
				response.on('end', () => resolve({ status: response.statusCode ?? null }));
				response.on('error', (error) =>
					resolve({ status: response.statusCode ?? null, error: error.message }),
				);
			},
		);
		request.on('timeout', () =>
			request.destroy(new Error(`No response within ${DELIVERY_TIMEOUT_MS} ms`)),
		);
		request.on('error', (error) => resolve({ status: null, error: error.message }));
		request.end(body);
	});
}

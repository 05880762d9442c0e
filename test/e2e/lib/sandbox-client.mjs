// @ts-check
// The end-to-end tests' view of the sandbox: its control API, and the credentials that point the
// pack's nodes at it.
import { fileURLToPath } from 'node:url';

import axios from 'axios';

import { ALSTYLE_DEFAULT_TOKEN } from '../../../sandbox/services/alstyle.mjs';
import {
	WEBKASSA_DEFAULT_API_KEY,
	WEBKASSA_DEFAULT_LOGIN,
	WEBKASSA_DEFAULT_PASSWORD,
} from '../../../sandbox/services/webkassa.mjs';

/**
 * WAHA's published OpenAPI document: suites that start the sandbox with it as `wahaOpenApi` get
 * WAHA's strict mode, so a request the document refuses fails the test (test/fixtures/README.md).
 */
export const WAHA_OPENAPI = fileURLToPath(
	new URL('../../fixtures/waha-openapi-2026.7.1.json', import.meta.url),
);

/** @param {string} sandboxUrl */
export function sandboxCredentials(sandboxUrl) {
	return [
		{
			id: 'kzKaspiSandbox01',
			name: 'Kaspi Shop API',
			type: 'kaspiApi',
			data: { apiToken: 'sandbox-kaspi-token', baseUrl: `${sandboxUrl}/kaspi/shop/api/v2` },
		},
		{
			id: 'kzWahaSandbox001',
			name: 'WAHA API',
			type: 'wahaApi',
			data: { baseUrl: `${sandboxUrl}/waha`, apiKey: 'sandbox-waha-key', webhookSecret: '' },
		},
	];
}

/**
 * The Webkassa credential pointed at the sandbox's cashier; its token field starts empty, as an
 * operator's does, so n8n logs in on first use.
 * @param {string} sandboxUrl
 */
export function webkassaSandboxCredential(sandboxUrl) {
	return {
		id: 'kzWebkassaSbx001',
		name: 'Webkassa API',
		type: 'webkassaApi',
		data: {
			environment: 'custom',
			customBaseUrl: `${sandboxUrl}/webkassa`,
			apiFamily: 'v4',
			login: WEBKASSA_DEFAULT_LOGIN,
			password: WEBKASSA_DEFAULT_PASSWORD,
			apiKey: WEBKASSA_DEFAULT_API_KEY,
			sessionToken: '',
		},
	};
}

/**
 * A cashier at the till, calling the sandbox's Webkassa straight (not through n8n), on the legacy
 * path. A login ends the cashier's other session (code 2, docs/services/webkassa.md), and n8n logs
 * in as the same cashier whenever its own token was ended, so each side logs in again when told:
 * this client re-authorises and repeats a call answered code 2, which did nothing.
 * @param {string} sandboxUrl
 */
export function webkassaCashier(sandboxUrl) {
	/** @type {string | undefined} */
	let token;
	/** @param {string} method @param {object} body */
	async function post(method, body) {
		const response = await fetch(`${sandboxUrl}/webkassa/api/${method}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		if (response.status !== 200) throw new Error(`${method}: HTTP ${response.status}`);
		return /** @type {any} */ (await response.json());
	}
	return {
		/**
		 * @param {string} method
		 * @param {object} body without the token
		 * @returns {Promise<any>} the answer's Data
		 */
		async call(method, body) {
			for (let attempt = 0; attempt < 5; attempt++) {
				if (!token) {
					const login = await post('Authorize', {
						Login: WEBKASSA_DEFAULT_LOGIN,
						Password: WEBKASSA_DEFAULT_PASSWORD,
					});
					if (!login.Data?.Token) throw new Error(`Authorize answered ${JSON.stringify(login)}`);
					token = login.Data.Token;
				}
				const answer = await post(method, { ...body, Token: token });
				if (answer.Errors?.some((/** @type {{ Code: number }} */ error) => error.Code === 2)) {
					token = undefined;
					continue;
				}
				if (!answer.Data || answer.Errors) {
					throw new Error(`${method} answered ${JSON.stringify(answer)}`);
				}
				return answer.Data;
			}
			throw new Error(`${method}: the cashier's session kept being ended`);
		},
	};
}

/**
 * The amoCRM OAuth2 credential as an operator fills it in after creating the integration: the
 * authorization code, no tokens yet (the first call exchanges the code).
 * @param {string} sandboxUrl
 * @param {{ clientId: string, clientSecret: string, redirectUri: string, code: string }} oauth
 *   what `POST /_control/amocrm/oauth/code` answered
 * @param {{ requestsPerSecond?: number }} [settings]
 */
export function amoCrmSandboxCredential(sandboxUrl, oauth, { requestsPerSecond = 7 } = {}) {
	return {
		id: 'kzAmoOAuthSandbx',
		name: 'amoCRM OAuth2 API',
		type: 'amoCrmOAuth2Api',
		data: {
			platform: 'custom',
			baseUrl: `${sandboxUrl}/amocrm`,
			clientId: oauth.clientId,
			clientSecret: oauth.clientSecret,
			redirectUri: oauth.redirectUri,
			authorizationCode: oauth.code,
			accessToken: '',
			refreshToken: '',
			expiresAt: 0,
			requestsPerSecond,
		},
	};
}

/**
 * The Al-Style credential pointed at the sandbox's dealer API.
 * @param {string} sandboxUrl
 * @param {{ minIntervalSeconds: number }} pacing
 */
export function alStyleSandboxCredential(sandboxUrl, { minIntervalSeconds }) {
	return {
		id: 'kzAlStyleSandbox',
		name: 'Al-Style API',
		type: 'alStyleApi',
		data: {
			accessToken: ALSTYLE_DEFAULT_TOKEN,
			baseUrl: `${sandboxUrl}/alstyle`,
			minIntervalSeconds,
		},
	};
}

export class Sandbox {
	/** @param {string} url */
	constructor(url) {
		this.url = url;
		this.http = axios.create({ baseURL: `${url}/_control`, timeout: 10_000 });
	}

	/** Creates a WAHA session the way an operator does, and links it (the QR scan, emulated). */
	async linkWhatsAppSession(name = 'default') {
		await axios.post(
			`${this.url}/waha/api/sessions`,
			{ name, start: true },
			{ headers: { 'X-Api-Key': 'sandbox-waha-key' }, timeout: 10_000 },
		);
		await this.http.post(`/waha/sessions/${name}/status`, { status: 'WORKING' });
	}

	/**
	 * Which WAHA the sandbox plays (sandbox/README.md, "WAHA profiles"); unnamed fields keep their value.
	 * @param {{ engine?: 'WEBJS' | 'NOWEB' | 'GOWS', nowebStore?: boolean, tier?: 'CORE' | 'PLUS', version?: string }} profile
	 */
	async wahaProfile(profile) {
		return (await this.http.post('/waha/profile', profile)).data;
	}

	/**
	 * Which amoCRM account the sandbox plays (sandbox/services/amocrm.mjs, `AmoProfile`); unnamed
	 * fields keep their value, and a reset restores the default.
	 * @param {{ searchDelayMs?: number, admin?: boolean, listRights?: boolean, duplicateControl?: boolean, blockPage?: 'json' | 'html' }} profile
	 */
	async amoCrmProfile(profile) {
		return (await this.http.post('/amocrm/profile', profile)).data;
	}

	/** @param {object[]} orders order specs, see sandbox/README.md */
	async createOrders(orders) {
		return (await this.http.post('/kaspi/orders', { orders })).data;
	}

	/** Messages the WAHA emulator accepted, oldest first. */
	/** @returns {Promise<Array<{ chatId: string, text?: string, session: string, kind: string }>>} */
	async messages() {
		const { data } = await this.http.get('/waha/messages');
		return Array.isArray(data) ? data : data.messages;
	}

	/**
	 * @param {string} [service]
	 * @param {string} [pathContains]
	 * @param {number} [sinceSeq]
	 * @returns {Promise<Array<{ seq: number, path: string, status: number, query: Record<string, string>, body: any }>>}
	 */
	async requests(service, pathContains, sinceSeq) {
		const { data } = await this.http.get('/requests', {
			params: { service, pathContains, sinceSeq },
		});
		return Array.isArray(data) ? data : data.requests;
	}

	async lastSeq() {
		const all = await this.requests();
		return all.length ? all[all.length - 1].seq : 0;
	}

	/** @param {{ service: string, fault: string, status?: number, times?: number, delayMs?: number, pathContains?: string, afterHandling?: boolean }} fault */
	async fault(fault) {
		await this.http.post('/faults', fault);
	}

	async clearFaults() {
		await this.http.delete('/faults');
	}

	/** An Al-Style call from another client on the same token (a second worker, an old cron script). */
	async callAlStyleElsewhere() {
		await axios.get(`${this.url}/alstyle/api/date`, {
			params: { 'access-token': ALSTYLE_DEFAULT_TOKEN },
			timeout: 10_000,
			validateStatus: () => true,
		});
	}
}

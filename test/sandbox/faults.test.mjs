// @ts-check
/**
 * The sandbox faults the fault matrix needs beyond the basic ones: Kaspi page drift (a list that
 * moves between two page requests), faults applied after the request was handled (the send or the
 * deal is done, the answer is lost), and an amoCRM refresh token spent by another worker.
 * Run: node --test test/sandbox/faults.test.mjs
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import axios from 'axios';

import { startSandbox } from '../../sandbox/server.mjs';
import { AMOCRM_CLIENT, AMOCRM_DEFAULT_TOKEN } from '../../sandbox/services/amocrm.mjs';

const KASPI_TOKEN = 'sandbox-kaspi-token';
const WAHA_KEY = 'sandbox-waha-key';
const MINUTE_MS = 60_000;

/** @type {Awaited<ReturnType<typeof startSandbox>>} */
let sandbox;
/** @type {import('axios').AxiosInstance} */
let control;
/** @type {import('axios').AxiosInstance} */
let kaspi;
/** @type {import('axios').AxiosInstance} */
let waha;
/** @type {import('axios').AxiosInstance} */
let amocrm;

const acceptAnyStatus = () => true;
/** @param {number} ms */
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

before(async () => {
	sandbox = await startSandbox();
	control = axios.create({ baseURL: `${sandbox.url}/_control`, validateStatus: acceptAnyStatus });
	kaspi = axios.create({
		baseURL: sandbox.baseUrls.kaspi,
		headers: { 'X-Auth-Token': KASPI_TOKEN },
		validateStatus: acceptAnyStatus,
	});
	waha = axios.create({
		baseURL: sandbox.baseUrls.waha,
		headers: { 'X-Api-Key': WAHA_KEY },
		validateStatus: acceptAnyStatus,
	});
	amocrm = axios.create({
		baseURL: sandbox.baseUrls.amocrm,
		headers: { Authorization: `Bearer ${AMOCRM_DEFAULT_TOKEN}` },
		validateStatus: acceptAnyStatus,
	});
});

after(() => sandbox.close());

beforeEach(async () => {
	assert.equal((await control.post('/reset', { seed: true })).status, 200);
});

/**
 * The request-log facts a fault leaves on the newest request of a service.
 * @param {string} service
 * @param {string} pathContains
 */
async function logged(service, pathContains) {
	const entries = (await control.get('/requests', { params: { service, pathContains } })).data;
	const { fault, status, handledStatus, clientAborted } = entries.at(-1);
	return { fault, status, handledStatus, clientAborted };
}

/**
 * A fault applied once the request was handled, once.
 * @param {string} service
 * @param {string} pathContains
 * @param {Record<string, unknown>} spec `fault` and its options.
 */
function afterHandling(service, pathContains, spec) {
	return addFault({ service, pathContains, afterHandling: true, times: 1, ...spec });
}

/** @param {Record<string, unknown>} spec */
async function addFault(spec) {
	const response = await control.post('/faults', spec);
	assert.equal(response.status, 201, JSON.stringify(response.data));
	return response.data;
}

describe('Kaspi page drift', () => {
	const start = Date.now() - 60 * MINUTE_MS;
	/** Five NEW orders, one minute apart. */
	const CODES = ['500000001', '500000002', '500000003', '500000004', '500000005'];
	/** The five as an undisturbed listing orders them: Kaspi promises no order, so neither do we. */
	let listed = CODES;

	beforeEach(async () => {
		assert.equal((await control.post('/reset', { seed: false })).status, 200);
		const created = await control.post('/kaspi/orders', {
			orders: CODES.map((code, index) => ({
				code,
				state: 'NEW',
				creationDate: start + index * MINUTE_MS,
			})),
		});
		assert.equal(created.status, 201);
		listed = (await walk()).flat();
		assert.deepEqual([...listed].sort(), CODES);
	});

	/** @param {number} pageNumber @param {Record<string, string | number>} [extra] */
	async function page(pageNumber, extra = {}) {
		const response = await kaspi.get('/orders', {
			params: {
				'page[number]': pageNumber,
				'page[size]': 2,
				'filter[orders][creationDate][$ge]': start - MINUTE_MS,
				'filter[orders][creationDate][$le]': start + 10 * MINUTE_MS,
				'filter[orders][state]': 'NEW',
				...extra,
			},
		});
		assert.equal(response.status, 200);
		return {
			codes: response.data.data.map((/** @type {any} */ order) => order.attributes.code),
			meta: response.data.meta,
		};
	}

	/** Walks the listing as a client does: pages 0 … pageCount − 1. */
	async function walk() {
		const pages = [];
		for (let number = 0; ; number++) {
			const { codes, meta } = await page(number);
			pages.push(codes);
			if (codes.length === 0 || number + 1 >= meta.pageCount) return pages;
		}
	}

	test('pageRepeat: the previous page’s last order comes again, and nothing is lost', async () => {
		await addFault({ service: 'kaspi', fault: 'pageRepeat', pathContains: '/orders', times: 1 });
		const [l0, l1, l2, l3, l4] = listed;
		assert.deepEqual(await walk(), [
			[l0, l1],
			[l1, l2],
			[l3, l4],
		]);
		assert.deepEqual((await control.get('/faults')).data, [], 'the fault was used up');
		const log = (await control.get('/requests', { params: { service: 'kaspi' } })).data;
		assert.deepEqual(
			log.slice(-3).map((/** @type {any} */ entry) => entry.fault ?? null),
			[null, 'pageRepeat', null],
		);
	});

	test('pageSkip: one order falls between two pages; the next listing has it again', async () => {
		await addFault({ service: 'kaspi', fault: 'pageSkip', times: 1 });
		const [l0, l1, , l3, l4] = listed;
		assert.deepEqual(await walk(), [
			[l0, l1],
			[l3, l4],
		]);
		assert.deepEqual((await walk()).flat(), listed, 'a new listing starts at page 0, unshifted');
	});

	test('the first page never takes a drift fault, nor does a lookup by code', async () => {
		await addFault({ service: 'kaspi', fault: 'pageSkip', times: 1 });
		assert.deepEqual((await page(0)).codes, listed.slice(0, 2));
		const byCode = await kaspi.get('/orders', {
			params: { 'page[number]': 1, 'page[size]': 1, 'filter[orders][code]': '500000003' },
		});
		assert.equal(byCode.data.data.length, 0, 'page 1 of a one-order lookup is empty, unshifted');
		assert.equal((await control.get('/faults')).data[0].remaining, 1);
	});

	test('two drifts in one listing add up; meta follows the moved list', async () => {
		await addFault({ service: 'kaspi', fault: 'pageRepeat', times: 2 });
		const [, l1, l2, l3, l4] = listed;
		const second = await page(1);
		assert.deepEqual(second, {
			codes: [l1, l2],
			meta: { pageCount: 3, totalCount: 6 },
		});
		assert.deepEqual(await page(2), {
			codes: [l2, l3],
			meta: { pageCount: 4, totalCount: 7 },
		});
		assert.deepEqual((await page(3)).codes, [l4]);
	});

	test('drift kinds are Kaspi’s own and take neither status nor delayMs', async () => {
		const onWaha = await control.post('/faults', { service: 'waha', fault: 'pageRepeat' });
		assert.equal(onWaha.status, 400);
		assert.match(onWaha.data.error, /fault for waha must be one of/);
		const withStatus = await control.post('/faults', {
			service: 'kaspi',
			fault: 'pageSkip',
			status: 503,
		});
		assert.equal(withStatus.status, 400);
	});
});

describe('faults after handling', () => {
	const sendText = { session: 'default', chatId: '77011234567@c.us', text: 'Your order is ready' };

	test('http5xx afterHandling: WAHA stores and sends the message, then answers 5xx', async () => {
		const fault = await afterHandling('waha', '/api/sendText', { fault: 'http5xx', status: 502 });
		assert.equal(fault.afterHandling, true);
		const answer = await waha.post('/api/sendText', sendText);
		assert.equal(answer.status, 502);
		const messages = (await control.get('/waha/messages')).data;
		assert.equal(messages.length, 1, 'the message was sent although the answer was a 502');
		assert.deepEqual(await logged('waha', 'sendText'), {
			fault: 'http5xx',
			status: 502,
			handledStatus: 201,
			clientAborted: undefined,
		});
		assert.equal((await waha.post('/api/sendText', sendText)).status, 201, 'times: 1');
	});

	test('timeout afterHandling: the WAHA message is stored before the answer is held', async () => {
		await afterHandling('waha', '/api/sendText', { fault: 'timeout', delayMs: 500 });
		const answer = waha.post('/api/sendText', sendText, { timeout: 2000 });
		await pause(150);
		assert.equal(
			(await control.get('/waha/messages')).data.length,
			1,
			'stored while the answer is still held',
		);
		const held = await logged('waha', 'sendText');
		assert.equal(held.status, null, 'not answered yet');
		assert.equal(held.handledStatus, 201);
		assert.equal((await answer).status, 201, 'then the real answer comes');
	});

	/** One deal with a new contact, as the Kaspi → amoCRM sync sends it. */
	const complexDeal = [
		{
			name: 'Kaspi order 600000001',
			price: 15990,
			_embedded: { contacts: [{ first_name: 'Aigerim', last_name: 'Nurlanova' }] },
		},
	];

	test('timeout afterHandling: amoCRM creates the deal, the client times out', async () => {
		await afterHandling('amocrm', '/leads/complex', { fault: 'timeout', delayMs: 600 });
		await assert.rejects(
			amocrm.post('/api/v4/leads/complex', complexDeal, { timeout: 200 }),
			(/** @type {any} */ error) => error.code === 'ECONNABORTED',
		);
		const data = (await control.get('/amocrm/data')).data;
		assert.deepEqual(
			data.leads.map((/** @type {any} */ lead) => lead.name),
			['Kaspi order 600000001'],
		);
		await pause(700);
		assert.deepEqual(await logged('amocrm', 'complex'), {
			fault: 'timeout',
			status: 200,
			handledStatus: 200,
			clientAborted: true,
		});
	});

	test('http5xx afterHandling: amoCRM creates the deal, then answers its problem 5xx', async () => {
		await afterHandling('amocrm', '/leads/complex', { fault: 'http5xx' });
		const answer = await amocrm.post('/api/v4/leads/complex', complexDeal);
		assert.equal(answer.status, 503);
		assert.equal(answer.data.status, 503);
		assert.equal((await control.get('/amocrm/data')).data.leads.length, 1);
	});

	test('a fault without afterHandling still stops the request before it is handled', async () => {
		await addFault({ service: 'amocrm', fault: 'http5xx', pathContains: '/leads/complex' });
		assert.equal((await amocrm.post('/api/v4/leads/complex', complexDeal)).status, 503);
		assert.equal((await control.get('/amocrm/data')).data.leads.length, 0);
	});

	test('afterHandling is refused for other kinds and must be a boolean', async () => {
		for (const spec of [
			{ service: 'waha', fault: 'http429', afterHandling: true },
			{ service: 'waha', fault: 'down', afterHandling: true },
			{ service: 'waha', fault: 'timeout', afterHandling: 'yes' },
		]) {
			const refused = await control.post('/faults', spec);
			assert.equal(refused.status, 400);
			assert.match(refused.data.error, /afterHandling/);
		}
	});
});

describe('amoCRM: a refresh token spent by another worker', () => {
	/** The token endpoint, as the credential calls it. */
	const tokenUrl = () => `${sandbox.url}/amocrm/oauth2/access_token`;
	const client = {
		client_id: AMOCRM_CLIENT.clientId,
		client_secret: AMOCRM_CLIENT.clientSecret,
		redirect_uri: AMOCRM_CLIENT.redirectUri,
	};

	async function firstPair() {
		const { code } = (await control.post('/amocrm/oauth/code')).data;
		const exchanged = await axios.post(tokenUrl(), {
			...client,
			grant_type: 'authorization_code',
			code,
		});
		return exchanged.data;
	}

	/** @param {string} refreshToken */
	const refresh = (refreshToken) =>
		axios.post(
			tokenUrl(),
			{ ...client, grant_type: 'refresh_token', refresh_token: refreshToken },
			{ validateStatus: acceptAnyStatus },
		);

	test('refresh-elsewhere spends the live refresh token and returns the new pair', async () => {
		const pair = await firstPair();
		const before = Date.now();
		const elsewhere = await control.post('/amocrm/oauth/refresh-elsewhere', {});
		assert.equal(elsewhere.status, 200);
		const { accessToken, refreshToken, expiresAt, spentRefreshToken } = elsewhere.data;
		assert.equal(spentRefreshToken, pair.refresh_token);
		assert.notEqual(refreshToken, pair.refresh_token);
		assert.ok(expiresAt >= before + 86_000_000, 'lives as long as an issued access token');

		// The worker still holding the old pair is refused the way amoCRM refuses a used token.
		const refused = await refresh(pair.refresh_token);
		assert.equal(refused.status, 401);
		assert.match(String(refused.headers['content-type']), /problem\+json/);
		assert.deepEqual(refused.data, {
			hint: 'Token has been revoked',
			title: 'Некорректный запрос',
			type: 'https://developers.amocrm.ru/v3/errors/OAuthProblemJson',
			status: 401,
			detail: 'В запросе отсутствует ряд параметров или параметры невалидны',
		});

		// The pair handed out works like one the token endpoint issued.
		const account = await axios.get(`${sandbox.baseUrls.amocrm}/api/v4/account`, {
			headers: { Authorization: `Bearer ${accessToken}` },
			validateStatus: acceptAnyStatus,
		});
		assert.equal(account.status, 200);
		assert.equal((await refresh(refreshToken)).status, 200);
		const stats = (await control.get('/amocrm/stats')).data;
		assert.equal(stats.refreshes, 2);
		assert.equal(stats.rejectedRefreshes, 1);
	});

	test('spends the refresh token named in the body, and refuses one not live', async () => {
		const first = await firstPair();
		const second = await firstPair();
		const elsewhere = await control.post('/amocrm/oauth/refresh-elsewhere', {
			refreshToken: first.refresh_token,
		});
		assert.equal(elsewhere.data.spentRefreshToken, first.refresh_token);
		assert.equal((await refresh(second.refresh_token)).status, 200, 'the other stays live');
		const again = await control.post('/amocrm/oauth/refresh-elsewhere', {
			refreshToken: first.refresh_token,
		});
		assert.equal(again.status, 409);
	});

	test('answers 409 when no refresh token was issued yet', async () => {
		const none = await control.post('/amocrm/oauth/refresh-elsewhere', {});
		assert.equal(none.status, 409);
		assert.match(none.data.error, /No live refresh token/);
	});
});

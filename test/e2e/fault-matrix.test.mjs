// @ts-check
// The fault matrix: one test per fault, on n8n in queue mode (main + 2 workers), each judged by the
// sandbox's own record of what reached it — every order handled, and no message, deal or receipt
// twice. Rows run one after another on one shop; each leaves active only the workflows it needs.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';

import { waitFor } from './lib/harness.mjs';
import { amoCrmSandboxCredential } from './lib/sandbox-client.mjs';
import {
	AL_STYLE_INTERVAL_SECONDS,
	ALERT_CHAT,
	AMO_REQUESTS_PER_SECOND_PER_WORKER,
	CASHBOX,
	CATCH_UP_SECONDS,
	kaspiOrder,
	RECEIPTS_EVERY_SECONDS,
	startShop,
} from './lib/shop.mjs';
import { WORKFLOW_IDS } from './lib/workflows-for-test.mjs';

const { orderWhatsApp, amoSync, receipts, alStyleProbe } = WORKFLOW_IDS;

/** Codes of `count` orders for one row: rows never share an order. */
/**
 * @param {number} row
 * @param {number} count
 */
const codesFor = (row, count) =>
	Array.from({ length: count }, (_, index) => String(860_000_000 + row * 1000 + index));

/** A WhatsApp number (not ending in 00, so the sandbox says it is on WhatsApp) per order code. */
/** @param {string} code */
const phoneFor = (code) =>
	`70${code.slice(-8, -2)}${code.slice(-2) === '00' ? '01' : code.slice(-2)}`;

describe('Fault matrix in n8n queue mode', { timeout: 60 * 60_000 }, () => {
	/** @type {Awaited<ReturnType<typeof startShop>>} */
	let shop;

	before(async () => {
		shop = await startShop({ queue: true });
	});

	after(async () => {
		await shop?.close();
	});

	/** @param {string[]} codes */
	async function eachNotifiedOnce(codes) {
		for (const code of codes)
			assert.equal(
				(await shop.notificationsFor(code)).length,
				1,
				`one WhatsApp message for order ${code}`,
			);
	}

	/** @param {string[]} codes */
	async function waitNotified(codes, timeoutMs = 180_000) {
		await waitFor(
			async () => {
				for (const code of codes)
					if ((await shop.notificationsFor(code)).length === 0) return false;
				return true;
			},
			{ timeoutMs, intervalMs: 2000, what: `messages for ${codes.join(', ')}` },
		);
	}

	/** Waits for every order's message, lets a duplicate show if there is to be one, and checks. */
	/** @param {string[]} codes */
	async function notifiedOnceEach(codes) {
		await waitNotified(codes);
		await quietPeriod();
		await eachNotifiedOnce(codes);
	}

	/** Waits for the order's receipt link, lets two more receipt runs pass, and checks there is one of each. */
	/** @param {string} code */
	async function oneReceiptAndLink(code) {
		await waitFor(async () => (await shop.receiptLinksFor(code)).length === 1, {
			timeoutMs: 180_000,
			intervalMs: 2000,
			what: 'the receipt link',
		});
		await delay(RECEIPTS_EVERY_SECONDS * 2 * 1000);
		await shop.settled();
		assert.equal((await shop.receiptsFor(code)).length, 1, `one receipt for ${code}`);
		assert.equal((await shop.receiptLinksFor(code)).length, 1, `one receipt link for ${code}`);
	}

	/** Several more catch-up runs, then nothing in flight: the window for a duplicate to show. */
	async function quietPeriod() {
		await delay(CATCH_UP_SECONDS * 3 * 1000);
		await shop.settled();
	}

	/**
	 * Kills, with SIGKILL, every worker in the middle of an execution (a row leaves only its own
	 * workflow active, so that is the run it is testing), and starts them again.
	 */
	async function killBusyWorkers() {
		const workers = shop.n8n.busyWorkers();
		assert.ok(workers.length > 0, 'a worker was running the execution');
		for (const index of workers) await shop.n8n.killWorker(index);
		await shop.n8n.startWorkers();
		return workers;
	}

	/** @param {string} workflowId */
	async function failedRuns(workflowId) {
		return (await shop.n8n.executions(workflowId)).filter(
			(execution) => execution.status === 'error' || execution.status === 'crashed',
		).length;
	}

	it(
		'row 1: a worker killed between the WhatsApp send and its record → one message',
		{ timeout: 6 * 60_000 },
		async () => {
			await shop.only([orderWhatsApp]);
			const [code] = codesFor(1, 1);
			// The message is stored at once, its answer held: the worker dies before it hears it.
			await shop.sandbox.fault({
				service: 'waha',
				fault: 'timeout',
				afterHandling: true,
				delayMs: 90_000,
				pathContains: '/api/sendText',
				times: 1,
			});
			await shop.sandbox.createOrders([kaspiOrder(code, { phone: phoneFor(code), minutesAgo: 3 })]);
			await shop.poll(orderWhatsApp);
			await waitNotified([code]);
			const killed = await killBusyWorkers();
			console.log(`row 1: killed worker ${killed.join(', ')} with the message sent and unrecorded`);
			await shop.sandbox.clearFaults();
			// The killed job is found stalled and run again; the catch-up lane meets the order too.
			await delay(45_000);
			await quietPeriod();
			await eachNotifiedOnce([code]);
		},
	);

	it(
		'row 2: a worker killed between creating the amoCRM deal and its bookkeeping → one deal',
		{ timeout: 6 * 60_000 },
		async () => {
			await shop.only([amoSync]);
			const codes = codesFor(2, 3);
			await shop.sandbox.fault({
				service: 'amocrm',
				fault: 'timeout',
				afterHandling: true,
				delayMs: 90_000,
				pathContains: '/leads/complex',
				times: 1,
			});
			await shop.sandbox.createOrders(
				codes.map((code) => kaspiOrder(code, { phone: phoneFor(code), minutesAgo: 15 })),
			);
			await shop.poll(amoSync);
			await waitFor(async () => (await shop.dealsFor(codes)).length === codes.length, {
				timeoutMs: 120_000,
				what: 'the deals',
			});
			await killBusyWorkers();
			await shop.sandbox.clearFaults();
			await delay(30_000);
			await shop.settled();
			await shop.reconcileOnce();
			const deals = await shop.dealsFor(codes);
			assert.equal(deals.length, codes.length, 'no second deal');
			assert.ok(
				deals.every((deal) => deal._embedded.catalog_elements.length === 2),
				'the reconcile finished what the killed run left',
			);
			assert.ok(
				deals.every((deal) => deal._embedded.contacts?.length === 1),
				'each deal has its contact',
			);
		},
	);

	it(
		'row 3: a worker killed between Webkassa storing the receipt and the workflow recording it → one receipt',
		{ timeout: 6 * 60_000 },
		async () => {
			await shop.only([receipts]);
			const [code] = codesFor(3, 1);
			await shop.sandbox.http.post('/webkassa/faults/after-store', {
				kind: 'timeout',
				delayMs: 90_000,
				method: 'Check',
			});
			await shop.sandbox.createOrders([
				kaspiOrder(code, {
					phone: phoneFor(code),
					state: 'ARCHIVE',
					status: 'COMPLETED',
					minutesAgo: 2 * 24 * 60,
				}),
			]);
			await waitFor(async () => (await shop.receiptsFor(code)).length === 1, {
				timeoutMs: 120_000,
				what: 'the stored receipt',
			});
			await killBusyWorkers();
			await shop.sandbox.http.delete('/webkassa/faults/after-store');
			await oneReceiptAndLink(code);
		},
	);

	it(
		'row 4: the main process killed mid-run, then restarted → nothing lost or repeated',
		{ timeout: 6 * 60_000 },
		async () => {
			await shop.only([orderWhatsApp]);
			const [first, second] = codesFor(4, 2);
			await shop.sandbox.fault({
				service: 'waha',
				fault: 'timeout',
				afterHandling: true,
				delayMs: 15_000,
				pathContains: '/api/sendText',
				times: 1,
			});
			await shop.sandbox.createOrders([kaspiOrder(first, { phone: phoneFor(first) })]);
			await shop.poll(orderWhatsApp);
			await waitNotified([first]);
			await shop.n8n.killMain();
			await shop.sandbox.createOrders([kaspiOrder(second, { phone: phoneFor(second) })]);
			await shop.n8n.start();
			await waitNotified([second]);
			await quietPeriod();
			await eachNotifiedOnce([first, second]);
		},
	);

	it(
		'row 5: WAHA down for several polls, then back → every order messaged once',
		{ timeout: 8 * 60_000 },
		async () => {
			await shop.only([orderWhatsApp]);
			const codes = codesFor(5, 3);
			const failedBefore = await failedRuns(orderWhatsApp);
			await shop.sandbox.fault({ service: 'waha', fault: 'down' });
			await shop.sandbox.createOrders(
				codes.map((code) => kaspiOrder(code, { phone: phoneFor(code), minutesAgo: 3 })),
			);
			await shop.poll(orderWhatsApp);
			// The trigger's run and at least two catch-up runs fail while WAHA is down.
			await waitFor(async () => (await failedRuns(orderWhatsApp)) >= failedBefore + 3, {
				timeoutMs: 180_000,
				intervalMs: 2000,
				what: 'three failed runs',
			});
			for (const code of codes) assert.equal((await shop.notificationsFor(code)).length, 0);
			await shop.sandbox.clearFaults();
			await notifiedOnceEach(codes);
		},
	);

	it(
		'row 6: the WAHA session not WORKING → runs fail and alert; once it works, every order messaged once',
		{ timeout: 8 * 60_000 },
		async () => {
			await shop.only([orderWhatsApp]);
			const codes = codesFor(6, 2);
			const alertsBefore = shop.telegram.messages.length;
			await shop.sandbox.http.post('/waha/sessions/default/status', { status: 'FAILED' });
			await shop.sandbox.createOrders(
				codes.map((code) => kaspiOrder(code, { phone: phoneFor(code), minutesAgo: 3 })),
			);
			await shop.poll(orderWhatsApp);
			const alert = await waitFor(
				async () =>
					shop.telegram.messages
						.slice(alertsBefore)
						.find((message) => message.chat_id === ALERT_CHAT && /FAILED/.test(message.text)),
				{ timeoutMs: 120_000, what: 'the alert naming the session state' },
			);
			assert.match(alert.text, /not WORKING/);
			for (const code of codes) assert.equal((await shop.notificationsFor(code)).length, 0);
			await shop.sandbox.http.post('/waha/sessions/default/status', { status: 'WORKING' });
			await notifiedOnceEach(codes);
		},
	);

	it(
		'row 7: Kaspi answering 5xx → the calls fail visibly; after it recovers every order messaged once',
		{ timeout: 6 * 60_000 },
		async () => {
			await shop.only([orderWhatsApp]);
			const codes = codesFor(7, 2);
			const seq = await shop.sandbox.lastSeq();
			await shop.sandbox.fault({
				service: 'kaspi',
				fault: 'http5xx',
				status: 502,
				pathContains: '/orders',
			});
			await shop.sandbox.createOrders(
				codes.map((code) => kaspiOrder(code, { phone: phoneFor(code), minutesAgo: 3 })),
			);
			await waitFor(
				async () =>
					(await shop.sandbox.requests('kaspi', '/orders', seq)).filter(
						(call) => call.status === 502,
					).length >= 3,
				{
					timeoutMs: 120_000,
					what: 'failed Kaspi calls',
				},
			);
			for (const code of codes) assert.equal((await shop.notificationsFor(code)).length, 0);
			await shop.sandbox.clearFaults();
			await notifiedOnceEach(codes);
		},
	);

	it(
		'row 8: Kaspi timing out → the call is given up and retried; every order messaged once',
		{ timeout: 8 * 60_000 },
		async () => {
			await shop.only([orderWhatsApp]);
			const codes = codesFor(8, 2);
			const seq = await shop.sandbox.lastSeq();
			// Longer than the node's 30 s timeout, twice.
			await shop.sandbox.fault({
				service: 'kaspi',
				fault: 'timeout',
				delayMs: 40_000,
				pathContains: '/orders',
				times: 2,
			});
			await shop.sandbox.createOrders(
				codes.map((code) => kaspiOrder(code, { phone: phoneFor(code), minutesAgo: 3 })),
			);
			await waitNotified(codes, 240_000);
			const held = (await shop.sandbox.requests('kaspi', '/orders', seq)).filter(
				(call) => /** @type {any} */ (call).fault === 'timeout',
			);
			assert.equal(held.length, 2, 'two calls timed out');
			await quietPeriod();
			await eachNotifiedOnce(codes);
		},
	);

	it(
		'row 9: a Kaspi page returned twice (an order entered the list) → one deal per order',
		{ timeout: 6 * 60_000 },
		async () => {
			await shop.only([amoSync]);
			const codes = codesFor(9, 150);
			await shop.sandbox.createOrders(
				codes.map((code) => kaspiOrder(code, { phone: phoneFor(code), minutesAgo: 15 })),
			);
			await shop.sandbox.fault({
				service: 'kaspi',
				fault: 'pageRepeat',
				pathContains: '/orders',
				times: 1,
			});
			await shop.poll(amoSync);
			await waitFor(async () => (await shop.dealsFor(codes)).length >= codes.length, {
				timeoutMs: 180_000,
				intervalMs: 2000,
				what: '150 deals',
			});
			await shop.settled();
			assert.deepEqual((await shop.sandbox.http.get('/faults')).data, [], 'the repeat happened');
			assert.equal((await shop.dealsFor(codes)).length, codes.length);
		},
	);

	it(
		'row 10: a Kaspi page skipping an order (an order left the list) → the next poll brings it; one deal per order',
		{ timeout: 6 * 60_000 },
		async () => {
			await shop.only([amoSync]);
			const codes = codesFor(10, 150);
			await shop.sandbox.createOrders(
				codes.map((code) => kaspiOrder(code, { phone: phoneFor(code), minutesAgo: 15 })),
			);
			await shop.sandbox.fault({
				service: 'kaspi',
				fault: 'pageSkip',
				pathContains: '/orders',
				times: 1,
			});
			await shop.poll(amoSync);
			await waitFor(async () => (await shop.dealsFor(codes)).length >= codes.length - 1, {
				timeoutMs: 180_000,
				intervalMs: 2000,
				what: '149 deals',
			});
			assert.deepEqual(
				(await shop.sandbox.http.get('/faults')).data,
				[],
				'an order was hidden from a poll',
			);
			// The trigger's own schedule may already have polled again; if not, poll now.
			await shop.settled();
			if ((await shop.dealsFor(codes)).length < codes.length) await shop.poll(amoSync);
			await waitFor(async () => (await shop.dealsFor(codes)).length === codes.length, {
				timeoutMs: 120_000,
				what: 'the hidden order’s deal',
			});
			await shop.settled();
			assert.equal((await shop.dealsFor(codes)).length, codes.length);
		},
	);

	it(
		'row 11: amoCRM 429s up to the retry cap → waited out; one deal per order, the account never blocked',
		{ timeout: 6 * 60_000 },
		async () => {
			await shop.only([amoSync]);
			const codes = codesFor(11, 20);
			const seq = await shop.sandbox.lastSeq();
			// Three in a row: as many as the node retries one call (docs/services/amocrm.md, 429).
			await shop.sandbox.fault({
				service: 'amocrm',
				fault: 'http429',
				pathContains: '/api/v4',
				times: 3,
			});
			await shop.sandbox.createOrders(
				codes.map((code) => kaspiOrder(code, { phone: phoneFor(code), minutesAgo: 15 })),
			);
			await shop.poll(amoSync);
			await waitFor(async () => (await shop.dealsFor(codes)).length === codes.length, {
				timeoutMs: 180_000,
				intervalMs: 2000,
				what: 'the 20 deals',
			});
			await shop.settled();
			const refused = (await shop.sandbox.requests('amocrm', '/api/v4', seq)).filter(
				(call) => call.status === 429,
			);
			assert.equal(refused.length, 3, 'the storm reached the node');
			assert.equal((await shop.amoStats()).blocked, false);
			assert.equal((await shop.dealsFor(codes)).length, codes.length);
			assert.equal((await shop.n8n.executions(amoSync))[0].status, 'success');
		},
	);

	it(
		'row 12: an amoCRM refresh token already used by another worker → the run goes on with the pair that worker stored',
		{ timeout: 6 * 60_000 },
		async () => {
			await shop.only([amoSync]);
			const codes = codesFor(12, 5);
			const before = await shop.amoStats();
			const seq = await shop.sandbox.lastSeq();
			// The stored pair expires; the node's refresh is held for 20 s, and in that time another
			// worker spends the same refresh token and stores the pair it got.
			await shop.sandbox.http.post('/amocrm/oauth/expire');
			await shop.sandbox.fault({
				service: 'amocrm-oauth',
				fault: 'timeout',
				delayMs: 20_000,
				pathContains: '/access_token',
				times: 1,
			});
			await shop.sandbox.createOrders(
				codes.map((code) => kaspiOrder(code, { phone: phoneFor(code), minutesAgo: 15 })),
			);
			await shop.poll(amoSync);
			await waitFor(
				async () =>
					(await shop.sandbox.requests('amocrm-oauth', '/access_token', seq)).some(
						(call) => call.status === null,
					),
				{ what: 'the held refresh' },
			);
			const { data: pair } = await shop.sandbox.http.post('/amocrm/oauth/refresh-elsewhere', {});
			const credential = amoCrmSandboxCredential(
				shop.sandbox.url,
				{ ...shop.amoOAuth, code: '' },
				{ requestsPerSecond: AMO_REQUESTS_PER_SECOND_PER_WORKER },
			);
			shop.n8n.importCredentials([
				{
					...credential,
					data: {
						...credential.data,
						accessToken: pair.accessToken,
						refreshToken: pair.refreshToken,
						expiresAt: pair.expiresAt,
					},
				},
			]);
			await waitFor(async () => (await shop.dealsFor(codes)).length === codes.length, {
				timeoutMs: 120_000,
				what: 'the deals',
			});
			await shop.settled();
			const after = await shop.amoStats();
			assert.equal(
				after.rejectedRefreshes - before.rejectedRefreshes,
				1,
				'the spent refresh token was refused once',
			);
			assert.equal((await shop.n8n.executions(amoSync))[0].status, 'success');
			assert.equal((await shop.dealsFor(codes)).length, codes.length);
		},
	);

	it(
		'row 13: the Webkassa token expiring mid-run → one new login; every receipt printed once',
		{ timeout: 6 * 60_000 },
		async () => {
			await shop.only([receipts]);
			const codes = codesFor(13, 4);
			const loginsBefore = (await shop.sandbox.http.get('/webkassa/state')).data.logins;
			await shop.sandbox.http.post('/webkassa/tokens/expire', { afterCalls: 1 });
			await shop.sandbox.createOrders(
				codes.map((code) =>
					kaspiOrder(code, {
						phone: phoneFor(code),
						state: 'ARCHIVE',
						status: 'COMPLETED',
						minutesAgo: 2 * 24 * 60,
					}),
				),
			);
			await waitFor(
				async () => {
					for (const code of codes) if ((await shop.receiptsFor(code)).length === 0) return false;
					return true;
				},
				{ timeoutMs: 120_000, intervalMs: 2000, what: 'the receipts' },
			);
			await delay(RECEIPTS_EVERY_SECONDS * 2 * 1000);
			await shop.settled();
			for (const code of codes)
				assert.equal((await shop.receiptsFor(code)).length, 1, `one receipt for ${code}`);
			assert.equal(
				(await shop.sandbox.http.get('/webkassa/state')).data.logins - loginsBefore,
				1,
				'one new login',
			);
		},
	);

	it(
		'row 14: a Webkassa shift open for over 24 hours → closed with a Z-report, and the receipt printed once',
		{ timeout: 6 * 60_000 },
		async () => {
			await shop.only([receipts]);
			const [code] = codesFor(14, 1);
			await shop.sandbox.http.post(`/webkassa/cashboxes/${CASHBOX}/shift`, { openedHoursAgo: 25 });
			const seq = await shop.sandbox.lastSeq();
			await shop.sandbox.createOrders([
				kaspiOrder(code, {
					phone: phoneFor(code),
					state: 'ARCHIVE',
					status: 'COMPLETED',
					minutesAgo: 2 * 24 * 60,
				}),
			]);
			await waitFor(async () => (await shop.receiptsFor(code)).length === 1, {
				timeoutMs: 120_000,
				what: 'the receipt',
			});
			const calls = await shop.sandbox.requests('webkassa', undefined, seq);
			assert.ok(
				calls.some((call) => call.path.endsWith('/ZReport')),
				'the shift was closed with a Z-report',
			);
			await delay(RECEIPTS_EVERY_SECONDS * 2 * 1000);
			await shop.settled();
			assert.equal((await shop.receiptsFor(code)).length, 1);
		},
	);

	it(
		'row 15: a Webkassa timeout after the receipt was stored → the retry finds it; one receipt',
		{ timeout: 6 * 60_000 },
		async () => {
			await shop.only([receipts]);
			const [code] = codesFor(15, 1);
			await shop.sandbox.http.post('/webkassa/faults/after-store', {
				kind: 'timeout',
				delayMs: 45_000,
				method: 'Check',
			});
			await shop.sandbox.createOrders([
				kaspiOrder(code, {
					phone: phoneFor(code),
					state: 'ARCHIVE',
					status: 'COMPLETED',
					minutesAgo: 2 * 24 * 60,
				}),
			]);
			await oneReceiptAndLink(code);
		},
	);

	it(
		'row 16: Al-Style throttling with 403 (another client called just before) → waited out, and the call succeeds',
		{ timeout: 4 * 60_000 },
		async () => {
			await shop.only([alStyleProbe]);
			const seq = await shop.sandbox.lastSeq();
			await shop.sandbox.callAlStyleElsewhere();
			const answer = await shop.probeAlStyle({ articles: '20908', fields: ['brand'] });
			assert.equal(answer.status, 200, answer.body);
			const calls = await shop.sandbox.requests('alstyle', '/api/', seq);
			const statuses = calls.map((call) => call.status);
			assert.ok(statuses.includes(403), `Al-Style throttled a call (${statuses.join(', ')})`);
			const throttledAt = statuses.indexOf(403);
			assert.equal(statuses.at(-1), 200, 'the node retried after the interval');
			const waited =
				Date.parse(/** @type {any} */ (calls.at(-1)).at) -
				Date.parse(/** @type {any} */ (calls[throttledAt]).at);
			assert.ok(waited >= AL_STYLE_INTERVAL_SECONDS * 1000 - 100, `waited ${waited} ms`);
		},
	);

	it(
		'row 17: Al-Style 500 on an unknown additional field → the run fails naming the field, and alerts',
		{ timeout: 4 * 60_000 },
		async () => {
			await shop.only([alStyleProbe]);
			await delay(AL_STYLE_INTERVAL_SECONDS * 1000);
			const alertsBefore = shop.telegram.messages.length;
			const answer = await shop.probeAlStyle({ articles: '20908', fields: ['brand', 'colour'] });
			assert.notEqual(answer.status, 200);
			const failed = (await shop.n8n.executions(alStyleProbe)).find(
				(execution) => execution.status === 'error',
			);
			assert.ok(failed, 'the run failed');
			const full = await shop.n8n.api('GET', `/executions/${failed.id}?includeData=true`);
			assert.match(full.data.resultData.error.message, /Additional Fields "colour"/);
			await waitFor(
				async () =>
					shop.telegram.messages
						.slice(alertsBefore)
						.some((message) => message.text.includes('colour')),
				{ what: 'the alert' },
			);
		},
	);
});

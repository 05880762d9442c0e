// @ts-check
// The pack in n8n's queue mode: PostgreSQL, Redis, one main process (triggers and pollers) and two
// workers (executions), all on loopback. The same exactly-once outcomes as the single-process
// suites, judged by what reached the sandbox; then the crashes queue mode adds: a worker killed
// with SIGKILL between a send and the bookkeeping after it, and the main process killed mid-run.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';

import { waitFor } from './lib/harness.mjs';
import {
	AMO_REQUESTS_PER_SECOND_PER_WORKER,
	CATCH_UP_SECONDS,
	kaspiOrder,
	RECEIPTS_EVERY_SECONDS,
	startShop,
} from './lib/shop.mjs';
import { WORKFLOW_IDS } from './lib/workflows-for-test.mjs';

/** @param {number} index */
const phone = (index) => `70120${String(index).padStart(5, '0')}`;

/**
 * The reconcile's lane of the amoCRM test (the third): orders from two days ago, put in Kaspi
 * before n8n starts, so the sync's trigger only records them at its first poll. Created during the
 * test instead, they were emitted to the sync as well, since the shipped trigger watches 14 days
 * for state changes and so takes any order it has not seen in that time for a new one: both runs
 * then worked on the same 80 orders at once, neither found the other's deals, and 80 of them were
 * made twice (240 deals; seen with the scan-free sync, whose phone searches keep a run from
 * creating anything for a minute or more, where the contact scan before it took seconds).
 */
const reconcileCodes = Array.from({ length: 80 }, (_, index) => String(840_000_001 + index));
const reconcileOrders = reconcileCodes.map((code, index) =>
	kaspiOrder(code, {
		phone: `7014${String(index).padStart(6, '0')}`,
		state: 'ARCHIVE',
		status: 'CANCELLED',
		minutesAgo: 2 * 24 * 60,
	}),
);

describe(
	'The pack in n8n queue mode (PostgreSQL, Redis, main + 2 workers)',
	{ timeout: 40 * 60_000 },
	() => {
		/** @type {Awaited<ReturnType<typeof startShop>>} */
		let shop;
		const started = Date.now();

		before(async () => {
			shop = await startShop({ queue: true, ordersBeforeStart: reconcileOrders });
			console.log(
				`queue mode: n8n main + 2 workers ready in ${((Date.now() - started) / 1000).toFixed(1)} s`,
			);
		});

		after(async () => {
			await shop?.close();
		});

		it(
			'runs every execution on a worker, none on the main process',
			{ timeout: 10 * 60_000 },
			async () => {
				const { sandbox, n8n } = shop;
				const newCodes = Array.from({ length: 12 }, (_, index) => String(810_000_001 + index));
				const completedCodes = Array.from({ length: 6 }, (_, index) => String(820_000_001 + index));
				const runStarted = Date.now();
				await sandbox.createOrders([
					...newCodes.map((code, index) => kaspiOrder(code, { phone: phone(index + 1) })),
					...completedCodes.map((code, index) =>
						kaspiOrder(code, {
							phone: phone(100 + index),
							state: 'ARCHIVE',
							status: 'COMPLETED',
							minutesAgo: 2 * 24 * 60,
						}),
					),
				]);
				await Promise.all([shop.poll(WORKFLOW_IDS.orderWhatsApp), shop.poll(WORKFLOW_IDS.amoSync)]);

				await waitFor(async () => (await shop.dealsFor(newCodes)).length === newCodes.length, {
					timeoutMs: 180_000,
					what: 'the deals',
				});
				await waitFor(
					async () => {
						for (const code of newCodes)
							if ((await shop.notificationsFor(code)).length === 0) return false;
						for (const code of completedCodes)
							if ((await shop.receiptLinksFor(code)).length === 0) return false;
						return true;
					},
					{ timeoutMs: 240_000, intervalMs: 2000, what: 'every notification and receipt link' },
				);
				console.log(
					`queue mode: 12 notifications, 12 deals, 6 receipts and their links in ${((Date.now() - runStarted) / 1000).toFixed(1)} s`,
				);
				await shop.settled();

				const ids = [];
				for (const workflowId of [
					WORKFLOW_IDS.orderWhatsApp,
					WORKFLOW_IDS.amoSync,
					WORKFLOW_IDS.receipts,
				]) {
					ids.push(...(await n8n.executions(workflowId)).map((execution) => execution.id));
				}
				assert.ok(ids.length >= 3);
				const unplaced = ids.filter((id) => n8n.workerRunning(id) < 0);
				assert.deepEqual(unplaced, [], 'every execution was started by a worker');
				const mainLog = (n8n.outputOf.get('n8n') ?? []).join('');
				assert.doesNotMatch(mainLog, /Worker started execution/);
			},
		);

		it(
			'sent, created and printed each exactly once, and a second round changes nothing',
			{ timeout: 6 * 60_000 },
			async () => {
				const newCodes = Array.from({ length: 12 }, (_, index) => String(810_000_001 + index));
				const completedCodes = Array.from({ length: 6 }, (_, index) => String(820_000_001 + index));
				const count = async () => ({
					messages: (await shop.sandbox.messages()).length,
					deals: (await shop.amo()).leads.length,
					receipts: (await shop.receipts()).length,
				});
				const first = await count();
				await Promise.all([shop.poll(WORKFLOW_IDS.orderWhatsApp), shop.poll(WORKFLOW_IDS.amoSync)]);
				// Two more receipt runs and three catch-up runs pass over the same orders.
				await delay(Math.max(2 * RECEIPTS_EVERY_SECONDS, 3 * CATCH_UP_SECONDS) * 1000 + 5000);
				await shop.settled();
				assert.deepEqual(await count(), first);
				for (const code of newCodes)
					assert.equal(
						(await shop.notificationsFor(code)).length,
						1,
						`one notification for ${code}`,
					);
				for (const code of completedCodes) {
					assert.equal((await shop.receiptsFor(code)).length, 1, `one receipt for ${code}`);
					assert.equal(
						(await shop.receiptLinksFor(code)).length,
						1,
						`one receipt link for ${code}`,
					);
				}
				assert.equal((await shop.dealsFor(newCodes)).length, newCodes.length);
			},
		);

		it(
			'amoCRM: the sync and the reconcile at once on both workers stay within 7 calls a second',
			{ timeout: 10 * 60_000 },
			async () => {
				const { sandbox, n8n } = shop;
				const statsBefore = await shop.amoStats();
				const seq = await sandbox.lastSeq();
				// Two disjoint lanes, so both runs have work at the same time: new orders for the sync
				// (numbers not on WhatsApp, so the notification workflow only checks them), and the orders
				// from two days ago that the trigger only recorded (reconcileOrders), which only the
				// reconcile finds.
				const newCodes = Array.from({ length: 80 }, (_, index) => String(830_000_001 + index));
				const oldCodes = reconcileCodes;
				await sandbox.createOrders(
					newCodes.map((code, index) =>
						kaspiOrder(code, { phone: `7013${String(index).padStart(4, '0')}00` }),
					),
				);
				await Promise.all([shop.poll(WORKFLOW_IDS.amoSync), shop.reconcileOnce()]);
				await waitFor(
					async () => (await shop.dealsFor([...newCodes, ...oldCodes])).length === 160,
					{ timeoutMs: 300_000, intervalMs: 2000, what: 'the 160 deals' },
				);
				await shop.settled();

				const calls = (await sandbox.requests('amocrm', '/api/v4/', seq)).map((call) => ({
					...call,
					ms: Date.parse(/** @type {any} */ (call).at),
				}));
				const syncRun = (await n8n.executions(WORKFLOW_IDS.amoSync))[0];
				const reconcileRun = (await n8n.executions(WORKFLOW_IDS.amoReconcile))[0];
				const workers = [n8n.workerRunning(syncRun.id), n8n.workerRunning(reconcileRun.id)];
				let peak = 0;
				for (let index = 0, start = 0; index < calls.length; index++) {
					while (calls[index].ms - calls[start].ms >= 1000) start++;
					peak = Math.max(peak, index - start + 1);
				}
				const seconds = calls.length ? (calls[calls.length - 1].ms - calls[0].ms) / 1000 : 0;
				console.log(
					`queue mode, amoCRM: ${calls.length} calls in ${seconds.toFixed(1)} s from workers ${workers.join(' and ')}, ` +
						`at most ${peak} in one second, ${AMO_REQUESTS_PER_SECOND_PER_WORKER} per worker`,
				);
				const stats = await shop.amoStats();
				assert.equal(stats.tooManyRequests - statsBefore.tooManyRequests, 0, 'no 429');
				assert.equal(stats.blocked, false);
				assert.ok(peak <= 7, `at most 7 calls in any second (${peak})`);
				assert.equal(
					(await shop.dealsFor([...newCodes, ...oldCodes])).length,
					160,
					'one deal per order',
				);
			},
		);
	},
);

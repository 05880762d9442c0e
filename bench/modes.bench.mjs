// @ts-check
// One shop's workload on n8n as a single process (SQLite) and in queue mode (PostgreSQL, Redis, a
// main process and two workers): the same orders, the same workflows (order → WhatsApp, order →
// amoCRM, order → Webkassa receipts), timed from the orders' creation until the sandbox has every
// message, deal, receipt and receipt link. Figures only; nothing here passes or fails on a timing.
//
//   MODES_BENCH_NEW (default 20)        new orders (a WhatsApp message and a deal each)
//   MODES_BENCH_COMPLETED (default 10)  completed orders (a receipt and a receipt link each)
import { setTimeout as delay } from 'node:timers/promises';

import { kaspiOrder, startShop } from '../test/e2e/lib/shop.mjs';
import { WORKFLOW_IDS } from '../test/e2e/lib/workflows-for-test.mjs';

const NEW_ORDERS = Number(process.env.MODES_BENCH_NEW ?? 20);
const COMPLETED_ORDERS = Number(process.env.MODES_BENCH_COMPLETED ?? 10);

/** @param {Awaited<ReturnType<typeof startShop>>} shop */
async function workload(shop) {
	const newCodes = Array.from({ length: NEW_ORDERS }, (_, index) => String(900_000_001 + index));
	const completedCodes = Array.from({ length: COMPLETED_ORDERS }, (_, index) =>
		String(910_000_001 + index),
	);
	const started = Date.now();
	await shop.sandbox.createOrders([
		...newCodes.map((code, index) =>
			kaspiOrder(code, { phone: `70150${String(index + 1).padStart(5, '0')}` }),
		),
		...completedCodes.map((code, index) =>
			kaspiOrder(code, {
				phone: `70160${String(index + 1).padStart(5, '0')}`,
				state: 'ARCHIVE',
				status: 'COMPLETED',
				minutesAgo: 2 * 24 * 60,
			}),
		),
	]);
	await Promise.all([shop.poll(WORKFLOW_IDS.orderWhatsApp), shop.poll(WORKFLOW_IDS.amoSync)]);
	const done = { messages: 0, deals: 0, receipts: 0 };
	for (;;) {
		const messages = await Promise.all(
			newCodes.map(async (code) => (await shop.notificationsFor(code)).length > 0),
		);
		const links = await Promise.all(
			completedCodes.map(async (code) => (await shop.receiptLinksFor(code)).length > 0),
		);
		done.messages = messages.filter(Boolean).length;
		done.deals = (await shop.dealsFor(newCodes)).length;
		done.receipts = links.filter(Boolean).length;
		if (
			done.messages === NEW_ORDERS &&
			done.deals === NEW_ORDERS &&
			done.receipts === COMPLETED_ORDERS
		)
			break;
		if (Date.now() - started > 15 * 60_000)
			throw new Error(`unfinished after 15 minutes: ${JSON.stringify(done)}`);
		await delay(500);
	}
	return (Date.now() - started) / 1000;
}

export default async function modesBench() {
	console.log(
		`${NEW_ORDERS} new orders (message + deal each), ${COMPLETED_ORDERS} completed orders (receipt + link each)\n`,
	);
	console.log('| n8n | ready after | workload done after |');
	console.log('|---|---|---|');
	for (const queue of [false, true]) {
		const started = Date.now();
		const shop = await startShop({ queue });
		const ready = (Date.now() - started) / 1000;
		try {
			const seconds = await workload(shop);
			console.log(
				`| ${queue ? 'queue mode: main + 2 workers, PostgreSQL, Redis' : 'single process, SQLite'} | ${ready.toFixed(1)} s | ${seconds.toFixed(1)} s |`,
			);
		} finally {
			await shop.close();
		}
	}
}

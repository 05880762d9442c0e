// @ts-check
// The Kaspi side of the receipts workflow (kaspi-webkassa-receipts.json) in a real n8n, against the
// sandbox: how far back it reads Kaspi, the orders it reports once they pass that limit, and where
// the receipt link goes when Kaspi masks a completed order's phone (docs/services/kaspi.md).
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { startSandbox } from '../../sandbox/server.mjs';
import { MASKED_PHONE } from '../../sandbox/services/kaspi-seed.mjs';
import { N8n, packPackage, waitFor } from './lib/harness.mjs';
import { Sandbox, sandboxCredentials, webkassaSandboxCredential } from './lib/sandbox-client.mjs';
import { receiptsForTest, WORKFLOW_IDS } from './lib/workflows-for-test.mjs';

const RECEIPTS_ID = WORKFLOW_IDS.receipts;
const CASHBOX = 'SWK00000002';
const RUN_EVERY_SECONDS = 10;
const DAY_MS = 24 * 3600 * 1000;
/** The shipped default of Settings → lookBackDays. */
const LOOK_BACK_DAYS = 60;

/**
 * The fields of a receipts workflow's Settings node.
 * @param {{ nodes: Array<{ name: string, parameters: Record<string, any> }> }} workflow
 * @returns {Array<{ name: string, type: string, value: unknown }>}
 */
function settingsOf(workflow) {
	return (
		workflow.nodes.find((node) => node.name === 'Settings')?.parameters.assignments.assignments ??
		[]
	);
}

/**
 * A Kaspi order spec with one line and a buyer on WhatsApp.
 * @param {string} code
 * @param {{ state: string, status: string, createdAgoMs: number, phone: string }} details
 */
function order(code, { state, status, createdAgoMs, phone }) {
	return {
		code,
		state,
		status,
		creationDate: Date.now() - createdAgoMs,
		customer: { firstName: 'Айгерим', lastName: 'Сейткали', cellPhone: phone },
		entries: [{ sku: 'ALS77031', name: 'Мышь Logitech M185', quantity: 1, basePrice: 4500 }],
	};
}

describe('Kaspi orders in the receipts workflow, in a real n8n', { timeout: 15 * 60_000 }, () => {
	/** @type {Awaited<ReturnType<typeof startSandbox>>} */
	let sandboxServer;
	/** @type {Sandbox} */
	let sandbox;
	/** @type {N8n} */
	let n8n;

	/** @param {string} code */
	const saleReceipt = async (code) =>
		(await sandbox.http.get('/webkassa/receipts')).data.find(
			(/** @type {any} */ receipt) => receipt.ExternalCheckNumber === `kaspi-${code}-sale`,
		);
	/** @param {string} code */
	const receiptLinks = async (code) =>
		(await sandbox.messages()).filter((message) =>
			(message.text ?? '').includes(`Чек по заказу №${code}`),
		);

	/**
	 * Waits until a run that started after now has finished, so it read every order there is now.
	 * Judged by the executions' own start and stop times: a run reads Kaspi many times (states ×
	 * 14-day windows), so its first request to Kaspi does not mean it has read everything yet, and
	 * n8n's public API leaves running executions out of its list.
	 */
	async function aRunLater() {
		const since = Date.now();
		await waitFor(
			async () =>
				(await n8n.executions(RECEIPTS_ID)).some(
					(execution) => Date.parse(execution.startedAt) >= since && execution.stoppedAt,
				),
			{
				timeoutMs: 4 * RUN_EVERY_SECONDS * 1000 + 120_000,
				what: 'a run started after now, finished',
			},
		);
	}

	/** The messages the failed runs of the receipts workflow ended with. */
	async function failureMessages() {
		const failed = (await n8n.executions(RECEIPTS_ID)).filter(
			(execution) => execution.status === 'error',
		);
		return await Promise.all(
			failed.map(async (execution) => {
				const full = await n8n.api('GET', `/executions/${execution.id}?includeData=true`);
				return String(full.data?.resultData?.error?.message ?? '');
			}),
		);
	}

	before(async () => {
		sandboxServer = await startSandbox({ seed: false });
		sandbox = new Sandbox(sandboxServer.url);
		await sandbox.linkWhatsAppSession();
		await sandbox.http.post('/webkassa/cashboxes', {
			uniqueNumber: CASHBOX,
			registrationNumber: '600000000002',
			name: 'Sandbox shop',
		});
		const tarball = packPackage(mkdtempSync(join(tmpdir(), 'kz-pack-')));
		n8n = await new N8n({ tarball, log: process.env.E2E_VERBOSE ? console.log : undefined }).init();
		n8n.importCredentials([
			...sandboxCredentials(sandboxServer.url),
			webkassaSandboxCredential(sandboxServer.url),
		]);
		const workflow = receiptsForTest({ everySeconds: RUN_EVERY_SECONDS, cashbox: CASHBOX });
		// The rate the sandbox cashbox is registered for; the look-back is left as shipped.
		for (const field of settingsOf(workflow)) if (field.name === 'vatRate') field.value = '16';
		n8n.importWorkflows([workflow]);
		await n8n.start();
	});

	after(async () => {
		await n8n?.dispose();
		await sandboxServer?.close();
	});

	it('Settings ships a look-back of 60 days', () => {
		const workflow = receiptsForTest({ everySeconds: RUN_EVERY_SECONDS, cashbox: CASHBOX });
		const lookBack = settingsOf(workflow).find((field) => field.name === 'lookBackDays');
		assert.deepEqual([lookBack?.type, lookBack?.value], ['number', LOOK_BACK_DAYS]);
	});

	it(
		'an order completed 20 days after it was created still gets its receipt',
		{ timeout: 3 * 60_000 },
		async () => {
			await sandbox.createOrders([
				order('710000001', {
					state: 'ARCHIVE',
					status: 'COMPLETED',
					createdAgoMs: 20 * DAY_MS,
					phone: '7012000001',
				}),
			]);
			const receipt = await waitFor(() => saleReceipt('710000001'), {
				timeoutMs: 90_000,
				what: 'the late order’s receipt',
			});
			assert.equal(receipt.Total, 4500);
		},
	);

	it(
		'the receipt link goes to the phone Kaspi showed while the order was open, not the masked one',
		{ timeout: 4 * 60_000 },
		async () => {
			await sandbox.createOrders([
				order('710000002', {
					state: 'NEW',
					status: 'APPROVED_BY_BANK',
					createdAgoMs: 3 * DAY_MS,
					phone: '7012000002',
				}),
				order('710000003', {
					state: 'ARCHIVE',
					status: 'COMPLETED',
					createdAgoMs: 3 * DAY_MS,
					phone: MASKED_PHONE,
				}),
			]);
			await aRunLater();
			assert.equal(await saleReceipt('710000002'), undefined, 'an open order gets no receipt');
			await sandbox.http.patch('/kaspi/orders/710000002', {
				state: 'ARCHIVE',
				status: 'COMPLETED',
				customer: { cellPhone: MASKED_PHONE },
			});

			const [link] = await waitFor(
				async () => {
					const sent = await receiptLinks('710000002');
					return sent.length ? sent : undefined;
				},
				{ timeoutMs: 90_000, what: 'the receipt link' },
			);
			assert.equal(link.chatId, '77012000002@c.us');
			assert.ok(
				await saleReceipt('710000003'),
				'an order first seen completed still gets its receipt',
			);
			await aRunLater();
			assert.equal((await receiptLinks('710000002')).length, 1, 'the link is sent once');
			assert.deepEqual(
				await receiptLinks('710000003'),
				[],
				'a masked phone never seen open gets no message',
			);
		},
	);

	it(
		'an order still open when it passes the look-back is reported once',
		{ timeout: 4 * 60_000 },
		async () => {
			const margin = 4 * RUN_EVERY_SECONDS * 1000;
			await sandbox.createOrders([
				order('710000004', {
					state: 'PICKUP',
					status: 'ACCEPTED_BY_MERCHANT',
					createdAgoMs: LOOK_BACK_DAYS * DAY_MS - margin,
					phone: '7012000004',
				}),
			]);
			await aRunLater();
			assert.deepEqual(
				(await failureMessages()).filter((message) => message.includes('710000004')),
				[],
				'not reported while it can still complete',
			);

			const reports = await waitFor(
				async () => {
					const found = (await failureMessages()).filter((message) =>
						message.includes('710000004'),
					);
					return found.length ? found : undefined;
				},
				{ timeoutMs: margin + 90_000, what: 'the report' },
			);
			assert.match(reports[0], /passed the 60-day look-back before they got their receipts/);
			assert.match(
				reports[0],
				/710000004 \(created \d{4}-\d{2}-\d{2}, last seen ACCEPTED_BY_MERCHANT\)/,
			);
			assert.doesNotMatch(reports[0], /7012000004/, 'no phone in the report');
			await aRunLater();
			await aRunLater();
			assert.equal(
				(await failureMessages()).filter((message) => message.includes('710000004')).length,
				1,
				'reported once',
			);
		},
	);
});

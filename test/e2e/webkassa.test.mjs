// @ts-check
// Kaspi → Webkassa receipts, end to end: the real pinned n8n runs the shipped workflows
// (kaspi-webkassa-receipts.json, webkassa-token-rotation.json) against the sandbox, and every
// assertion is on what reached the sandbox's Webkassa, Kaspi and WAHA.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';

import { startSandbox } from '../../sandbox/server.mjs';
import { N8n, loadWorkflow, packPackage, waitFor } from './lib/harness.mjs';
import {
	Sandbox,
	sandboxCredentials,
	webkassaCashier,
	webkassaSandboxCredential,
} from './lib/sandbox-client.mjs';
import { receiptsForTest, WORKFLOW_IDS } from './lib/workflows-for-test.mjs';

const RECEIPTS_ID = WORKFLOW_IDS.receipts;
const ROTATION_ID = 'kzWebkassaRotate1';
const ALERTS_ID = 'kzErrorAlerts001';
const CASHBOX = 'SWK00000001';
const RUN_EVERY_SECONDS = 15;
const OPERATOR_PHONE = '+77010000001';

/** The shipped rotation workflow, every 10 s instead of 05:00 (activated only while tested). */
function rotationForTest() {
	const workflow = loadWorkflow('webkassa-token-rotation.json');
	for (const node of workflow.nodes) {
		if (node.name === 'Every day at 05:00') {
			node.parameters.rule = { interval: [{ field: 'seconds', secondsInterval: 10 }] };
		}
	}
	return workflow;
}

/** A stand-in for the error workflow another part of the pack ships: it messages the operator. */
function alertsWorkflow() {
	return {
		id: ALERTS_ID,
		name: 'Alerts (test stand-in)',
		nodes: [
			{
				id: 'e1',
				name: 'Error Trigger',
				type: 'n8n-nodes-base.errorTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'e2',
				name: 'Tell the operator',
				type: 'n8n-nodes-kz-commerce.waha',
				typeVersion: 1,
				position: [220, 0],
				parameters: {
					resource: 'message',
					operation: 'sendText',
					session: { __rl: true, value: 'default', mode: 'name' },
					recipient: OPERATOR_PHONE,
					text: '=ALERT {{ $json.workflow.name }}: {{ $json.execution.error.message }}',
					options: {},
				},
				credentials: { wahaApi: { id: null, name: 'WAHA API' } },
			},
		],
		connections: {
			'Error Trigger': { main: [[{ node: 'Tell the operator', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		active: false,
	};
}

/**
 * A completed (or returned) Kaspi order with two lines.
 * @param {string} code
 * @param {{ status?: string, phone?: string }} [details]
 */
function order(code, { status = 'COMPLETED', phone = `70112${code.slice(-5)}` } = {}) {
	return {
		code,
		state: 'ARCHIVE',
		status,
		creationDate: Date.now() - 2 * 24 * 3600 * 1000,
		customer: { firstName: 'Айгерим', lastName: 'Сейткали', cellPhone: phone },
		entries: [
			{ sku: 'ALS77031', name: 'Мышь Logitech M185', quantity: 2, basePrice: 4500 },
			{ sku: 'ALS100245', name: 'Ноутбук Lenovo IdeaPad 3', quantity: 1, basePrice: 289990 },
		],
	};
}

describe('Kaspi → Webkassa receipts in a real n8n', { timeout: 25 * 60_000 }, () => {
	/** @type {Awaited<ReturnType<typeof startSandbox>>} */
	let sandboxServer;
	/** @type {Sandbox} */
	let sandbox;
	/** @type {N8n} */
	let n8n;

	/** @returns {Promise<any[]>} */
	const receipts = async () => (await sandbox.http.get('/webkassa/receipts')).data;
	/** @returns {Promise<any>} */
	const webkassaState = async () => (await sandbox.http.get('/webkassa/state')).data;
	const alerts = async () =>
		(await sandbox.messages()).filter((message) => message.chatId === '77010000001@c.us');

	/** Waits for `runs` more runs of the receipts workflow to ask Kaspi, then for them to finish. */
	async function moreRuns(runs = 1) {
		// Counted as finished executions (n8n's public API leaves running ones out of its list): one
		// run reads Kaspi many times (states × 14-day windows of the look-back).
		const since = Date.now();
		await waitFor(
			async () =>
				(await n8n.executions(RECEIPTS_ID)).filter(
					(execution) => Date.parse(execution.startedAt) >= since && execution.stoppedAt,
				).length >= runs,
			{
				timeoutMs: (runs + 2) * RUN_EVERY_SECONDS * 1000 + 120_000,
				what: `${runs} more runs, finished`,
			},
		);
	}

	/** Failed runs of the receipts workflow, with the error each one ended with. */
	async function failures() {
		const failed = (await n8n.executions(RECEIPTS_ID)).filter(
			(execution) => execution.status === 'error',
		);
		return await Promise.all(
			failed.map(async (execution) => {
				const full = await n8n.api('GET', `/executions/${execution.id}?includeData=true`);
				const result = full.data?.resultData ?? {};
				return {
					id: execution.id,
					lastNode: result.lastNodeExecuted,
					error: result.error?.message,
					description: result.error?.description,
				};
			}),
		);
	}

	before(async () => {
		sandboxServer = await startSandbox({ seed: false });
		sandbox = new Sandbox(sandboxServer.url);
		await sandbox.linkWhatsAppSession();
		await sandbox.http.post('/webkassa/cashboxes', {
			uniqueNumber: CASHBOX,
			registrationNumber: '600000000001',
			name: 'Sandbox shop',
		});
		const tarball = packPackage(mkdtempSync(join(tmpdir(), 'kz-pack-')));
		n8n = await new N8n({ tarball, log: process.env.E2E_VERBOSE ? console.log : undefined }).init();
		n8n.importCredentials([
			...sandboxCredentials(sandboxServer.url),
			webkassaSandboxCredential(sandboxServer.url),
		]);
		// The daily Z-report needs an SMTP server; it is imported (as shipped) but not run here.
		n8n.importWorkflows(
			[alertsWorkflow(), rotationForTest(), loadWorkflow('webkassa-daily-z-report.json')],
			{ activate: false },
		);
		n8n.importWorkflows([receiptsForTest({ everySeconds: RUN_EVERY_SECONDS, cashbox: CASHBOX })]);
		await n8n.start();
	});

	after(async () => {
		await n8n?.dispose();
		await sandboxServer?.close();
	});

	it(
		'1. ten completed orders give ten receipts, and the buyers get the receipt link',
		{ timeout: 5 * 60_000 },
		async () => {
			const codes = Array.from({ length: 10 }, (_, index) => String(700000001 + index));
			await sandbox.createOrders(codes.map((code) => order(code)));
			const made = await waitFor(
				async () => {
					const list = await receipts();
					return list.length >= 10 ? list : undefined;
				},
				{ timeoutMs: 180_000, what: 'ten receipts' },
			);
			assert.deepEqual(
				made.map((receipt) => receipt.ExternalCheckNumber).sort(),
				codes.map((code) => `kaspi-${code}-sale`),
			);
			for (const receipt of made) {
				assert.equal(receipt.OperationType, 2);
				assert.equal(receipt.Total, 298990);
				assert.equal(receipt.Positions[1].Tax, 39998.62);
				assert.equal(receipt.Positions[1].TaxPercent, 16);
			}
			const links = await waitFor(
				async () => {
					const sent = (await sandbox.messages()).filter((message) =>
						/Чек по заказу/.test(message.text ?? ''),
					);
					return sent.length >= 10 ? sent : undefined;
				},
				{ timeoutMs: 120_000, what: 'ten receipt links' },
			);
			assert.match(links[0].text ?? '', /\/webkassa\/consumer\?i=\d+/);
		},
	);

	it('2. a rerun gives no new receipt', { timeout: 3 * 60_000 }, async () => {
		await moreRuns(2);
		const checksBefore = (await sandbox.requests('webkassa', '/Check')).length;
		await moreRuns(2);
		assert.equal((await receipts()).length, 10);
		assert.equal(
			(await sandbox.requests('webkassa', '/Check')).length,
			checksBefore,
			'receipted orders are not sent again',
		);
		assert.equal(
			(await sandbox.messages()).filter((message) => /Чек по заказу/.test(message.text ?? ''))
				.length,
			10,
		);
	});

	it(
		'3. a timeout after the receipt was stored, then the retry, gives one receipt',
		{ timeout: 5 * 60_000 },
		async () => {
			// Longer than the node's 30 s timeout: the first answer never arrives in time.
			await sandbox.http.post('/webkassa/faults/after-store', {
				kind: 'timeout',
				delayMs: 45_000,
				method: 'Check',
			});
			await sandbox.createOrders([order('700000011')]);
			await waitFor(async () => (await receipts()).length === 11, {
				timeoutMs: 90_000,
				what: 'the stored receipt',
			});
			const checks = await waitFor(
				async () => {
					const sent = (await sandbox.requests('webkassa', '/Check')).filter(
						(request) => request.body?.ExternalCheckNumber === 'kaspi-700000011-sale',
					);
					return sent.length >= 2 && sent.every((request) => request.status !== null)
						? sent
						: undefined;
				},
				{ timeoutMs: 150_000, intervalMs: 1000, what: 'the retry and its answer' },
			);
			assert.ok(
				checks.some((request) => request.status === 200),
				'the retry was answered',
			);
			await moreRuns(1);
			const mine = (await receipts()).filter(
				(receipt) => receipt.ExternalCheckNumber === 'kaspi-700000011-sale',
			);
			assert.equal(mine.length, 1);
			assert.equal((await receipts()).length, 11);
			assert.deepEqual(await failures(), [], 'the lost answer fails no run');
		},
	);

	it(
		'4. a token that expires mid-run is renewed once, and every receipt is made',
		{ timeout: 4 * 60_000 },
		async () => {
			const loginsBefore = (await webkassaState()).logins;
			await sandbox.http.post('/webkassa/tokens/expire', { afterCalls: 2 });
			const codes = ['700000012', '700000013', '700000014', '700000015', '700000016'];
			await sandbox.createOrders(codes.map((code) => order(code)));
			await waitFor(async () => (await receipts()).length === 16, {
				timeoutMs: 120_000,
				what: 'five more receipts',
			});
			const expired = (await sandbox.requests('webkassa', '/Check')).filter((request) =>
				codes.some((code) => request.body?.ExternalCheckNumber === `kaspi-${code}-sale`),
			);
			assert.ok(expired.length > codes.length, 'one Check was refused with code 2 and retried');
			assert.equal((await webkassaState()).logins, loginsBefore + 1, 'exactly one new login');
		},
	);

	it(
		'5. the rotation renews the token and the receipts keep working right after',
		{ timeout: 4 * 60_000 },
		async () => {
			const loginsBefore = (await webkassaState()).logins;
			await n8n.api('POST', `/workflows/${ROTATION_ID}/activate`);
			const rotation = await waitFor(
				async () => {
					const done = (await n8n.executions(ROTATION_ID)).filter(
						(execution) => execution.status === 'success',
					);
					return done.length > 0 ? done : undefined;
				},
				{ timeoutMs: 90_000, what: 'a successful rotation' },
			);
			await n8n.api('POST', `/workflows/${ROTATION_ID}/deactivate`);
			assert.ok(rotation.length >= 1);
			await delay(3000);
			await n8n.settled([ROTATION_ID]);
			const loginsAfterRotation = (await webkassaState()).logins;
			assert.ok(loginsAfterRotation > loginsBefore, 'the rotation logged in');
			const alertsBefore = (await alerts()).length;
			assert.equal(alertsBefore, 0, 'no alert so far');

			await sandbox.createOrders([order('700000017'), order('700000018')]);
			await waitFor(async () => (await receipts()).length === 18, {
				timeoutMs: 90_000,
				what: 'two receipts after the rotation',
			});
			assert.equal(
				(await webkassaState()).logins,
				loginsAfterRotation,
				'the receipts used the rotated token: no new login',
			);
			assert.equal((await alerts()).length, alertsBefore, 'a healthy rotation raises no alert');
		},
	);

	/** Runs the rotation until one new run has finished, then stops it; returns the new finished runs. */
	async function rotateOnce() {
		const before = new Set((await n8n.executions(ROTATION_ID)).map((execution) => execution.id));
		await n8n.api('POST', `/workflows/${ROTATION_ID}/activate`);
		const finished = async () =>
			(await n8n.executions(ROTATION_ID)).filter(
				(execution) =>
					!before.has(execution.id) && execution.status !== 'running' && execution.status !== 'new',
			);
		await waitFor(async () => ((await finished()).length > 0 ? true : undefined), {
			timeoutMs: 90_000,
			what: 'a rotation run',
		});
		await n8n.api('POST', `/workflows/${ROTATION_ID}/deactivate`);
		await n8n.settled([ROTATION_ID]);
		return await finished();
	}

	it(
		'5a. after several shifts, a returned order finds its sale in the newest shifts and gets a return receipt',
		{ timeout: 5 * 60_000 },
		async () => {
			// Webkassa lists shifts oldest first: with four closed shifts behind it, the sale is in shift 5.
			const cashier = webkassaCashier(sandboxServer.url);
			await cashier.call('ZReport', { CashboxUniqueNumber: CASHBOX });
			for (const shift of [2, 3, 4]) {
				await cashier.call('Check', {
					CashboxUniqueNumber: CASHBOX,
					OperationType: 2,
					Positions: [
						{ Count: 1, Price: 1000, Tax: 0, TaxType: 0, PositionName: 'Пакет', UnitCode: 796 },
					],
					Payments: [{ Sum: 1000, PaymentType: 0 }],
					Change: 0,
					RoundType: 0,
					ExternalCheckNumber: `e2e-shift-${shift}`,
				});
				await cashier.call('ZReport', { CashboxUniqueNumber: CASHBOX });
			}
			const alertsBefore = (await alerts()).length;
			await sandbox.createOrders([order('700000021', { status: 'RETURNED' })]);
			const made = await waitFor(
				async () => {
					const list = (await receipts()).filter((receipt) =>
						receipt.ExternalCheckNumber.startsWith('kaspi-700000021-'),
					);
					return list.length === 2 ? list : undefined;
				},
				{ timeoutMs: 120_000, what: 'the sale and the return receipt' },
			).catch(async (error) => {
				console.log(JSON.stringify(await failures()).slice(0, 2000));
				throw error;
			});
			const sale = made.find((receipt) => receipt.OperationType === 2);
			const refund = made.find((receipt) => receipt.OperationType === 3);
			assert.equal(sale.ShiftNumber, 5);
			assert.deepEqual(refund.ReturnBasisDetails, {
				CheckNumber: sale.Number,
				DateTime: new Date(Math.floor(Date.parse(sale.registeredAt) / 1000) * 1000).toISOString(),
				RegistrationNumber: '600000000001',
				Total: sale.Total,
				IsOffline: false,
			});
			assert.equal((await alerts()).length, alertsBefore, 'no alert');
		},
	);

	it(
		'5b. the rotation alerts on a shift open for over 20 hours, though older shifts are closed',
		{ timeout: 4 * 60_000 },
		async () => {
			const alertsBefore = (await alerts()).length;
			await sandbox.http.post(`/webkassa/cashboxes/${CASHBOX}/shift`, { openedHoursAgo: 21 });
			const runs = await rotateOnce();
			assert.ok(
				runs.length >= 1 && runs.every((execution) => execution.status === 'error'),
				'the rotation runs failed',
			);
			const alerted = await waitFor(
				async () => {
					const list = (await alerts()).slice(alertsBefore);
					return list.length > 0 ? list : undefined;
				},
				{ timeoutMs: 60_000, what: 'the alert' },
			);
			assert.match(alerted[0].text ?? '', /shift 5 has been open for 2\d(\.\d)? h/);
			await sandbox.http.post(`/webkassa/cashboxes/${CASHBOX}/shift`, { openedHoursAgo: 0 });
		},
	);

	it('6. a wrong password yields an alert, not a crash loop', { timeout: 5 * 60_000 }, async () => {
		const loginsBefore = await sandbox.requests('webkassa', '/Authorize');
		const receiptsBefore = (await receipts()).length;
		const alertsBefore = (await alerts()).length;
		await sandbox.http.post('/webkassa/cashier', { password: 'changed-in-the-cabinet' });
		await sandbox.http.post('/webkassa/tokens/expire', {});
		await sandbox.createOrders([order('700000019'), order('700000020')]);
		const alerted = await waitFor(
			async () => {
				const list = (await alerts()).slice(alertsBefore);
				return list.length > 0 ? list : undefined;
			},
			{ timeoutMs: 120_000, what: 'an alert' },
		).catch(async (error) => {
			const runs = await n8n.executions(RECEIPTS_ID);
			const alertRuns = await n8n.executions(ALERTS_ID);
			console.log(
				'receipts runs',
				runs.slice(0, 5).map((run) => run.status),
				'alert runs',
				alertRuns.map((run) => run.status),
			);
			const failedRun = runs.find((run) => run.status === 'error');
			if (failedRun)
				console.log(
					JSON.stringify(
						(await n8n.api('GET', `/executions/${failedRun.id}?includeData=true`)).data?.resultData
							?.error ?? {},
					).slice(0, 1500),
				);
			throw error;
		});
		assert.match(
			alerted[0].text ?? '',
			/ALERT Kaspi order → Webkassa receipt: .*wrong login or password \(code 1\)/,
		);
		await moreRuns(3);
		const attempts = (await sandbox.requests('webkassa', '/Authorize')).slice(loginsBefore.length);
		assert.equal(
			attempts.length,
			1,
			'the refused password is not tried again on every item and run',
		);
		assert.equal((await receipts()).length, receiptsBefore);
		const failed = (await n8n.executions(RECEIPTS_ID)).filter(
			(execution) => execution.status === 'error',
		);
		assert.ok(failed.length >= 1, 'the runs fail visibly');
		assert.ok(n8n.process && n8n.process.exitCode === null, 'n8n keeps running');
	});
	it(
		'7. the credential test logs in, and names a wrong login or password',
		{ timeout: 2 * 60_000 },
		async () => {
			const credential = webkassaSandboxCredential(sandboxServer.url);
			const test = async (/** @type {string} */ password) =>
				(
					await n8n.rest('POST', '/rest/credentials/test', {
						credentials: { ...credential, data: { ...credential.data, password } },
					})
				).data;
			const wrong = await test('not-the-password');
			assert.equal(wrong.status, 'Error');
			assert.match(wrong.message, /wrong login or password \(code 1\)/);
			// Test 6 changed the password in the sandbox's "cabinet".
			const right = await test('changed-in-the-cabinet');
			assert.deepEqual(right, { status: 'OK', message: 'Connection successful!' });
		},
	);
});

// @ts-check
// Webkassa daily Z-report, end to end: the real pinned n8n runs workflows/webkassa-daily-z-report.json
// against the sandbox's Webkassa and an SMTP sink. The only change to the shipped workflow is its
// trigger: the 23:50 Schedule Trigger becomes a Webhook, so each "night" runs on demand and the
// call returns when the run has finished. Every assertion is on what reached the sandbox or the sink.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { startSandbox } from '../../sandbox/server.mjs';
import { startSmtpSink } from './lib/alert-sinks.mjs';
import { N8n, loadWorkflow, packPackage, waitFor } from './lib/harness.mjs';
import { Sandbox, webkassaCashier, webkassaSandboxCredential } from './lib/sandbox-client.mjs';

const ZREPORT_ID = 'kzWebkassaDailyZ1';
const ALERTS_ID = 'kzErrorAlerts001';
const TRIGGER_NAME = 'Every day at 23:50';
const HOOK_PATH = 'test-z-report';
/** The shipped Settings are left as they are; the sandbox gets a cashbox with that number. */
const CASHBOX = 'SWK00000000';
const EMAIL_TO = 'owner@example.kz';
const EMAIL_FROM = 'n8n@example.kz';

/** The shipped workflow with its schedule swapped for a Webhook (same name, same connections). */
function zReportForTest() {
	const workflow = loadWorkflow('webkassa-daily-z-report.json');
	const trigger = workflow.nodes.find((node) => node.name === TRIGGER_NAME);
	assert.ok(trigger, `the shipped workflow has the trigger "${TRIGGER_NAME}"`);
	Object.assign(trigger, {
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		parameters: { httpMethod: 'POST', path: HOOK_PATH, responseMode: 'lastNode', options: {} },
		webhookId: `test-${HOOK_PATH}`,
	});
	return workflow;
}

/** A stand-in for the error workflow the pack ships: it only records that it ran. */
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
				name: 'Alert recorded',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [220, 0],
				parameters: {},
			},
		],
		connections: {
			'Error Trigger': { main: [[{ node: 'Alert recorded', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		active: false,
	};
}

/**
 * Decodes a quoted-printable text (soft breaks joined, =XX bytes as UTF-8).
 * @param {string} text
 */
function decodeQuotedPrintable(text) {
	const joined = text.replace(/=\r?\n/g, '');
	/** @type {number[]} */
	const bytes = [];
	for (let index = 0; index < joined.length; index++) {
		const hex = joined.slice(index + 1, index + 3);
		if (joined[index] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
			bytes.push(parseInt(hex, 16));
			index += 2;
		} else bytes.push(...Buffer.from(joined[index], 'utf8'));
	}
	return Buffer.from(bytes).toString('utf8');
}

/**
 * A received single-part mail as its reader sees it: decoded subject and body text.
 * @param {string} data
 */
function readMail(data) {
	const split = data.indexOf('\n\n');
	const head = data.slice(0, split).replace(/\n[ \t]+/g, ' ');
	const rawBody = data.slice(split + 2);
	/** @param {string} name */
	const header = (name) =>
		head
			.split('\n')
			.find((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}:`))
			?.slice(name.length + 1)
			.trim() ?? '';
	const subject = header('Subject')
		.replace(/\?=\s+=\?/g, '?==?')
		.replace(/=\?utf-8\?([QB])\?([^?]*)\?=/gi, (_, kind, encoded) =>
			kind.toUpperCase() === 'B'
				? Buffer.from(encoded, 'base64').toString('utf8')
				: decodeQuotedPrintable(encoded.replace(/_/g, ' ')),
		);
	const encoding = header('Content-Transfer-Encoding').toLowerCase();
	const body =
		encoding === 'quoted-printable'
			? decodeQuotedPrintable(rawBody)
			: encoding === 'base64'
				? Buffer.from(rawBody.replace(/\s+/g, ''), 'base64').toString('utf8')
				: rawBody;
	return { subject, body: body.replace(/\r\n/g, '\n'), contentType: header('Content-Type') };
}

describe('Webkassa daily Z-report in a real n8n', { timeout: 10 * 60_000 }, () => {
	/** @type {Awaited<ReturnType<typeof startSandbox>>} */
	let sandboxServer;
	/** @type {Sandbox} */
	let sandbox;
	/** @type {N8n} */
	let n8n;
	/** @type {Awaited<ReturnType<typeof startSmtpSink>>} */
	let smtp;

	/** The cashbox's shifts as the sandbox holds them. */
	const shifts = async () => {
		const { data } = await sandbox.http.get('/webkassa/state');
		const cashbox = data.cashboxes.find(
			(/** @type {any} */ candidate) => candidate.uniqueNumber === CASHBOX,
		);
		assert.ok(cashbox, `the sandbox has cashbox ${CASHBOX}`);
		return /** @type {Array<{ shiftNumber: number, openedAt: string, closedAt: string | null, cash: number }>} */ (
			cashbox.shifts
		);
	};

	/**
	 * Fires "the night" once, waits for the run, and returns its execution with data.
	 * @returns {Promise<{ status: string, runData: Record<string, any>, sinceSeq: number, response: string }>}
	 */
	async function runTheNight() {
		const sinceSeq = await sandbox.lastSeq();
		const before = new Set((await n8n.executions(ZREPORT_ID)).map((execution) => execution.id));
		const response = await fetch(`${n8n.url}/webhook/${HOOK_PATH}`, { method: 'POST' });
		const text = await response.text();
		assert.equal(
			response.status,
			200,
			`the run answered ${response.status}: ${text.slice(0, 500)}`,
		);
		const execution = await waitFor(
			async () => {
				const fresh = (await n8n.executions(ZREPORT_ID)).filter(
					(candidate) => !before.has(candidate.id),
				);
				return fresh.length === 1 && fresh[0].status !== 'running' && fresh[0].status !== 'new'
					? fresh[0]
					: undefined;
			},
			{ timeoutMs: 120_000, what: 'the Z-report run to finish' },
		);
		const full = await n8n.api('GET', `/executions/${execution.id}?includeData=true`);
		return {
			status: execution.status,
			runData: full.data?.resultData?.runData ?? {},
			sinceSeq,
			response: text,
		};
	}

	before(async () => {
		sandboxServer = await startSandbox({ seed: false });
		sandbox = new Sandbox(sandboxServer.url);
		smtp = await startSmtpSink();
		await sandbox.http.post('/webkassa/cashboxes', {
			uniqueNumber: CASHBOX,
			registrationNumber: '600000000009',
			name: 'Z-report shop',
		});
		const tarball = packPackage(mkdtempSync(join(tmpdir(), 'kz-pack-')));
		n8n = await new N8n({ tarball, log: process.env.E2E_VERBOSE ? console.log : undefined }).init();
		n8n.importCredentials([
			webkassaSandboxCredential(sandboxServer.url),
			{
				id: 'kzSmtpSinkZrep01',
				name: 'SMTP account',
				type: 'smtp',
				data: {
					user: '',
					password: '',
					host: '127.0.0.1',
					port: smtp.port,
					secure: false,
					disableStartTls: true,
					hostName: '',
				},
			},
		]);
		n8n.importWorkflows([alertsWorkflow()], { activate: false });
		n8n.importWorkflows([zReportForTest()]);
		await n8n.start();
	});

	after(async () => {
		await n8n?.dispose();
		await sandboxServer?.close();
		await smtp?.close();
	});

	it(
		'0. a new cashbox that never had a shift: Webkassa answers 13, nothing is closed and nothing is e-mailed',
		{ timeout: 3 * 60_000 },
		async () => {
			assert.deepEqual(await shifts(), []);
			const run = await runTheNight();
			assert.equal(run.status, 'success', 'no shift is not a failure');
			assert.ok(run.runData['Nothing to close'], 'the run took the "nothing to close" branch');
			const refusal = run.runData['Close shift (Z-report)']?.[0]?.data?.main?.[1]?.[0]?.json;
			assert.match(
				String(refusal?.error),
				/Webkassa error 13/,
				'Webkassa answered "no shift found"',
			);
			assert.equal(smtp.mails.length, 0, 'no e-mail');
			assert.equal((await n8n.executions(ALERTS_ID)).length, 0, 'no alert');
		},
	);

	it(
		'1. a day with sales: the shift is closed with a Z-report and its figures are e-mailed',
		{ timeout: 3 * 60_000 },
		async () => {
			// The day: a cash sale (VAT 16 %), a card sale without VAT, and cash put into the drawer.
			const cashier = webkassaCashier(sandboxServer.url);
			const cashSale = await cashier.call('Check', {
				CashboxUniqueNumber: CASHBOX,
				OperationType: 2,
				Positions: [
					{
						Count: 2,
						Price: 5000,
						Tax: 1379.31,
						TaxType: 100,
						TaxPercent: 16,
						PositionName: 'Мышь Logitech M185',
						UnitCode: 796,
					},
				],
				Payments: [{ Sum: 10000, PaymentType: 0 }],
				Change: 0,
				RoundType: 2,
				ExternalCheckNumber: 'zreport-e2e-sale-1',
			});
			await cashier.call('Check', {
				CashboxUniqueNumber: CASHBOX,
				OperationType: 2,
				Positions: [
					{
						Count: 1,
						Price: 2500,
						Tax: 0,
						TaxType: 0,
						PositionName: 'Коврик для мыши',
						UnitCode: 796,
					},
				],
				Payments: [{ Sum: 2500, PaymentType: 1 }],
				Change: 0,
				RoundType: 2,
				ExternalCheckNumber: 'zreport-e2e-sale-2',
			});
			await cashier.call('MoneyOperation', {
				CashboxUniqueNumber: CASHBOX,
				OperationType: 0,
				Sum: 3000,
				ExternalCheckNumber: 'zreport-e2e-in-1',
			});
			const open = await shifts();
			assert.equal(open.length, 1);
			assert.equal(open[0].shiftNumber, cashSale.ShiftNumber);
			assert.equal(open[0].closedAt, null, 'the shift is open before the night');
			const shiftNumber = open[0].shiftNumber;

			const run = await runTheNight();
			assert.equal(run.status, 'success');
			assert.ok(run.runData['E-mail the Z-report'], 'the e-mail node ran');
			assert.equal(run.runData['No shift open today?'], undefined, 'the error branch did not run');

			// Webkassa: n8n logs in again (the cashier's direct login above ended its token), then one ZReport.
			const seen = await sandbox.requests('webkassa', undefined, run.sinceSeq);
			assert.deepEqual(
				seen.map((request) => request.path),
				['/api/v4/ZReport', '/api/v4/Authorize', '/api/v4/ZReport'],
				'a refused ZReport, a login, then the ZReport',
			);
			const calls = seen.filter((request) => request.path.endsWith('/ZReport'));
			assert.equal(calls[0].body?.CashboxUniqueNumber, CASHBOX);
			assert.equal(calls[0].status, 200);
			const closed = await shifts();
			assert.equal(closed.length, 1);
			assert.equal(closed[0].shiftNumber, shiftNumber);
			assert.ok(closed[0].closedAt, 'the shift is closed in Webkassa');

			// The e-mail, as the SMTP server received it.
			const mail = await waitFor(async () => (smtp.mails.length > 0 ? smtp.mails[0] : undefined), {
				timeoutMs: 30_000,
				what: 'the e-mail',
			});
			assert.equal(smtp.mails.length, 1, 'one e-mail');
			assert.match(mail.from, new RegExp(`<${EMAIL_FROM}>`));
			assert.deepEqual(
				mail.to.map((address) => address.replace(/^<|>.*$/g, '')),
				[EMAIL_TO],
			);
			const { subject, body, contentType } = readMail(mail.data);
			assert.match(contentType, /^text\/plain/, 'a plain-text e-mail');
			assert.equal(subject, `Z-report №1, cashbox ${CASHBOX}, shift ${shiftNumber}`);
			for (const line of [
				`Shift ${shiftNumber} of cashbox ${CASHBOX} is closed.`,
				'Documents: 3',
				'Sales: 2 receipts, 12500 ₸ (VAT 1379.31 ₸)',
				'Returns: 0 receipts, 0 ₸',
				'Cash put in: 3000 ₸, taken out: 0 ₸',
				'Cash in the drawer: 13000 ₸',
			]) {
				assert.ok(body.includes(line), `the e-mail says "${line}"; it reads:\n${body}`);
			}
			assert.match(body, /^Opened: \S.+$/m, 'the opening time is filled in');
			assert.match(body, /^Closed: \S.+$/m, 'the closing time is filled in');
			assert.equal((await n8n.executions(ALERTS_ID)).length, 0, 'no alert');
		},
	);

	it(
		'2. the next day without sales: the last shift is already closed (code 12), nothing is closed and nothing is e-mailed',
		{ timeout: 3 * 60_000 },
		async () => {
			// The shift test 1 closed stays closed: no sale today opened a new one.
			const before = await shifts();
			assert.equal(before.length, 1);
			assert.ok(before[0].closedAt, 'yesterday’s shift is closed');
			const mailsBefore = smtp.mails.length;
			const run = await runTheNight();
			assert.equal(run.status, 'success', 'no open shift is not a failure');
			assert.ok(run.runData['Nothing to close'], 'the run took the "nothing to close" branch');
			assert.equal(run.runData['E-mail the Z-report'], undefined, 'the e-mail node did not run');
			assert.equal(run.runData['Z-report failed'], undefined, 'the failure branch did not run');
			const refusal = run.runData['Close shift (Z-report)']?.[0]?.data?.main?.[1]?.[0]?.json;
			assert.match(
				String(refusal?.error),
				/Webkassa error 12/,
				'Webkassa answered "the shift is already closed"',
			);
			// The workflow learns that there is no shift from the Z-report's own answer (code 12), so
			// exactly one ZReport reaches Webkassa, and it closes nothing.
			const calls = await sandbox.requests('webkassa', undefined, run.sinceSeq);
			assert.deepEqual(
				calls.map((request) => request.path),
				['/api/v4/ZReport'],
				'one ZReport call, nothing else',
			);
			assert.equal(calls[0].body?.CashboxUniqueNumber, CASHBOX);
			assert.equal(calls[0].status, 200, 'refused the Webkassa way: HTTP 200 with code 12');
			assert.deepEqual(await shifts(), before, 'no shift opened or closed');
			assert.equal(smtp.mails.length, mailsBefore, 'no e-mail');
			assert.equal((await n8n.executions(ALERTS_ID)).length, 0, 'no alert');
		},
	);
});

// @ts-check
// Kaspi → amoCRM, end to end: the real pinned n8n runs workflows/kaspi-amocrm-sync.json and
// kaspi-amocrm-reconcile.json against the sandbox's Kaspi and amoCRM, with the OAuth2 credential
// (code exchange, refresh with rotation). Every assertion is on what reached the sandbox.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';

import { startSandbox } from '../../sandbox/server.mjs';
import { SEED } from '../../sandbox/services/amocrm.mjs';
import { alertSinkCredentials, startSmtpSink, startTelegramSink } from './lib/alert-sinks.mjs';
import { N8n, packPackage, waitFor } from './lib/harness.mjs';
import { amoCrmSandboxCredential, Sandbox, sandboxCredentials } from './lib/sandbox-client.mjs';
import {
	amoWorkflowsForTest,
	errorAlertsForTest,
	WORKFLOW_IDS,
} from './lib/workflows-for-test.mjs';

const SYNC_ID = WORKFLOW_IDS.amoSync;
const RECONCILE_ID = WORKFLOW_IDS.amoReconcile;
const ERRORS_ID = WORKFLOW_IDS.errorAlerts;
const RECONCILE_SECONDS = 15;
const BACKLOG_THRESHOLD = 2;
const ALERT_CHAT = '-1001234567890';
const ALERT_TO = 'owner@shop.test';

/**
 * A mail's text with quoted-printable soft line breaks joined, as a reader sees it.
 * @param {string} data
 */
const mailText = (data) => data.replace(/=\n/g, '');

/**
 * @param {string} code
 * @param {number} buyer
 */
function order(code, buyer) {
	return {
		code,
		state: 'NEW',
		status: 'APPROVED_BY_BANK',
		// Older than the 10 minutes the reconcile workflow leaves to the sync workflow.
		creationDate: Date.now() - 15 * 60_000,
		customer: {
			firstName: 'Покупатель',
			lastName: String(buyer),
			cellPhone: `701${String(buyer).padStart(7, '0')}`,
		},
		entries: [
			{ sku: `SKU-${buyer % 7}`, name: `Товар ${buyer % 7}`, quantity: 1, basePrice: 5000 },
			{
				sku: `SKU-${(buyer + 1) % 7}`,
				name: `Товар ${(buyer + 1) % 7}`,
				quantity: 2,
				basePrice: 2500,
			},
		],
	};
}

describe('Kaspi → amoCRM deals in a real n8n', { timeout: 25 * 60_000 }, () => {
	/** @type {Awaited<ReturnType<typeof startSandbox>>} */
	let sandboxServer;
	/** @type {Sandbox} */
	let sandbox;
	/** @type {N8n} */
	let n8n;
	/** @type {Awaited<ReturnType<typeof startTelegramSink>>} */
	let telegram;
	/** @type {Awaited<ReturnType<typeof startSmtpSink>>} */
	let smtp;

	/** @returns {Promise<{ leads: any[], contacts: any[], notes: any[] }>} */
	const amo = async () => (await sandbox.http.get('/amocrm/data')).data;
	/** @returns {Promise<any>} */
	const stats = async () => (await sandbox.http.get('/amocrm/stats')).data;
	const writes = (/** @type {any} */ counts) =>
		Object.entries(counts)
			.filter(([route]) => !route.startsWith('GET'))
			.reduce((sum, [, count]) => sum + Number(count), 0);

	async function poll() {
		const before = await sandbox.lastSeq();
		await n8n.pollNow(SYNC_ID);
		await waitFor(async () => (await sandbox.requests('kaspi', '/orders', before)).length > 0, {
			what: 'a poll',
		});
	}

	/** @param {string} workflowId */
	const settled = (workflowId) => n8n.settled([workflowId], { timeoutMs: 180_000 });

	/** Runs the reconcile workflow once (its schedule is shortened) and waits for that run. */
	const reconcileOnce = () =>
		n8n.runScheduleOnce(RECONCILE_ID, { everySeconds: RECONCILE_SECONDS });

	/** @param {string[]} codes */
	async function leadsFor(codes) {
		const { leads } = await amo();
		return leads.filter((lead) =>
			codes.includes(
				String(
					lead.custom_fields_values?.find(
						(/** @type {any} */ field) => field.field_id === SEED.orderCodeFieldId,
					)?.values[0].value,
				),
			),
		);
	}

	before(async () => {
		sandboxServer = await startSandbox({ seed: false });
		sandbox = new Sandbox(sandboxServer.url);
		telegram = await startTelegramSink();
		smtp = await startSmtpSink();
		const { data: oauth } = await sandbox.http.post('/amocrm/oauth/code');
		const tarball = packPackage(mkdtempSync(join(tmpdir(), 'kz-pack-')));
		n8n = await new N8n({ tarball, log: process.env.E2E_VERBOSE ? console.log : undefined }).init();
		n8n.importCredentials([
			...sandboxCredentials(sandboxServer.url),
			amoCrmSandboxCredential(sandboxServer.url, oauth),
			...alertSinkCredentials(telegram, smtp),
		]);
		const { sync, reconcile } = amoWorkflowsForTest({
			reconcileSeconds: RECONCILE_SECONDS,
			backlogThreshold: BACKLOG_THRESHOLD,
		});
		const errors = errorAlertsForTest({ telegramChat: ALERT_CHAT, email: ALERT_TO });
		n8n.importWorkflows([errors, reconcile], { activate: false });
		n8n.importWorkflows([sync]);
		await n8n.start();
		// The first poll only records the orders already there; its memory must be stored before
		// orders are created, or a re-activation would take them for old ones.
		await waitFor(async () => Object.keys(await n8n.staticData(SYNC_ID)).length > 0, {
			timeoutMs: 120_000,
			what: 'the first poll’s memory',
		});
	});

	after(async () => {
		await n8n?.dispose();
		await sandboxServer?.close();
		await telegram?.close();
		await smtp?.close();
	});

	it('imports the three workflows, the sync one pointing at the error workflow', async () => {
		for (const id of [SYNC_ID, RECONCILE_ID, ERRORS_ID]) {
			const workflow = await n8n.api('GET', `/workflows/${id}`);
			assert.equal(workflow.id, id);
		}
		assert.equal((await n8n.api('GET', `/workflows/${SYNC_ID}`)).settings.errorWorkflow, ERRORS_ID);
	});

	const first = Array.from({ length: 120 }, (_, index) =>
		order(String(710_000_000 + index), index % 80),
	);

	it(
		'1. 120 orders from 80 phones make 120 deals and 80 contacts, no duplicates',
		{ timeout: 8 * 60_000 },
		async () => {
			await sandbox.createOrders(first);
			await poll();
			await waitFor(
				async () => (await amo()).leads.length >= 120 && (await amo()).notes.length >= 120,
				{
					timeoutMs: 240_000,
					intervalMs: 1000,
					what: '120 deals',
				},
			);
			await settled(SYNC_ID);
			await delay(2000);
			const { leads, contacts, notes } = await amo();
			assert.equal(leads.length, 120);
			assert.equal(contacts.length, 80);
			const codes = leads.map((lead) => lead.custom_fields_values[0].values[0].value);
			assert.equal(new Set(codes).size, 120);
			const phones = contacts.map((contact) => contact.custom_fields_values[0].values[0].value);
			assert.equal(new Set(phones).size, 80);
			assert.ok(
				leads.every(
					(lead) =>
						lead._embedded.contacts.length === 1 && lead._embedded.catalog_elements.length === 2,
				),
			);
			assert.ok(
				leads.every((lead) =>
					lead._embedded.tags.some((/** @type {any} */ tag) => tag.name === 'kaspi:NEW'),
				),
			);
			assert.equal(notes.length, 120);
			assert.ok(!JSON.stringify(notes).includes('7010000001'), 'notes never carry a full phone');
		},
	);

	it(
		'2. a second run (the reconcile workflow over the same orders) changes nothing',
		{ timeout: 4 * 60_000 },
		async () => {
			const before = await stats();
			const execution = await reconcileOnce();
			assert.equal(execution.status, 'success');
			const afterRun = await stats();
			assert.equal(writes(afterRun.counts), writes(before.counts), 'no write request');
			assert.equal((await amo()).leads.length, 120);
		},
	);

	it(
		'3. a crash between deal creation and the node’s bookkeeping creates no duplicate on re-run',
		{ timeout: 6 * 60_000 },
		async () => {
			const crashOrders = Array.from({ length: 5 }, (_, index) =>
				order(String(720_000_000 + index), 200 + index),
			);
			await sandbox.fault({
				service: 'amocrm',
				fault: 'http5xx',
				status: 500,
				pathContains: '/leads/notes',
				times: 1,
			});
			await sandbox.createOrders(crashOrders);
			await poll();
			const codes = crashOrders.map((entry) => entry.code);
			await waitFor(async () => (await leadsFor(codes)).length === 5, {
				timeoutMs: 120_000,
				what: 'the deals of the crashed run',
			});
			await settled(SYNC_ID);
			assert.ok(
				(await leadsFor(codes)).every((lead) => lead._embedded.catalog_elements.length === 0),
				'the run stopped before products',
			);

			await reconcileOnce();
			const leads = await leadsFor(codes);
			assert.equal(leads.length, 5, 'no duplicate deal');
			assert.ok(
				leads.every((lead) => lead._embedded.catalog_elements.length === 2),
				'the re-run finished the deals',
			);
		},
	);

	it('4. an order whose state changed updates its deal', { timeout: 4 * 60_000 }, async () => {
		const code = first[3].code;
		await sandbox.http.patch(`/kaspi/orders/${code}`, { state: 'ARCHIVE', status: 'COMPLETED' });
		await poll();
		await waitFor(
			async () =>
				(await leadsFor([code]))[0]?._embedded.tags.some(
					(/** @type {any} */ tag) => tag.name === 'kaspi:ARCHIVE',
				),
			{ timeoutMs: 120_000, what: 'the updated tag' },
		);
		const [lead] = await leadsFor([code]);
		assert.ok(!lead._embedded.tags.some((/** @type {any} */ tag) => tag.name === 'kaspi:NEW'));
		assert.equal((await leadsFor([code])).length, 1);
	});

	it(
		'5. a token that expires mid-run is refreshed once, and the run goes on',
		{ timeout: 6 * 60_000 },
		async () => {
			const before = await stats();
			const seq = await sandbox.lastSeq();
			await sandbox.http.post('/amocrm/oauth/expire-after', { requests: 3 });
			const more = Array.from({ length: 30 }, (_, index) =>
				order(String(730_000_000 + index), 300 + index),
			);
			await sandbox.createOrders(more);
			await poll();
			const codes = more.map((entry) => entry.code);
			await waitFor(async () => (await leadsFor(codes)).length === 30, {
				timeoutMs: 180_000,
				what: 'the 30 deals',
			});
			await settled(SYNC_ID);
			const afterRun = await stats();
			assert.equal(afterRun.refreshes - before.refreshes, 1, 'one refresh');
			assert.equal(afterRun.rejectedRefreshes, 0, 'no refresh token was used twice');
			const calls = await sandbox.requests('amocrm', '/api/v4/', seq);
			const expiredAt = calls.findIndex((call) => call.status === 401);
			assert.ok(expiredAt >= 0, 'the token did expire mid-run');
			// A later list call may rightly answer 204 (nothing found), so any 2xx counts.
			assert.ok(
				calls.slice(expiredAt + 1).some((call) => call.status >= 200 && call.status < 300),
				'and later calls went through',
			);
			const latest = (await n8n.executions(SYNC_ID))[0];
			assert.equal(latest.status, 'success');
		},
	);

	it('6. the sandbox’s rate limit was never tripped', async () => {
		const final = await stats();
		assert.equal(final.tooManyRequests, 0);
		assert.equal(final.blocked, false);
		assert.ok(final.maxInWindow <= 7);
	});

	it(
		'7. a backlog of unsynced orders over the threshold alerts by Telegram and e-mail',
		{ timeout: 6 * 60_000 },
		async () => {
			await sandbox.fault({
				service: 'amocrm',
				fault: 'http5xx',
				status: 500,
				pathContains: '/leads/complex',
				times: 100,
			});
			await sandbox.createOrders(
				Array.from({ length: 3 }, (_, index) => order(String(740_000_000 + index), 400 + index)),
			);
			try {
				const execution = await reconcileOnce();
				assert.equal(execution.status, 'error');
				const [message] = await waitFor(
					async () => (telegram.messages.length ? telegram.messages : undefined),
					{
						timeoutMs: 60_000,
						what: 'the Telegram alert',
					},
				);
				assert.equal(message.chat_id, ALERT_CHAT);
				assert.match(message.text, /Workflow: Kaspi → amoCRM reconcile/);
				assert.match(message.text, /Node: Alert: sync backlog/);
				assert.match(
					message.text,
					/Backlog: 3 Kaspi orders are not synced to amoCRM \(threshold 2\)/,
				);
				const mail = await waitFor(
					async () => smtp.mails.find((entry) => mailText(entry.data).includes('Backlog')),
					{ timeoutMs: 60_000, what: 'the e-mail alert' },
				);
				assert.ok(mail.to.some((recipient) => recipient.includes(ALERT_TO)));
				assert.match(mailText(mail.data), /Subject: .*amoCRM[_ ]sync[_ ]backlog/);
			} finally {
				await sandbox.clearFaults();
			}
		},
	);

	it(
		'8. a failed run alerts with the workflow, the node and the error',
		{ timeout: 6 * 60_000 },
		async () => {
			const before = telegram.messages.length;
			// A client that broke the limit: the next call is refused and the account blocked.
			await sandbox.http.post('/amocrm/limits', { rps: 0, blockAfter: 1 });
			try {
				await sandbox.createOrders([order('750000000', 500)]);
				await poll();
				const message = await waitFor(
					async () =>
						telegram.messages.slice(before).find((entry) => entry.text.includes('blocked')),
					{
						timeoutMs: 120_000,
						what: 'the failed-run alert',
					},
				);
				assert.match(message.text, /Workflow: Kaspi orders → amoCRM deals/);
				assert.match(message.text, /Node: Sync orders to amoCRM/);
				assert.match(message.text, /Error: API blocked by amoCRM — contact support/);
				assert.ok(!/\d{10}/.test(message.text), 'no full phone number or token digits');
				await waitFor(
					async () => smtp.mails.some((entry) => mailText(entry.data).includes('contact support')),
					{ timeoutMs: 60_000, what: 'the e-mail' },
				);
				assert.equal((await stats()).blocked, true);
			} finally {
				await sandbox.http.post('/amocrm/limits', { rps: 7, blockAfter: 3 });
				await sandbox.http.post('/amocrm/unblock');
			}
		},
	);
});

// @ts-check
// A whole shop for the suites that test the pack as a whole (queue mode, the fault matrix): the
// sandbox, the alert sinks, and one n8n — a single process or queue mode — running order →
// WhatsApp, order → amoCRM (sync and reconcile), order → Webkassa receipts and the error alerts,
// with every credential pointed at the sandbox.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

import { startSandbox } from '../../../sandbox/server.mjs';
import { SEED } from '../../../sandbox/services/amocrm.mjs';
import { alertSinkCredentials, startSmtpSink, startTelegramSink } from './alert-sinks.mjs';
import { N8n, packPackage, waitFor } from './harness.mjs';
import { startQueueServices } from './queue/services.mjs';
import {
	alStyleSandboxCredential,
	amoCrmSandboxCredential,
	Sandbox,
	sandboxCredentials,
	webkassaSandboxCredential,
} from './sandbox-client.mjs';
import {
	AL_STYLE_PROBE_PATH,
	alStyleProbeWorkflow,
	amoWorkflowsForTest,
	errorAlertsForTest,
	orderWhatsAppForTest,
	receiptsForTest,
	WORKFLOW_IDS,
} from './workflows-for-test.mjs';

export const CASHBOX = 'SWK00000001';
export const CATCH_UP_SECONDS = 10;
export const RECEIPTS_EVERY_SECONDS = 15;
export const RECONCILE_SECONDS = 15;
export const ALERT_CHAT = '-1001234567890';
/** Al-Style's own pacing (alstyle.md): one call per token every 5 seconds. */
export const AL_STYLE_INTERVAL_SECONDS = 5;

/**
 * A Kaspi order spec for the sandbox.
 * @param {string} code
 * @param {{ phone: string, state?: string, status?: string, minutesAgo?: number, firstName?: string }} details
 */
export function kaspiOrder(
	code,
	{ phone, state = 'NEW', status = 'APPROVED_BY_BANK', minutesAgo = 0, firstName = 'Айгерим' },
) {
	return {
		code,
		state,
		status,
		creationDate: Date.now() - minutesAgo * 60_000,
		customer: { firstName, lastName: 'Сейткали', cellPhone: phone },
		entries: [
			{ sku: 'ALS77031', name: 'Мышь Logitech M185', quantity: 2, basePrice: 4500 },
			{ sku: 'ALS100245', name: 'Ноутбук Lenovo IdeaPad 3', quantity: 1, basePrice: 289990 },
		],
	};
}

/** What README advises for two queue-mode workers: 7 calls a second between them. */
export const AMO_REQUESTS_PER_SECOND_PER_WORKER = 3;

/**
 * Every credential the shipped workflows use, pointed at the sandbox and at the alert sinks.
 * @param {string} sandboxUrl
 * @param {{ oauth: { clientId: string, clientSecret: string, redirectUri: string, code: string },
 *   telegram: Awaited<ReturnType<typeof startTelegramSink>>, smtp: Awaited<ReturnType<typeof startSmtpSink>>,
 *   amoRequestsPerSecond?: number, alStyleMinIntervalSeconds?: number }} options
 */
export function shopCredentials(
	sandboxUrl,
	{
		oauth,
		telegram,
		smtp,
		amoRequestsPerSecond,
		alStyleMinIntervalSeconds = AL_STYLE_INTERVAL_SECONDS,
	},
) {
	return [
		...sandboxCredentials(sandboxUrl),
		webkassaSandboxCredential(sandboxUrl),
		amoCrmSandboxCredential(
			sandboxUrl,
			oauth,
			amoRequestsPerSecond ? { requestsPerSecond: amoRequestsPerSecond } : {},
		),
		...alertSinkCredentials(telegram, smtp),
		alStyleSandboxCredential(sandboxUrl, { minIntervalSeconds: alStyleMinIntervalSeconds }),
	];
}

/**
 * @param {{ queue: boolean, n8nPort?: number, sandboxPort?: number, alStyleProbe?: boolean,
 *   inactiveWorkflows?: Array<ReturnType<typeof import('./harness.mjs').loadWorkflow>>,
 *   ordersBeforeStart?: Array<ReturnType<typeof kaspiOrder>>, log?: (line: string) => void }} options
 *   `alStyleProbe`: the test-only webhook workflow that runs Al-Style calls on demand;
 *   `inactiveWorkflows`: more workflows imported switched off (the demo shows every shipped one);
 *   `ordersBeforeStart`: orders put in Kaspi before n8n starts; the triggers' first polls only
 *   record them, so only a reconcile or catch-up run finds them, as with the orders a shop had
 *   before it switched the workflows on
 */
export async function startShop({
	queue,
	n8nPort,
	sandboxPort,
	alStyleProbe = true,
	inactiveWorkflows = [],
	ordersBeforeStart = [],
	log = process.env.E2E_VERBOSE ? console.log : undefined,
}) {
	const sandboxServer = await startSandbox({ seed: false, port: sandboxPort });
	const sandbox = new Sandbox(sandboxServer.url);
	if (ordersBeforeStart.length) await sandbox.createOrders(ordersBeforeStart);
	await sandbox.linkWhatsAppSession();
	await sandbox.http.post('/webkassa/cashboxes', {
		uniqueNumber: CASHBOX,
		registrationNumber: '600000000001',
		name: 'Sandbox shop',
	});
	const telegram = await startTelegramSink();
	const smtp = await startSmtpSink();
	const queueServices = queue ? await startQueueServices({ log }) : undefined;
	const { data: oauth } = await sandbox.http.post('/amocrm/oauth/code');
	const tarball = packPackage(mkdtempSync(join(tmpdir(), 'kz-pack-')));
	const n8n = await new N8n({ tarball, port: n8nPort, log, queue: queueServices }).init();
	n8n.importCredentials(
		shopCredentials(sandboxServer.url, {
			oauth,
			telegram,
			smtp,
			...(queue ? { amoRequestsPerSecond: AMO_REQUESTS_PER_SECOND_PER_WORKER } : {}),
		}),
	);
	const { sync, reconcile } = amoWorkflowsForTest({ reconcileSeconds: RECONCILE_SECONDS });
	n8n.importWorkflows(
		[
			errorAlertsForTest({ telegramChat: ALERT_CHAT, email: 'owner@shop.test' }),
			reconcile,
			...inactiveWorkflows,
		],
		{
			activate: false,
		},
	);
	n8n.importWorkflows([
		orderWhatsAppForTest({ catchUpSeconds: CATCH_UP_SECONDS }),
		sync,
		receiptsForTest({ everySeconds: RECEIPTS_EVERY_SECONDS, cashbox: CASHBOX }),
		...(alStyleProbe ? [alStyleProbeWorkflow()] : []),
	]);
	await n8n.start();
	const shop = new Shop(sandboxServer, sandbox, n8n, telegram, smtp, queueServices, oauth);
	// The first polls only record what is there; their memory must be stored before orders are
	// created, or a later poll would take new orders for old ones.
	for (const id of [WORKFLOW_IDS.orderWhatsApp, WORKFLOW_IDS.amoSync]) {
		await waitFor(async () => Object.keys(await n8n.staticData(id)).length > 0, {
			timeoutMs: 120_000,
			what: `the first poll of ${id}`,
		});
	}
	return shop;
}

export class Shop {
	/**
	 * @param {Awaited<ReturnType<typeof startSandbox>>} sandboxServer
	 * @param {Sandbox} sandbox
	 * @param {N8n} n8n
	 * @param {Awaited<ReturnType<typeof startTelegramSink>>} telegram
	 * @param {Awaited<ReturnType<typeof startSmtpSink>>} smtp
	 * @param {Awaited<ReturnType<typeof startQueueServices>> | undefined} queueServices
	 * @param {{ clientId: string, clientSecret: string, redirectUri: string, code: string }} amoOAuth
	 *   the amoCRM integration the credential was made with
	 */
	constructor(sandboxServer, sandbox, n8n, telegram, smtp, queueServices, amoOAuth) {
		this.sandboxServer = sandboxServer;
		this.sandbox = sandbox;
		this.n8n = n8n;
		this.telegram = telegram;
		this.smtp = smtp;
		this.queueServices = queueServices;
		this.amoOAuth = amoOAuth;
	}

	/** Order notifications WhatsApp got for an order code (the receipt links are other texts). */
	/** @param {string} code */
	async notificationsFor(code) {
		return (await this.sandbox.messages()).filter((message) =>
			(message.text ?? '').includes(`заказ №${code} `),
		);
	}

	/** Receipt links WhatsApp got for an order code. */
	/** @param {string} code */
	async receiptLinksFor(code) {
		return (await this.sandbox.messages()).filter((message) =>
			(message.text ?? '').includes(`Чек по заказу №${code}`),
		);
	}

	/** @returns {Promise<any[]>} */
	async receipts() {
		return (await this.sandbox.http.get('/webkassa/receipts')).data;
	}

	/** @param {string} code */
	async receiptsFor(code) {
		return (await this.receipts()).filter(
			(receipt) => receipt.ExternalCheckNumber === `kaspi-${code}-sale`,
		);
	}

	/** @returns {Promise<{ leads: any[], contacts: any[], notes: any[] }>} */
	async amo() {
		return (await this.sandbox.http.get('/amocrm/data')).data;
	}

	/** @returns {Promise<any>} */
	async amoStats() {
		return (await this.sandbox.http.get('/amocrm/stats')).data;
	}

	/** @param {string[]} codes */
	async dealsFor(codes) {
		const { leads } = await this.amo();
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

	/** Polls a Kaspi Trigger now and waits until Kaspi was asked. */
	/** @param {string} workflowId */
	async poll(workflowId) {
		const before = await this.sandbox.lastSeq();
		await this.n8n.pollNow(workflowId);
		await waitFor(
			async () => (await this.sandbox.requests('kaspi', '/orders', before)).length > 0,
			{ what: 'a poll' },
		);
	}

	/** Waits until no execution of the workflows is queued or running. */
	/** @param {string[]} workflowIds */
	async settled(workflowIds = Object.values(WORKFLOW_IDS), { timeoutMs = 180_000 } = {}) {
		await this.n8n.settled(workflowIds, { timeoutMs });
	}

	/**
	 * Leaves exactly these workflows active, so a fault meant for one is not taken by another's
	 * call. Activating a Kaspi Trigger polls at once. The error workflow is left as the line needs
	 * it: on 2.x it is published at import, and unpublished it runs no alert at all.
	 * @param {string[]} workflowIds
	 */
	async only(workflowIds) {
		for (const id of Object.values(WORKFLOW_IDS)) {
			if (id === WORKFLOW_IDS.errorAlerts) continue;
			const { active } = await this.n8n.api('GET', `/workflows/${id}`);
			const wanted = workflowIds.includes(id);
			if (active !== wanted) await this.n8n.setActive(id, wanted);
		}
	}

	/**
	 * Runs the Al-Style probe on a worker and returns n8n's answer to the webhook.
	 * @param {{ articles: string, fields: string[] }} body
	 */
	async probeAlStyle(body) {
		// Just after only() published the probe, n8n 2.x in queue mode may not have registered its
		// webhook yet and answers 404 without running anything; it is asked again, up to 30 s.
		const deadline = Date.now() + 30_000;
		for (;;) {
			const response = await fetch(`${this.n8n.url}/webhook/${AL_STYLE_PROBE_PATH}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body),
			});
			const text = await response.text();
			if (response.status !== 404 || !/is not registered/.test(text) || Date.now() > deadline)
				return { status: response.status, body: text };
			await delay(500);
		}
	}

	/** Runs the reconcile workflow once (its schedule is shortened) and waits for that run. */
	async reconcileOnce() {
		return await this.n8n.runScheduleOnce(WORKFLOW_IDS.amoReconcile, {
			everySeconds: RECONCILE_SECONDS,
		});
	}

	async close() {
		await this.n8n?.dispose();
		await this.queueServices?.close();
		await this.sandboxServer?.close();
		await this.telegram?.close();
		await this.smtp?.close();
	}
}

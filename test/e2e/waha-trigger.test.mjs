// @ts-check
// The WAHA Trigger and the credential tests in a real n8n: the webhook is registered on the WAHA
// session at activation and removed at deactivation, signed events start the workflow, and
// unsigned or wrongly signed ones are refused with 401.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';

import axios from 'axios';

import { startSandbox } from '../../sandbox/server.mjs';
import { N8n, packPackage, waitFor } from './lib/harness.mjs';
import { Sandbox, sandboxCredentials, WAHA_OPENAPI } from './lib/sandbox-client.mjs';

const WORKFLOW = JSON.parse(
	readFileSync(join(import.meta.dirname, 'fixtures/waha-inbox.json'), 'utf8'),
);
const SECRET = 'e2e-webhook-secret';
const SEND_IMAGE_PATH = 'kz-send-image';

/** Webhook → WAHA Send Image from a URL: what an operator builds to send a product photo. */
const SEND_IMAGE_WORKFLOW = {
	id: 'kzE2eWahaImage01',
	name: 'E2E: send an image',
	active: false,
	settings: { executionOrder: 'v1' },
	nodes: [
		{
			id: 'e2e-image-webhook',
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: '3c0d9a51-6b0e-4f7e-8f0a-5e2d7a1b0c01',
			parameters: {
				httpMethod: 'POST',
				path: SEND_IMAGE_PATH,
				responseMode: 'lastNode',
				options: {},
			},
		},
		{
			id: 'e2e-image-send',
			name: 'Send product photo',
			type: 'n8n-nodes-kz-commerce.waha',
			typeVersion: 1,
			position: [220, 0],
			parameters: {
				resource: 'message',
				operation: 'sendImage',
				session: { __rl: true, value: 'default', mode: 'name' },
				// From the item, as an operator wires it: a literal phone would sit in every error's copy of the node.
				recipient: '={{ $json.body.phone }}',
				fileSource: 'url',
				fileUrl: 'https://example.com/photo.png',
				caption: 'Ваш товар',
			},
			credentials: { wahaApi: { id: 'kzWahaSandbox001', name: 'WAHA API' } },
		},
	],
	connections: { Webhook: { main: [[{ node: 'Send product photo', type: 'main', index: 0 }]] } },
};

describe('WAHA Trigger and credential tests in a real n8n', { timeout: 10 * 60_000 }, () => {
	/** @type {Awaited<ReturnType<typeof startSandbox>>} */
	let sandboxServer;
	/** @type {Sandbox} */
	let sandbox;
	/** @type {N8n} */
	let n8n;

	async function sessionWebhooks() {
		const { data } = await axios.get(`${sandboxServer.url}/waha/api/sessions/default`, {
			headers: { 'X-Api-Key': 'sandbox-waha-key' },
		});
		return /** @type {Array<{ url: string, events: string[], hmac?: { key: string } }>} */ (
			data.config?.webhooks ?? []
		);
	}

	const hookUrl = () => `${n8n.url}/webhook/${WORKFLOW.nodes[0].webhookId}/waha`;

	before(async () => {
		sandboxServer = await startSandbox({ seed: false, wahaOpenApi: WAHA_OPENAPI });
		sandbox = new Sandbox(sandboxServer.url);
		await sandbox.linkWhatsAppSession();
		// An unrelated webhook the operator set up by hand: activation must keep it.
		await axios.put(
			`${sandboxServer.url}/waha/api/sessions/default`,
			{ config: { webhooks: [{ url: 'http://127.0.0.1:9/crm', events: ['message.ack'] }] } },
			{ headers: { 'X-Api-Key': 'sandbox-waha-key' } },
		);
		await sandbox.http.post('/waha/sessions/default/status', { status: 'WORKING' });

		const [kaspi, waha] = sandboxCredentials(sandboxServer.url);
		n8n = await new N8n({ tarball: packPackage(mkdtempSync(join(tmpdir(), 'kz-pack-'))) }).init();
		n8n.importCredentials([
			kaspi,
			waha,
			{
				...waha,
				id: 'kzWahaSigned0001',
				name: 'WAHA API (signed webhooks)',
				data: { ...waha.data, webhookSecret: SECRET },
			},
		]);
		n8n.importWorkflows([WORKFLOW, SEND_IMAGE_WORKFLOW]);
		await n8n.start();
	});

	after(async () => {
		await n8n?.dispose();
		await sandboxServer?.close();
	});

	it('registers its URL with the HMAC key on the session, keeping other webhooks', async () => {
		const webhooks = await waitFor(
			async () => {
				const list = await sessionWebhooks();
				return list.some((hook) => hook.url === hookUrl()) ? list : undefined;
			},
			{ what: 'the webhook registration' },
		);
		const ours = webhooks.find((hook) => hook.url === hookUrl());
		assert.deepEqual(ours?.events, ['message']);
		assert.equal(ours?.hmac?.key, SECRET);
		assert.ok(
			webhooks.some((hook) => hook.url === 'http://127.0.0.1:9/crm'),
			'the operator’s own webhook is kept',
		);
	});

	/**
	 * Finished runs whose trigger received a message with this body. Runs are matched by content,
	 * not counted: n8n may list a run before its data is saved.
	 * @param {string} text
	 */
	async function runsWithBody(text) {
		const finished = (await n8n.executions(WORKFLOW.id, { includeData: true })).filter(
			(execution) => execution.status === 'success' && execution.data?.resultData?.runData,
		);
		return finished.filter(
			(execution) =>
				execution.data.resultData.runData['WhatsApp message received']?.[0]?.data?.main?.[0]?.[0]
					?.json?.payload?.body === text,
		);
	}

	it('starts the workflow for a signed message event from WAHA', async () => {
		const text = 'Здравствуйте, заказ готов?';
		const { data } = await sandbox.http.post('/waha/inbound', {
			session: 'default',
			from: '77011234567@c.us',
			body: text,
		});
		assert.ok(
			data.deliveries.some(
				(/** @type {{ url: string, status: number }} */ delivery) =>
					delivery.url === hookUrl() && delivery.status === 200,
			),
		);
		const [run] = await waitFor(
			async () => {
				const runs = await runsWithBody(text);
				return runs.length ? runs : undefined;
			},
			{ what: 'the webhook execution' },
		);
		const item = run.data.resultData.runData['WhatsApp message received'][0].data.main[0][0].json;
		assert.equal(item.event, 'message');
		assert.equal(item.session, 'default');
	});

	it('receives signed events from a 2024 WAHA (no body timestamp) and a 2026 one', async () => {
		// Core 2024.11.5 signs and sets X-Webhook-Timestamp, but its body has no timestamp before
		// 2025.3.1 (docs/services/waha.md, "Webhooks").
		try {
			for (const version of ['2024.11.5', '2026.7.1']) {
				await sandbox.wahaProfile({ version });
				const text = `Заказ готов? (${version})`;
				const { data } = await sandbox.http.post('/waha/inbound', {
					session: 'default',
					from: '77011234567@c.us',
					body: text,
				});
				const ours = data.deliveries.find(
					(/** @type {{ url: string }} */ delivery) => delivery.url === hookUrl(),
				);
				assert.equal(ours?.status, 200, `WAHA ${version}'s event is accepted`);
				assert.equal(data.events[0].timestamp === undefined, version === '2024.11.5');
				await waitFor(async () => ((await runsWithBody(text)).length ? true : undefined), {
					what: `the run for WAHA ${version}`,
				});
			}
		} finally {
			await sandbox.wahaProfile({ version: '2026.7.1' });
		}
	});

	it('gets 401 from Core before 2024.11.5, which never signs, when a secret is set', async () => {
		try {
			await sandbox.wahaProfile({ version: '2024.10.1' });
			const { data } = await sandbox.http.post('/waha/inbound', {
				session: 'default',
				from: '77011234567@c.us',
				body: 'unsigned 2024',
			});
			assert.equal(
				data.deliveries.find(
					(/** @type {{ url: string }} */ delivery) => delivery.url === hookUrl(),
				)?.status,
				401,
			);
		} finally {
			await sandbox.wahaProfile({ version: '2026.7.1' });
		}
	});

	it('Send Image on WAHA Core before 2026.6.1 fails with the clear error, and sends on 2026.6.1', async () => {
		const send = () =>
			fetch(`${n8n.url}/webhook/${SEND_IMAGE_PATH}`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({ phone: '77011234567' }),
			});
		const failedRuns = async () =>
			(await n8n.executions(SEND_IMAGE_WORKFLOW.id, { includeData: true })).filter(
				(execution) => execution.status === 'error',
			);
		try {
			await sandbox.wahaProfile({ version: '2025.12.1' });
			const before = (await failedRuns()).length;
			assert.notEqual((await send()).status, 200);
			const [failed] = await waitFor(
				async () => {
					const runs = await failedRuns();
					return runs.length > before ? runs.slice(before) : undefined;
				},
				{ what: 'the failed Send Image run' },
			);
			assert.equal(
				failed.data.resultData.error.message,
				'This needs WAHA Plus, or WAHA 2026.6.1 or later',
			);
			assert.equal(
				(await sandbox.messages()).filter(
					(message) => message.chatId === '77011234567@c.us' && message.kind === 'image',
				).length,
				0,
			);

			await sandbox.wahaProfile({ version: '2026.6.1' });
			assert.equal((await send()).status, 200);
			assert.ok((await sandbox.messages()).some((message) => message.kind === 'image'));
		} finally {
			await sandbox.wahaProfile({ version: '2026.7.1' });
		}
	});

	it('refuses an unsigned, a wrongly signed or a tampered event with 401 and runs nothing', async () => {
		const body = JSON.stringify({
			id: 'evt_e2e',
			timestamp: Date.now(),
			event: 'message',
			session: 'default',
			engine: 'WEBJS',
			payload: { body: 'forged' },
		});
		const signature = createHmac('sha512', SECRET).update(body).digest('hex');
		const post = (/** @type {string} */ payload, /** @type {Record<string, string>} */ headers) =>
			axios.post(hookUrl(), payload, {
				headers: { 'content-type': 'application/json', ...headers },
				validateStatus: () => true,
			});

		assert.equal((await post(body, {})).status, 401);
		assert.equal(
			(
				await post(body, {
					'X-Webhook-Hmac': createHmac('sha512', 'wrong').update(body).digest('hex'),
				})
			).status,
			401,
		);
		assert.equal(
			(await post(body.replace('forged', 'forgeD'), { 'X-Webhook-Hmac': signature })).status,
			401,
		);
		assert.equal(
			(await post(body, { 'X-Webhook-Hmac': signature, 'X-Webhook-Hmac-Algorithm': 'sha512' }))
				.status,
			200,
		);
		await waitFor(async () => (await runsWithBody('forged')).length > 0, {
			what: 'the signed event’s run',
		});
		await delay(2000);
		assert.equal((await runsWithBody('forged')).length, 1, 'the correctly signed event ran once');
		assert.equal((await runsWithBody('forgeD')).length, 0, 'the tampered body never ran');
	});

	it('passes the credential tests against the sandbox, and fails them with a wrong token', async () => {
		const test = async (
			/** @type {{ id: string, name: string, type: string, data: object }} */ credential,
		) => (await n8n.rest('POST', '/rest/credentials/test', { credentials: credential })).data;
		const [kaspi, waha] = sandboxCredentials(sandboxServer.url);
		assert.equal((await test(kaspi)).status, 'OK');
		assert.equal((await test(waha)).status, 'OK');
		assert.equal(
			(await test({ ...kaspi, data: { ...kaspi.data, apiToken: 'wrong-token' } })).status,
			'Error',
		);
		assert.equal(
			(await test({ ...waha, data: { ...waha.data, apiKey: 'wrong-key' } })).status,
			'Error',
		);
	});

	it('removes its URL from the session when the workflow is deactivated', async () => {
		await n8n.api('POST', `/workflows/${WORKFLOW.id}/deactivate`);
		const webhooks = await waitFor(
			async () => {
				const list = await sessionWebhooks();
				return list.every((hook) => hook.url !== hookUrl()) ? list : undefined;
			},
			{ what: 'the webhook removal' },
		);
		assert.ok(webhooks.some((hook) => hook.url === 'http://127.0.0.1:9/crm'));
	});
});

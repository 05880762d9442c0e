// @ts-check
// Order → WhatsApp, end to end: the real pinned n8n runs workflows/kaspi-order-whatsapp.json
// against the sandbox, and every assertion is on what reached the sandbox's WAHA.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';

import { startSandbox } from '../../sandbox/server.mjs';
import { loadBuiltClass, manifest } from '../package/lib.mjs';
import { N8n, PACKAGE_NAME, packPackage, waitFor } from './lib/harness.mjs';
import { sandboxCredentials, Sandbox, WAHA_OPENAPI } from './lib/sandbox-client.mjs';
import { orderWhatsAppForTest, WORKFLOW_IDS } from './lib/workflows-for-test.mjs';

const WORKFLOW_ID = WORKFLOW_IDS.orderWhatsApp;
const CATCH_UP_SECONDS = 10;

const BUYERS = [
	{ firstName: 'Айгерим', lastName: 'Сейткали', cellPhone: '7011234567' },
	{ firstName: 'Нурлан', lastName: 'Абенов', cellPhone: '7779876543' },
	{ firstName: 'Дана', lastName: 'Жумабаева', cellPhone: '7051112233' },
];

/**
 * An order spec for the sandbox; `minutesAgo` sets its creation date.
 * @param {string} code
 * @param {{ firstName: string, lastName: string, cellPhone: string }} buyer
 * @param {{ minutesAgo?: number, sku?: string, name?: string, quantity?: number }} [details]
 */
function order(
	code,
	buyer,
	{ minutesAgo = 0, sku = 'ALS100245', name = 'Ноутбук Lenovo IdeaPad 3', quantity = 1 } = {},
) {
	return {
		code,
		state: 'NEW',
		status: 'APPROVED_BY_BANK',
		creationDate: Date.now() - minutesAgo * 60_000,
		customer: buyer,
		entries: [{ sku, name, quantity, basePrice: 289990 }],
	};
}

describe('Kaspi order → WhatsApp in a real n8n', { timeout: 20 * 60_000 }, () => {
	/** @type {Awaited<ReturnType<typeof startSandbox>>} */
	let sandboxServer;
	/** @type {Sandbox} */
	let sandbox;
	/** @type {N8n} */
	let n8n;

	before(async () => {
		sandboxServer = await startSandbox({ seed: false, wahaOpenApi: WAHA_OPENAPI });
		sandbox = new Sandbox(sandboxServer.url);
		await sandbox.linkWhatsAppSession();
		const tarball = packPackage(mkdtempSync(join(tmpdir(), 'kz-pack-')));
		n8n = await new N8n({ tarball, log: process.env.E2E_VERBOSE ? console.log : undefined }).init();
		n8n.importCredentials(sandboxCredentials(sandboxServer.url));
		n8n.importWorkflows([orderWhatsAppForTest({ catchUpSeconds: CATCH_UP_SECONDS })]);
		await n8n.start();
		// Activation polls once: with no memory yet, that poll only records what is there.
		await waitFor(async () => (await sandbox.requests('kaspi', '/orders')).length > 0, {
			what: 'the first poll',
		});
	});

	after(async () => {
		await n8n?.dispose();
		await sandboxServer?.close();
	});

	/** Polls now (re-activation polls at once) and waits until Kaspi was asked again. */
	async function poll() {
		const before = await sandbox.lastSeq();
		await n8n.pollNow(WORKFLOW_ID);
		await waitFor(async () => (await sandbox.requests('kaspi', '/orders', before)).length > 0, {
			what: 'a poll',
		});
	}

	const settled = () => n8n.settled([WORKFLOW_ID]);

	it('loads every node and credential of the installed tarball', async () => {
		// What the editor loads: every type n8n registered, built-in and community.
		const loaded = async (/** @type {string} */ list) =>
			/** @type {Array<{ name: string }>} */ (await n8n.rest('GET', `/types/${list}.json`)).map(
				(type) => type.name,
			);
		const nodeTypes = await loaded('nodes');
		for (const file of manifest.n8n.nodes) {
			const { name } = /** @type {{ description: { name: string } }} */ (loadBuiltClass(file))
				.description;
			assert.ok(nodeTypes.includes(`${PACKAGE_NAME}.${name}`), `node ${name} is loaded`);
		}
		const credentialTypes = await loaded('credentials');
		for (const file of manifest.n8n.credentials) {
			const { name } = /** @type {{ name: string }} */ (loadBuiltClass(file));
			assert.ok(credentialTypes.includes(name), `credential ${name} is loaded`);
		}
	});

	it(
		'sends exactly one message per new order, with the template filled in',
		{ timeout: 5 * 60_000 },
		async () => {
			await sandbox.createOrders([
				order('600000001', BUYERS[0], { quantity: 2, name: 'Мышь Logitech M185', sku: 'ALS77031' }),
				order('600000002', BUYERS[1]),
				order('600000003', BUYERS[2]),
				order('600000004', { firstName: 'Ерлан', lastName: 'Касымов', cellPhone: '7011234500' }),
				order('600000005', {
					firstName: 'Алия',
					lastName: 'Нурпеисова',
					cellPhone: '+0(000)-000-00-00',
				}),
			]);
			await poll();
			const messages = await waitFor(
				async () => {
					const sent = await sandbox.messages();
					return sent.length >= 3 ? sent : undefined;
				},
				{ timeoutMs: 120_000, what: 'three WhatsApp messages' },
			);
			await settled();
			await delay(3000);

			const final = await sandbox.messages();
			assert.equal(final.length, 3, 'the number not on WhatsApp and the masked one get nothing');
			const byChat = new Map(final.map((message) => [message.chatId, message.text]));
			assert.deepEqual([...byChat.keys()].sort(), [
				'77011234567@c.us',
				'77051112233@c.us',
				'77779876543@c.us',
			]);
			const first = byChat.get('77011234567@c.us') ?? '';
			assert.match(first, /Здравствуйте, Айгерим!/);
			assert.match(first, /№600000001/);
			assert.match(first, /Мышь Logitech M185 × 2/);
			assert.match(first, /«Алтын Сауда»/);
			assert.ok(messages.length >= 3);

			const typing = await sandbox.requests('waha', '/api/startTyping');
			assert.ok(typing.length >= 3, 'typing is shown before each send');
			const checks = await sandbox.requests('waha', '/api/contacts/check-exists');
			assert.ok(
				checks.some((request) => request.query.phone === '77011234500'),
				'the number was checked',
			);
			assert.ok(
				!checks.some((request) => String(request.query.phone).startsWith('0')),
				'a masked phone is never checked',
			);
		},
	);

	it('a second poll sends nothing', { timeout: 3 * 60_000 }, async () => {
		const before = (await sandbox.messages()).length;
		await poll();
		await delay(5000);
		await settled();
		assert.equal((await sandbox.messages()).length, before);
	});

	it(
		'a restart between polls sends nothing again, and an order placed while n8n was down is sent once',
		{ timeout: 5 * 60_000 },
		async () => {
			const before = (await sandbox.messages()).length;
			await n8n.stop();
			await sandbox.createOrders([
				order('600000006', {
					firstName: 'Гульнара',
					lastName: 'Ахметова',
					cellPhone: '7475556677',
				}),
			]);
			const seq = await sandbox.lastSeq();
			await n8n.start();
			await waitFor(async () => (await sandbox.requests('kaspi', '/orders', seq)).length > 0, {
				what: 'the poll after restart',
			});
			await waitFor(async () => (await sandbox.messages()).length >= before + 1, {
				timeoutMs: 60_000,
				what: 'the new order’s message',
			});
			await delay(5000);
			await settled();
			const messages = await sandbox.messages();
			assert.equal(messages.length, before + 1);
			assert.equal(messages.at(-1)?.chatId, '77475556677@c.us');
		},
	);

	it(
		'with WAHA down nothing is lost: after recovery every pending order is sent exactly once',
		{ timeout: 6 * 60_000 },
		async () => {
			const before = (await sandbox.messages()).length;
			const failedBefore = (await n8n.executions(WORKFLOW_ID)).filter(
				(execution) => execution.status === 'error',
			).length;
			await sandbox.fault({ service: 'waha', fault: 'down' });
			// Created a few minutes ago, so the catch-up lane (which leaves the last 2 minutes to the
			// trigger) sees them too.
			await sandbox.createOrders([
				order(
					'600000007',
					{ firstName: 'Бауыржан', lastName: 'Оспанов', cellPhone: '7012223344' },
					{ minutesAgo: 5 },
				),
				order(
					'600000008',
					{ firstName: 'Сауле', lastName: 'Тулегенова', cellPhone: '7753334455' },
					{ minutesAgo: 5 },
				),
				order(
					'600000009',
					{ firstName: 'Марат', lastName: 'Искаков', cellPhone: '7084445566' },
					{ minutesAgo: 5 },
				),
			]);
			await poll();
			await waitFor(
				async () =>
					(await n8n.executions(WORKFLOW_ID)).filter((execution) => execution.status === 'error')
						.length > failedBefore,
				{ timeoutMs: 120_000, what: 'a failed run while WAHA is down' },
			);
			assert.equal((await sandbox.messages()).length, before, 'nothing is sent while WAHA is down');

			await sandbox.clearFaults();
			await waitFor(async () => (await sandbox.messages()).length >= before + 3, {
				timeoutMs: 120_000,
				what: 'the catch-up sends',
			});
			// Let several more catch-up runs and one more poll pass: none may send again.
			await delay(CATCH_UP_SECONDS * 3 * 1000);
			await poll();
			await delay(5000);
			await settled();
			const messages = await sandbox.messages();
			assert.equal(messages.length, before + 3);
			const chats = messages
				.slice(before)
				.map((message) => message.chatId)
				.sort();
			assert.deepEqual(chats, ['77012223344@c.us', '77084445566@c.us', '77753334455@c.us']);
		},
	);

	it(
		'a Kaspi 5xx fails the poll visibly, and the next poll catches up',
		{ timeout: 6 * 60_000 },
		async () => {
			const before = (await sandbox.messages()).length;
			const failedBefore = (await n8n.executions(WORKFLOW_ID)).filter(
				(execution) => execution.status === 'error',
			).length;
			await sandbox.fault({
				service: 'kaspi',
				fault: 'http5xx',
				status: 503,
				pathContains: '/orders',
			});
			await sandbox.createOrders([
				order('600000010', { firstName: 'Жанна', lastName: 'Сатпаева', cellPhone: '7017778899' }),
			]);
			// Polls on the trigger's own schedule (every minute): a failed scheduled poll is recorded as
			// a failed execution, where a failed activation would only refuse to activate.
			const failed = await waitFor(
				async () => {
					const errors = (await n8n.executions(WORKFLOW_ID)).filter(
						(execution) => execution.status === 'error',
					);
					return errors.length > failedBefore ? errors : undefined;
				},
				{ timeoutMs: 150_000, intervalMs: 2000, what: 'a failed poll' },
			);
			assert.ok(failed.length > failedBefore);
			assert.equal((await sandbox.messages()).length, before);

			await sandbox.clearFaults();
			await waitFor(async () => (await sandbox.messages()).length === before + 1, {
				timeoutMs: 150_000,
				intervalMs: 2000,
				what: 'the caught-up message',
			});
			assert.equal((await sandbox.messages()).at(-1)?.chatId, '77017778899@c.us');
		},
	);

	it(
		'on NOWEB with its store off (its default), each order’s message goes out once, flagged unchecked',
		{ timeout: 6 * 60_000 },
		async () => {
			// NOWEB answers the chat-history read with 400 (docs/services/waha.md, "Chat history").
			await sandbox.wahaProfile({ engine: 'NOWEB', nowebStore: false });
			try {
				const before = (await sandbox.messages()).length;
				const seq = await sandbox.lastSeq();
				const chats = ['77015550011@c.us', '77015550012@c.us'];
				await sandbox.createOrders([
					order('600000011', { firstName: 'Асель', lastName: 'Бекова', cellPhone: '7015550011' }),
					order('600000012', { firstName: 'Тимур', lastName: 'Жанов', cellPhone: '7015550012' }),
				]);
				await poll();
				await waitFor(async () => (await sandbox.messages()).length >= before + 2, {
					timeoutMs: 150_000,
					what: 'the NOWEB sends',
				});
				await poll();
				await delay(5000);
				await settled();

				const sent = (await sandbox.messages()).slice(before);
				assert.deepEqual(
					sent.map((message) => message.chatId).sort(),
					chats,
					'each order’s message once, no more',
				);
				const reads = await sandbox.requests('waha', '/chats/', seq);
				assert.ok(reads.length >= 2, 'the history was read before each send');
				assert.ok(
					reads.every((request) => request.status === 400),
					'NOWEB refused every history read',
				);

				const outputs = (await n8n.executions(WORKFLOW_ID, { includeData: true }))
					.flatMap(
						(execution) => execution.data?.resultData?.runData?.['Send WhatsApp message'] ?? [],
					)
					.flatMap((/** @type {any} */ run) => run.data?.main?.[0] ?? [])
					.map((/** @type {any} */ item) => item.json)
					.filter((/** @type {any} */ json) => json.sent && chats.includes(json.chatId));
				assert.equal(outputs.length, 2);
				for (const output of outputs) {
					assert.equal(output.historyChecked, false);
					assert.match(output.historyError, /NOWEB store/);
				}
			} finally {
				await sandbox.wahaProfile({ engine: 'WEBJS' });
			}
		},
	);
});

// @ts-check
// The n8n editor with the pack, driven in Debian's Chromium: the node panel, every shipped workflow
// on the canvas, the credential forms, and a run of the order → WhatsApp workflow from the editor.
// Every check saves PNGs into KZ_SCREENSHOTS_DIR (default: a temp dir).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import axios from 'axios';
import { chromium } from 'playwright-core';

import { startSandbox } from '../../sandbox/server.mjs';
import { startSmtpSink, startTelegramSink } from '../e2e/lib/alert-sinks.mjs';
import { loadWorkflow, N8n, OWNER, packPackage, ROOT, waitFor } from '../e2e/lib/harness.mjs';
import { Sandbox } from '../e2e/lib/sandbox-client.mjs';
import { shopCredentials } from '../e2e/lib/shop.mjs';
import { loadBuiltClass, manifest } from '../package/lib.mjs';

const CHROMIUM = '/usr/bin/chromium';
const VIEWPORT = { width: 1440, height: 900 };
// A loaded 2-core machine renders the editor slowly; every wait is on a condition, with this ceiling.
const UI_TIMEOUT_MS = 60_000;
const SCREENSHOTS_DIR =
	process.env.KZ_SCREENSHOTS_DIR || mkdtempSync(join(tmpdir(), 'kz-screenshots-'));

/**
 * The shipped workflows fill the cashbox by expression and leave the category filter out, so the
 * lists an operator picks from are opened on nodes set up as a new canvas would have them.
 */
const LOAD_OPTIONS_WORKFLOW = {
	id: 'kzLoadOptions001',
	name: 'Load options',
	nodes: [
		{
			id: 'lo-webkassa',
			name: 'Shift history',
			type: 'n8n-nodes-kz-commerce.webkassa',
			typeVersion: 1,
			position: [0, 0],
			parameters: {
				resource: 'shift',
				operation: 'history',
				cashbox: { __rl: true, mode: 'list', value: '' },
			},
			credentials: { webkassaApi: { id: null, name: 'Webkassa API' } },
		},
		{
			id: 'lo-alstyle',
			name: 'Products',
			type: 'n8n-nodes-kz-commerce.alStyle',
			typeVersion: 1,
			position: [300, 0],
			parameters: { resource: 'product', operation: 'getMany', filters: { category: [] } },
			credentials: { alStyleApi: { id: null, name: 'Al-Style API' } },
		},
	],
	connections: {},
	settings: { executionOrder: 'v1' },
};

const WORKFLOW_FILES = readdirSync(join(ROOT, 'workflows'))
	.filter((file) => file.endsWith('.json'))
	.sort();

/** @type {Array<{ displayName: string, description: string, isTrigger: boolean }>} */
const NODES = manifest.n8n.nodes.map((/** @type {string} */ file) => {
	const { description } =
		/** @type {{ description: { displayName: string, description: string, group: string[] } }} */ (
			loadBuiltClass(file)
		);
	return {
		displayName: description.displayName,
		description: description.description,
		isTrigger: description.group.includes('trigger'),
	};
});

/**
 * @typedef {{ displayName: string, name: string, type: string, description?: string, hint?: string, displayOptions?: object }} Property
 * @type {Array<{ name: string, displayName: string, documentationUrl: string, properties: Property[] }>}
 */
const CREDENTIALS = manifest.n8n.credentials.map(
	(/** @type {string} */ file) =>
		/** @type {{ name: string, displayName: string, documentationUrl: string, properties: Property[] }} */ (
			loadBuiltClass(file)
		),
);

describe('the n8n editor with the pack', { timeout: 30 * 60_000 }, () => {
	/** @type {Awaited<ReturnType<typeof startSandbox>>} */
	let sandboxServer;
	/** @type {Sandbox} */
	let sandbox;
	/** @type {Awaited<ReturnType<typeof startTelegramSink>>} */
	let telegram;
	/** @type {Awaited<ReturnType<typeof startSmtpSink>>} */
	let smtp;
	/** @type {N8n} */
	let n8n;
	/** @type {import('playwright-core').BrowserContext} */
	let browser;
	/** @type {import('playwright-core').Page} */
	let page;
	let userDataDir = '';

	before(async () => {
		mkdirSync(SCREENSHOTS_DIR, { recursive: true });
		sandboxServer = await startSandbox({ seed: false });
		sandbox = new Sandbox(sandboxServer.url);
		// The lists to pick from need a catalogue and cashboxes; Kaspi stays empty, so the run from
		// the editor sees only the orders it creates.
		await sandbox.http.post('/reset', { seed: true, services: ['alstyle', 'webkassa'] });
		await sandbox.linkWhatsAppSession();
		telegram = await startTelegramSink();
		smtp = await startSmtpSink();
		const { data: oauth } = await sandbox.http.post('/amocrm/oauth/code');
		const tarball = packPackage(mkdtempSync(join(tmpdir(), 'kz-pack-')));
		n8n = await new N8n({ tarball, log: process.env.E2E_VERBOSE ? console.log : undefined }).init();
		n8n.importCredentials(
			shopCredentials(sandboxServer.url, { oauth, telegram, smtp, alStyleMinIntervalSeconds: 1 }),
		);
		// The editor needs no live pollers: every workflow is imported switched off.
		n8n.importWorkflows([...WORKFLOW_FILES.map(loadWorkflow), LOAD_OPTIONS_WORKFLOW], {
			activate: false,
		});
		await n8n.start();

		userDataDir = mkdtempSync(join(tmpdir(), 'kz-chromium-'));
		browser = await chromium.launchPersistentContext(userDataDir, {
			executablePath: CHROMIUM,
			viewport: VIEWPORT,
			args: [
				'--headless',
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
				'--no-first-run',
				'--disable-dev-shm-usage',
			],
		});
		page = browser.pages()[0] ?? (await browser.newPage());
		page.setDefaultTimeout(UI_TIMEOUT_MS);
		await page.goto(`${n8n.url}/signin`);
		await page.locator('input[name="emailOrLdapLoginId"]').fill(OWNER.email);
		await page.locator('input[name="password"]').fill(OWNER.password);
		await page.locator('button:has-text("Sign in")').click();
		await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
	});

	after(async () => {
		await browser?.close();
		if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
		await n8n?.dispose();
		await telegram?.close();
		await smtp?.close();
		await sandboxServer?.close();
	});

	/** @param {string} name */
	const screenshot = (name) => page.screenshot({ path: join(SCREENSHOTS_DIR, name) });

	/** @param {string} testId */
	const byTestId = (testId) => page.locator(`[data-test-id="${testId}"]`);

	/** Opens a workflow and waits until its nodes, sticky notes included, are on the canvas. @param {string} id @param {number} nodeCount */
	async function openWorkflow(id, nodeCount) {
		await page.goto(`${n8n.url}/workflow/${id}`);
		let shown = 0;
		try {
			await waitFor(async () => (shown = await canvasNodes().count()) === nodeCount, {
				timeoutMs: UI_TIMEOUT_MS,
				what: `the nodes of ${id}`,
			});
		} catch (error) {
			await screenshot(`failed-${id}.png`);
			throw new Error(`${id}: ${shown} of ${nodeCount} nodes on the canvas`, { cause: error });
		}
	}

	const canvasNodes = () => page.locator('.vue-flow__node');

	/** Opens a node's settings by its exact name (a sticky note may mention the same words). @param {string} name */
	async function openNode(name) {
		await page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`).dblclick();
		await byTestId('ndv').waitFor();
	}

	async function closeNode() {
		await byTestId('back-to-canvas').click();
		await byTestId('ndv').waitFor({ state: 'hidden' });
	}

	/** Waits until the modal and panel transitions have finished, so a screenshot is not caught mid-fade. */
	async function settled() {
		await page.waitForFunction(
			'document.getAnimations().every((animation) => animation.playState !== "running")',
		);
	}

	async function fitView() {
		await page
			.locator('.vue-flow__pane')
			.first()
			.click({ position: { x: 5, y: 5 } });
		await page.keyboard.press('1');
	}

	it('lists every node of the pack in the node panel, with its icon', async () => {
		// An empty workflow offers triggers; one with a trigger offers the next steps.
		const withTrigger = loadWorkflow('kaspi-order-whatsapp.json');
		for (const [index, node] of NODES.entries()) {
			if (node.isTrigger) await page.goto(`${n8n.url}/workflow/new`);
			else await openWorkflow(withTrigger.id, withTrigger.nodes.length);
			await byTestId('node-creator-plus-button').first().click();
			await byTestId('node-creator').waitFor();
			await page
				.locator(
					'[data-test-id="node-creator-search-bar"] input, input[data-test-id="node-creator-search-bar"]',
				)
				.first()
				.fill(node.displayName);
			// The item whose name is exactly the node's; a search also lists its siblings ("Kaspi Trigger").
			const item = byTestId('node-creator')
				.locator('[data-test-id="item-iterator-item"]')
				.filter({ has: page.getByText(panelName(node), { exact: true }) })
				.first();
			try {
				await item.waitFor();
			} catch (error) {
				await screenshot(`failed-node-panel-${index}.png`);
				throw error;
			}
			assert.ok(
				(await item.locator('img').count()) > 0,
				`${node.displayName} shows its icon, not the fallback letter`,
			);
			// The list shows names only; choosing the entry opens its details, with the description. A
			// node and its trigger share one entry, which shows one of their two descriptions.
			await item.click();
			const creator = byTestId('node-creator');
			const descriptions = NODES.filter((other) => panelName(other) === panelName(node)).map(
				(other) => other.description,
			);
			try {
				await waitFor(
					async () => {
						const text = await creator.innerText();
						return descriptions.some((description) => text.includes(description));
					},
					{ what: `the description of ${node.displayName}` },
				);
			} catch (error) {
				await screenshot(`failed-node-details-${index}.png`);
				throw new Error(
					`${node.displayName}: no description in ${JSON.stringify(await creator.innerText())}`,
					{ cause: error },
				);
			}
			if (index === 0) {
				await settled();
				await screenshot('node-panel.png');
			}
			await page.keyboard.press('Escape');
		}
	});

	for (const file of WORKFLOW_FILES) {
		it(`opens ${file} on the canvas with every node known and its credentials set`, async () => {
			const workflow = loadWorkflow(file);
			await openWorkflow(workflow.id, workflow.nodes.length);
			await fitView();
			const canvas = page.locator('#canvas, .vue-flow').first();
			assert.doesNotMatch(await canvas.innerText(), /Install this node|unknown node/i);
			assert.equal(
				await byTestId('canvas-node-status-warning').count(),
				0,
				'no node shows an issue (credential or parameter)',
			);
			assert.equal(await canvasNodes().count(), workflow.nodes.length);
			await screenshot(`workflow-${file.replace(/\.json$/, '')}.png`);
		});
	}

	for (const credential of CREDENTIALS) {
		it(`shows the ${credential.displayName} form with its fields, help and documentation link`, async () => {
			await page.goto(`${n8n.url}/home/credentials`);
			// On the credentials page the project header's main button creates a credential.
			await byTestId('add-resource-credential').click();
			await page
				.locator(
					'[data-test-id="new-credential-type-select"] input, input[data-test-id="new-credential-type-select"]',
				)
				.first()
				.fill(credential.displayName);
			await byTestId('new-credential-type-select-option')
				.filter({ hasText: credential.displayName })
				.first()
				.click();
			await byTestId('new-credential-type-button').click();
			const dialog = byTestId('credential-edit-dialog');
			try {
				await dialog.waitFor();
				await byTestId('credential-save-button').waitFor();
			} catch (error) {
				await screenshot(`failed-credential-${credential.name}.png`);
				throw error;
			}
			// Fields behind displayOptions depend on other choices; the unconditional ones always show.
			const alwaysShown = credential.properties.filter(
				(property) => !property.displayOptions && property.type !== 'hidden',
			);
			await waitFor(
				async () => (await dialog.locator('[data-test-id="parameter-input"]').count()) > 0,
				{ what: 'the form fields' },
			);
			const text = await dialog.innerText();
			await settled();
			await screenshot(`credential-${credential.name}.png`);
			for (const property of alwaysShown) {
				if (property.type === 'notice') {
					assert.ok(
						text.includes(stripHtml(property.displayName)),
						`${credential.name}: notice shown`,
					);
					continue;
				}
				const field = dialog.locator(`[data-test-id="${property.name}"]`);
				assert.ok(
					(await field.innerText()).includes(property.displayName),
					`${credential.name}: field ${property.displayName} shown`,
				);
				// A field's description is the tooltip of the help icon its label shows on hover.
				if (property.description) {
					await field.hover();
					await field.locator('[data-icon="circle-help"]').first().hover();
					const tooltip = page
						.locator('.el-popper:visible')
						.filter({ hasText: stripHtml(property.description).slice(0, 40) });
					await tooltip.waitFor();
					assert.equal(
						flat(await tooltip.innerText()),
						flat(stripHtml(property.description)),
						`${credential.name}: help for ${property.displayName}`,
					);
					await page.mouse.move(0, 0);
				}
			}
			const links = await dialog
				.locator('a[href]')
				.evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute('href')));
			assert.ok(
				links.includes(credential.documentationUrl),
				`${credential.name}: links to ${credential.documentationUrl}, got ${links.join(', ')}`,
			);
			await page.keyboard.press('Escape');
		});
	}

	/**
	 * Opens a dropdown (a resource locator's list or an options field) and returns the entries it
	 * lists once there are as many as the sandbox holds.
	 * @param {import('playwright-core').Locator} opener
	 * @param {string} entries selector of one entry in the open dropdown
	 * @param {number} expected how many the sandbox holds
	 */
	async function listedEntries(opener, entries, expected) {
		assert.ok(expected > 0, 'the sandbox holds entries to list');
		await opener.click();
		const listed = page.locator(entries);
		await waitFor(async () => (await listed.count()) === expected, {
			timeoutMs: UI_TIMEOUT_MS,
			what: `${expected} entries listed`,
		});
		await settled();
		return (await listed.allInnerTexts()).map((text) => text.trim());
	}

	/** @param {string} name */
	const parameter = (name) => byTestId('ndv').locator(`[data-test-id="parameter-input-${name}"]`);
	const RLC_ITEMS = '[data-test-id="rlc-item"]:visible';
	const OPTION_ITEMS = '.el-select-dropdown:visible .el-select-dropdown__item';

	it('lists the sandbox WAHA sessions in the session picker of a WAHA node', async () => {
		await sandbox.linkWhatsAppSession('shop-second');
		const { data } = await axios.get(`${sandboxServer.url}/waha/api/sessions`, {
			headers: { 'X-Api-Key': 'sandbox-waha-key' },
			params: { all: true },
		});
		// The picker labels a session with its status, as WAHA reports it.
		const sessionNames = /** @type {Array<{ name: string, status: string }>} */ (data)
			.map((session) => `${session.name} (${session.status})`)
			.sort();
		const workflow = loadWorkflow('kaspi-order-whatsapp.json');
		await openWorkflow(workflow.id, workflow.nodes.length);
		await openNode('Send WhatsApp message');
		const ndv = byTestId('ndv');
		await ndv.locator('[data-test-id="rlc-mode-selector"]').first().click();
		await page
			.locator('.el-select-dropdown__item')
			.filter({ hasText: 'From List' })
			.first()
			.click();
		const listed = await listedEntries(
			ndv.locator('[data-test-id="rlc-input"]').first(),
			RLC_ITEMS,
			sessionNames.length,
		);
		await screenshot('load-options-waha-sessions.png');
		assert.deepEqual(listed.sort(), sessionNames);
		await page.keyboard.press('Escape');
	});

	it('lists the sandbox amoCRM pipelines, their statuses and the deal fields in the sync node', async () => {
		const { pipelines, leadFields } = /** @type {any} */ (sandboxServer.state.amocrm);
		const workflow = loadWorkflow('kaspi-amocrm-sync.json');
		await openWorkflow(workflow.id, workflow.nodes.length);
		await openNode('Sync orders to amoCRM');

		const pipelineNames = await listedEntries(
			parameter('pipeline').locator('[data-test-id="rlc-input"]'),
			RLC_ITEMS,
			pipelines.length,
		);
		assert.deepEqual(
			pipelineNames.sort(),
			pipelines
				.map(
					(/** @type {any} */ pipeline) => `${pipeline.name}${pipeline.is_main ? ' (main)' : ''}`,
				)
				.sort(),
		);
		await screenshot('load-options-amocrm-pipelines.png');
		const main = pipelines.find((/** @type {any} */ pipeline) => pipeline.is_main);
		// Picking the pipeline makes the status field load its stages again (loadOptionsDependsOn);
		// a list opened before that answer would still hold every pipeline's stages.
		const statusesReloaded = page.waitForResponse((response) =>
			response.url().includes('/dynamic-node-parameters/options'),
		);
		await page.locator(RLC_ITEMS).filter({ hasText: main.name }).click();
		await statusesReloaded;

		// The statuses are those of the pipeline just picked (loadOptionsDependsOn).
		// Without the system Incoming stage (type 1): no deal can be put there (docs/services/amocrm.md).
		const statuses = main._embedded.statuses
			.filter((/** @type {any} */ status) => status.type !== 1)
			.map((/** @type {any} */ status) => status.name);
		const statusNames = await listedEntries(
			parameter('statusId').locator('.el-select').first(),
			OPTION_ITEMS,
			statuses.length,
		);
		assert.deepEqual(statusNames.sort(), [...statuses].sort());
		await page.keyboard.press('Escape');

		const textFields = leadFields.filter((/** @type {any} */ field) =>
			['text', 'textarea'].includes(field.type),
		);
		const fieldNames = await listedEntries(
			parameter('orderCodeField').locator('[data-test-id="rlc-input"]'),
			RLC_ITEMS,
			textFields.length,
		);
		assert.deepEqual(
			fieldNames.sort(),
			textFields.map((/** @type {any} */ field) => `${field.name} (${field.type})`).sort(),
		);
		await page.keyboard.press('Escape');
		await closeNode();
	});

	it('lists the sandbox Webkassa cashboxes and Al-Style categories in their nodes', async () => {
		const { cashboxes } = /** @type {any} */ (sandboxServer.state.webkassa);
		const { categories } = /** @type {any} */ (sandboxServer.state.alstyle);
		await openWorkflow(LOAD_OPTIONS_WORKFLOW.id, LOAD_OPTIONS_WORKFLOW.nodes.length);

		await openNode('Shift history');
		const cashboxNames = await listedEntries(
			parameter('cashbox').locator('[data-test-id="rlc-input"]'),
			RLC_ITEMS,
			cashboxes.length,
		);
		for (const cashbox of cashboxes) {
			assert.ok(
				cashboxNames.some((name) => name.includes(cashbox.UniqueNumber)),
				`cashbox ${cashbox.UniqueNumber} listed: ${cashboxNames.join(' | ')}`,
			);
		}
		await screenshot('load-options-webkassa-cashboxes.png');
		await page.keyboard.press('Escape');
		await closeNode();

		await openNode('Products');
		const categoryNames = await listedEntries(
			parameter('category').locator('.el-select').first(),
			OPTION_ITEMS,
			categories.length,
		);
		// Labels are paths ("Root / Root: Mid / Mid — Leaf"), each ending in its category's name.
		for (const category of categories) {
			assert.ok(
				categoryNames.some((name) => name.endsWith(category.name)),
				`category ${category.name} listed`,
			);
		}
		await screenshot('load-options-alstyle-categories.png');
		await page.keyboard.press('Escape');
		await closeNode();
	});

	it('runs order → WhatsApp from the editor and the messages reach WAHA', async () => {
		const buyers = [
			{ code: '610000001', firstName: 'Айгерим', lastName: 'Сейткали', cellPhone: '7011234567' },
			{ code: '610000002', firstName: 'Нурлан', lastName: 'Абенов', cellPhone: '7779876543' },
		];
		await sandbox.createOrders(
			buyers.map(({ code, ...customer }) => ({
				code,
				state: 'NEW',
				status: 'APPROVED_BY_BANK',
				creationDate: Date.now(),
				customer,
				entries: [{ sku: 'ALS77031', name: 'Мышь Logitech M185', quantity: 1, basePrice: 4990 }],
			})),
		);
		const workflow = loadWorkflow('kaspi-order-whatsapp.json');
		await openWorkflow(workflow.id, workflow.nodes.length);
		await fitView();
		await byTestId('execute-workflow-button').first().click();
		await page
			.locator('.el-notification')
			.filter({ hasText: /executed successfully/i })
			.first()
			.waitFor({ timeout: 3 * UI_TIMEOUT_MS });
		assert.equal(
			await page
				.locator('.el-notification')
				.filter({ hasText: /problem|error/i })
				.count(),
			0,
		);
		await screenshot('execution-order-whatsapp.png');
		// A manual run of the Kaspi Trigger emits the newest order: one item along the path
		// trigger → filter → has phone → on WhatsApp? → compose → send, six edges.
		const labels = await byTestId('edge-label').allInnerTexts();
		assert.equal(
			labels.filter((label) => label.trim() === '1 item').length,
			6,
			`edge labels: ${labels.join(' | ')}`,
		);
		const messages = await waitFor(
			async () => {
				const sent = await sandbox.messages();
				return sent.length > 0 ? sent : undefined;
			},
			{ what: 'the WhatsApp message' },
		);
		assert.equal(messages.length, 1);
		assert.ok(
			['77011234567@c.us', '77779876543@c.us'].includes(messages[0].chatId),
			'sent to a buyer of a new order',
		);
		assert.match(messages[0].text ?? '', /№61000000[12]/);
	});
});

/**
 * The node panel folds an app's trigger into the app's entry ("Kaspi Trigger" is listed as "Kaspi",
 * its trigger events inside), so a trigger is found under its app's name.
 * @param {{ displayName: string, isTrigger: boolean }} node
 */
function panelName(node) {
	return node.isTrigger ? node.displayName.replace(/ Trigger$/, '') : node.displayName;
}

/** @param {string} html */
function stripHtml(html) {
	return html
		.replace(/<[^>]+>/g, '')
		.replace(/&amp;/g, '&')
		.trim();
}

/** Text with its whitespace runs made single spaces, as the form wraps it. @param {string} text */
function flat(text) {
	return text.replace(/\s+/g, ' ');
}

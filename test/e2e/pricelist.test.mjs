// @ts-check
// Al-Style → Kaspi price list, end to end: the real pinned n8n runs workflows/alstyle-kaspi-feed.json
// against the sandbox's Al-Style emulator (thousands of products, 403 when called too fast).
// The two schedule triggers become webhooks in the test copy, so each refresh runs on demand and
// the call returns when it has finished; the storage folder becomes a temporary one.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import libxmljs from 'libxmljs2';

import { startSandbox } from '../../sandbox/server.mjs';
import { N8n, loadWorkflow, packPackage } from './lib/harness.mjs';
import { alStyleSandboxCredential, Sandbox } from './lib/sandbox-client.mjs';

/** @type {any} libxml2's DOM, read loosely */
const libxml = libxmljs;
const WORKFLOW_ID = 'kzAlStyleKaspi01';
const SHIPPED_DIR = '/home/node/.n8n-files/kz-commerce';
/** Both sides shortened alike: the sandbox's limit and the credential's pace. */
const INTERVAL_MS = 300;

/** @param {string} dir */
function workflowForTest(dir) {
	const workflow = JSON.parse(
		JSON.stringify(loadWorkflow('alstyle-kaspi-feed.json')).split(SHIPPED_DIR).join(dir),
	);
	for (const node of workflow.nodes) {
		const path = { 'Nightly at 03:00': 'test-nightly', 'Every 15 minutes': 'test-quick' }[
			/** @type {string} */ (node.name)
		];
		if (path) {
			node.type = 'n8n-nodes-base.webhook';
			node.typeVersion = 2;
			node.parameters = { httpMethod: 'POST', path, responseMode: 'lastNode', options: {} };
			node.webhookId = `test-${path}`;
		}
	}
	// Test only: a third trigger hands the validator a broken list (an offer without its SKU), to
	// show that an invalid build stops the run and leaves the published file alone.
	workflow.nodes.push(
		{
			id: 'test-broken-trigger',
			name: 'Broken build (test)',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [600, 500],
			webhookId: 'test-test-broken',
			parameters: {
				httpMethod: 'POST',
				path: 'test-broken',
				responseMode: 'lastNode',
				options: {},
			},
		},
		{
			id: 'test-broken-code',
			name: 'Broken price list (test)',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			position: [800, 500],
			parameters: {
				jsCode: `const xml = '<?xml version="1.0" encoding="utf-8"?>\\n<kaspi_catalog date="d" xmlns="kaspiShopping">\\n<company>C</company><merchantid>1</merchantid>\\n<offers>\\n<offer><model>m</model><availabilities><availability available="yes" storeId="PP1"/></availabilities><price>5</price></offer>\\n</offers></kaspi_catalog>';\nreturn [{ json: {}, binary: { data: await this.helpers.prepareBinaryData(Buffer.from(xml), 'kaspi-price-list.xml', 'application/xml') } }];`,
			},
		},
	);
	workflow.connections['Broken build (test)'] = {
		main: [[{ node: 'Broken price list (test)', type: 'main', index: 0 }]],
	};
	workflow.connections['Broken price list (test)'] = {
		main: [[{ node: 'Validate price list', type: 'main', index: 0 }]],
	};
	return workflow;
}

/**
 * The offers of a price list, by SKU, with libxml2 reading it.
 * @param {string} xml
 */
function offers(xml) {
	const doc = libxml.parseXml(xml);
	const ns = { k: 'kaspiShopping' };
	/** @type {Map<string, { model: string, brand: string, price: string, availability: string }>} */
	const out = new Map();
	for (const /** @type {any} */ offer of doc.find('//k:offer', ns)) {
		out.set(offer.attr('sku').value(), {
			model: offer.get('k:model', ns)?.text() ?? '',
			brand: offer.get('k:brand', ns)?.text() ?? '',
			price: offer.get('k:price', ns)?.text() ?? '',
			availability: offer
				.find('k:availabilities/k:availability', ns)
				.map((/** @type {any} */ a) =>
					a
						.attrs()
						.map((/** @type {any} */ x) => `${x.name()}=${x.value()}`)
						.join(' '),
				)
				.join(';'),
		});
	}
	return out;
}

describe('Al-Style → Kaspi price list in a real n8n', { timeout: 20 * 60_000 }, () => {
	/** @type {Awaited<ReturnType<typeof startSandbox>>} */
	let sandboxServer;
	/** @type {Sandbox} */
	let sandbox;
	/** @type {N8n} */
	let n8n;
	const dir = mkdtempSync(join(tmpdir(), 'kz-feed-'));
	const xsd = libxml.parseXml(
		readFileSync(join(import.meta.dirname, '../../schemas/kaspishopping.xsd'), 'utf8'),
	);

	before(async () => {
		sandboxServer = await startSandbox({ seed: true });
		sandbox = new Sandbox(sandboxServer.url);
		await sandbox.http.post('/alstyle/interval', { ms: INTERVAL_MS });
		const tarball = packPackage(mkdtempSync(join(tmpdir(), 'kz-pack-')));
		n8n = await new N8n({
			tarball,
			// n8n 2.x lets file nodes into ~/.n8n-files only, unless told otherwise; the test keeps the
			// feed's files in its own folder and names it, as an operator with another folder would.
			env: { N8N_RESTRICT_FILE_ACCESS_TO: dir },
			log: process.env.E2E_VERBOSE ? console.log : undefined,
		}).init();
		n8n.importCredentials([
			alStyleSandboxCredential(sandboxServer.url, { minIntervalSeconds: INTERVAL_MS / 1000 }),
		]);
		n8n.importWorkflows([workflowForTest(dir)]);
		await n8n.start();
	});

	after(async () => {
		await n8n?.dispose();
		await sandboxServer?.close();
	});

	/** @param {string} path */
	async function runRefresh(path) {
		const response = await fetch(`${n8n.url}/webhook/${path}`, { method: 'POST' });
		const text = await response.text();
		assert.equal(response.status, 200, `${path}: ${text.slice(0, 500)}`);
		await n8n.settled([WORKFLOW_ID]);
	}

	async function served() {
		const response = await fetch(`${n8n.url}/webhook/kaspi-price-list`);
		return {
			status: response.status,
			type: response.headers.get('content-type') ?? '',
			body: await response.text(),
		};
	}

	it('answers 503 before any valid price list exists', async () => {
		const before = await served();
		assert.equal(before.status, 503);
	});

	it('1. builds a valid price list from the sandbox catalogue', async () => {
		await runRefresh('test-nightly');
		const xml = readFileSync(join(dir, 'kaspi-price-list.xml'), 'utf8');
		const doc = libxml.parseXml(xml);
		assert.equal(doc.validate(xsd), true, JSON.stringify(doc.validationErrors.slice(0, 3)));
		const state = (await sandbox.http.get('/alstyle/state')).data;
		const list = offers(xml);
		// Price-on-request items (price 1 → null) are left out; everything else is there, sold out or not.
		assert.ok(
			list.size > 3900 && list.size < state.products,
			`${list.size} offers of ${state.products}`,
		);
		const sample = (await sandbox.http.get('/alstyle/products/20000')).data;
		const offer = list.get('ALS20000');
		assert.ok(offer);
		assert.equal(offer.model, sample.name);
		assert.equal(Number(offer.price) % 10, 0); // rounded up to 10 ₸
		assert.ok(Number(offer.price) >= sample.price2);
		const catalogue = JSON.parse(readFileSync(join(dir, 'alstyle-catalogue.json'), 'utf8'));
		assert.equal(catalogue.length, state.products);
		assert.ok(
			catalogue.some(
				(/** @type {any} */ p) => p.quantityIsLowerBound === true && p.quantity === 50,
			),
		);
		assert.ok(catalogue.some((/** @type {any} */ p) => p.price2 === null));
		assert.ok(catalogue.every((/** @type {any} */ p) => Array.isArray(p.images)));
		// Al-Style's 9,999,999 placeholder (docs/services/alstyle.md) is no price, so never an offer at ~10 M ₸.
		const withdrawn = (await sandbox.http.get('/alstyle/products/20123')).data;
		assert.equal(withdrawn.price2, 9999999);
		assert.equal(list.get('ALS20123'), undefined);
		assert.equal(catalogue.find((/** @type {any} */ p) => p.article === 20123).price2, null);
		// "<5" is at most 4, flagged as an upper bound.
		assert.equal((await sandbox.http.get('/alstyle/products/20087')).data.quantity, '<5');
		assert.deepEqual(
			(({ quantity, quantityIsLowerBound, quantityIsUpperBound }) => ({
				quantity,
				quantityIsLowerBound,
				quantityIsUpperBound,
			}))(catalogue.find((/** @type {any} */ p) => p.article === 20087)),
			{ quantity: 4, quantityIsLowerBound: false, quantityIsUpperBound: true },
		);
	});

	it('2. the Webhook serves the last valid price list as application/xml', async () => {
		const response = await served();
		assert.equal(response.status, 200);
		assert.match(response.type, /^application\/xml/);
		assert.equal(response.body, readFileSync(join(dir, 'kaspi-price-list.xml'), 'utf8'));
	});

	it('3. the quick refresh changes only stock and prices, with one Al-Style call', async () => {
		const before = offers((await served()).body);
		const seqBefore = await sandbox.lastSeq();
		const changed = (await sandbox.http.post('/alstyle/changes', { count: 40 })).data;
		await runRefresh('test-quick');
		const calls = await sandbox.requests('alstyle', undefined, seqBefore);
		assert.deepEqual(
			calls.map((c) => c.path),
			['/api/quantity-price'],
		);
		const afterRefresh = offers((await served()).body);
		assert.deepEqual([...afterRefresh.keys()].sort(), [...before.keys()].sort());
		let differences = 0;
		for (const [sku, offer] of afterRefresh) {
			const old = /** @type {NonNullable<ReturnType<typeof before.get>>} */ (before.get(sku));
			assert.equal(offer.model, old.model, sku);
			assert.equal(offer.brand, old.brand, sku);
			if (offer.price !== old.price || offer.availability !== old.availability) differences++;
		}
		const changedSkus = new Set(
			changed.map((/** @type {{ article: number }} */ c) => `ALS${c.article}`),
		);
		assert.ok(
			differences > 0 && differences <= changedSkus.size,
			`${differences} offers changed, ${changedSkus.size} products changed`,
		);
		for (const c of changed) {
			const offer = afterRefresh.get(`ALS${c.article}`);
			if (!offer) continue;
			assert.ok(Number(offer.price) >= c.price2, `price of ${c.article}`);
			assert.match(offer.availability, c.quantity === 0 ? /available=no/ : /available=yes/);
		}
	});

	it('an invalid build stops the run with its first error and never replaces the published list', async () => {
		const published = readFileSync(join(dir, 'kaspi-price-list.xml'), 'utf8');
		const response = await fetch(`${n8n.url}/webhook/test-broken`, { method: 'POST' });
		assert.notEqual(response.status, 200);
		await n8n.settled([WORKFLOW_ID]);
		const [latest] = await n8n.executions(WORKFLOW_ID, { includeData: true });
		assert.equal(latest.status, 'error');
		const error = JSON.stringify(latest.data?.resultData?.error ?? {});
		assert.match(error, /invalid \(1 errors\) and was not published/);
		assert.match(error, /line 5, Element 'offer': The attribute 'sku' is required but missing/);
		assert.equal(readFileSync(join(dir, 'kaspi-price-list.xml'), 'utf8'), published);
		assert.equal((await served()).body, published);
	});

	it('4. never trips the sandbox rate limit, even with refreshes overlapping', async () => {
		const seqBefore = await sandbox.lastSeq();
		await Promise.all([
			runRefresh('test-quick'),
			runRefresh('test-quick'),
			runRefresh('test-nightly'),
		]);
		const state = (await sandbox.http.get('/alstyle/state')).data;
		assert.equal(state.tooFast, 0);
		const calls = await sandbox.requests('alstyle', undefined, seqBefore);
		assert.ok(calls.length >= 2 + 17, `${calls.length} calls`);
		assert.ok(calls.every((c) => c.status === 200));
		const recent = (await n8n.executions(WORKFLOW_ID)).slice(0, 3);
		assert.deepEqual(
			recent.map((e) => e.status),
			['success', 'success', 'success'],
		);
	});
});

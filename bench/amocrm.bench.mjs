// @ts-check
// amoCRM Sync Orders against the sandbox at its real limit of 7 requests per second: the batched
// operation the node ships, and a naive order-by-order path through the same transport, measured
// in one run. Figures only; nothing here passes or fails on a timing.
//
//   AMOCRM_BENCH_ORDERS (default 1000)      orders of the batched runs (3 items each)
//   AMOCRM_BENCH_NAIVE_ORDERS (default 100) orders of the naive run (it needs ~6 calls an order,
//                                           so 1000 would take a quarter of an hour)
//   AMOCRM_BENCH_BUSY (default 1)           0 skips the busy-account runs
//   AMOCRM_BENCH_BUSY_LEADS (default 50000) deals of other sources on the busy account
//   AMOCRM_BENCH_BUSY_RECENT (default 10000) of them created in the last 14 days
//   AMOCRM_BENCH_BUSY_CONTACTS (default 30000) contacts on the busy account
//   AMOCRM_BENCH_BUSY_PRODUCTS (default 5000) products on the busy account
//
// The busy account (issue 13) is seeded in one call (POST /_control/amocrm/seed). Its runs print
// whether the sync paged through contacts or products (any GET of them without `query`) or read
// deals without a bounding filter, and the order-note calls of a second run.
import { createRequire } from 'node:module';

import { startSandbox } from '../sandbox/server.mjs';
import { AMOCRM_DEFAULT_TOKEN, SEED } from '../sandbox/services/amocrm.mjs';

const require = createRequire(import.meta.url);
/** @type {typeof import('../nodes/AmoCrm/helpers/sync.ts')} */
const sync = require('../dist/nodes/AmoCrm/helpers/sync.js');
/** @type {typeof import('../nodes/AmoCrm/helpers/syncCaches.ts')} */
const syncCaches = require('../dist/nodes/AmoCrm/helpers/syncCaches.js');
/** @type {typeof import('../nodes/AmoCrm/helpers/orderNote.ts')} */
const { orderNote } = require('../dist/nodes/AmoCrm/helpers/orderNote.js');
/** @type {typeof import('../nodes/AmoCrm/transport/index.ts')} */
const transport = require('../dist/nodes/AmoCrm/transport/index.js');
/** @type {typeof import('../nodes/AmoCrm/helpers/contacts.ts')} */
const contacts = require('../dist/nodes/AmoCrm/helpers/contacts.js');

const ORDERS = Number(process.env.AMOCRM_BENCH_ORDERS ?? 1000);
const NAIVE_ORDERS = Number(process.env.AMOCRM_BENCH_NAIVE_ORDERS ?? 100);
const PHONES = Math.round(ORDERS * 0.7);
const SKUS = 60;
const BUSY = process.env.AMOCRM_BENCH_BUSY !== '0';
const BUSY_LEADS = Number(process.env.AMOCRM_BENCH_BUSY_LEADS ?? 50_000);
const BUSY_RECENT = Number(process.env.AMOCRM_BENCH_BUSY_RECENT ?? 10_000);
const BUSY_CONTACTS = Number(process.env.AMOCRM_BENCH_BUSY_CONTACTS ?? 30_000);
const BUSY_PRODUCTS = Number(process.env.AMOCRM_BENCH_BUSY_PRODUCTS ?? 5_000);

/** @typedef {{ method: string, path: string, qs: Record<string, unknown> }} Sent */
/** Every request the bench's context sent since the last `measure` began. */
/** @type {Sent[]} */
const sent = [];

/**
 * Reads that page through a list: contacts or products without `query`, deals with neither
 * `query` nor a created-since filter.
 * @param {Sent[]} requests
 */
function scansOf(requests) {
	const gets = requests.filter((request) => request.method === 'GET');
	const unasked = (/** @type {Sent} */ request) => request.qs.query === undefined;
	return {
		contacts: gets.filter((r) => r.path === '/api/v4/contacts' && unasked(r)).length,
		products: gets.filter((r) => /^\/api\/v4\/catalogs\/\d+\/elements$/.test(r.path) && unasked(r))
			.length,
		leads: gets.filter(
			(r) =>
				r.path === '/api/v4/leads' && unasked(r) && r.qs['filter[created_at][from]'] === undefined,
		).length,
	};
}

/**
 * The slice of an n8n execution context the transport uses, over fetch.
 * @param {string} baseUrl
 * @returns {any}
 */
export function fetchContext(baseUrl) {
	return {
		getNode: () => ({
			id: 'bench',
			name: 'amoCRM',
			type: 'n8n-nodes-kz-commerce.amoCrm',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		}),
		getNodeParameter: (
			/** @type {string} */ name,
			/** @type {number} */ _index,
			/** @type {unknown} */ fallback,
		) => (name === 'authentication' ? 'longLivedToken' : fallback),
		getCredentials: async () => ({
			platform: 'custom',
			baseUrl,
			accessToken: AMOCRM_DEFAULT_TOKEN,
		}),
		helpers: {
			/** @param {string} _type @param {any} options */
			async httpRequestWithAuthentication(_type, options) {
				const url = new URL(options.url);
				sent.push({ method: options.method ?? 'GET', path: url.pathname, qs: options.qs ?? {} });
				for (const [key, value] of Object.entries(options.qs ?? {})) {
					if (value !== undefined) url.searchParams.set(key, String(value));
				}
				const response = await fetch(url, {
					method: options.method,
					headers: { ...options.headers, Authorization: `Bearer ${AMOCRM_DEFAULT_TOKEN}` },
					body: options.body === undefined ? undefined : JSON.stringify(options.body),
				});
				const text = await response.text();
				let body = text;
				try {
					body = text ? JSON.parse(text) : '';
				} catch {}
				return { statusCode: response.status, headers: Object.fromEntries(response.headers), body };
			},
		},
	};
}

/**
 * Flat Kaspi orders (the Kaspi node's output shape), 3 items each.
 * @param {number} count
 * @param {number} phones
 * @param {number} offset
 */
export function benchOrders(count, phones, offset = 0, buyerOffset = 0) {
	return Array.from({ length: count }, (_, index) => {
		const buyer = (index % phones) + buyerOffset;
		const entries = [0, 1, 2].map((item) => {
			const sku = `SKU-${(index * 3 + item) % SKUS}`;
			return {
				sku,
				name: `Товар ${sku}`,
				quantity: 1 + item,
				unitPrice: 1000,
				totalPrice: 1000 * (1 + item),
				category: null,
			};
		});
		return {
			code: String(300_000_000 + offset + index),
			state: 'ACCEPTED_BY_MERCHANT',
			totalPrice: 6000,
			creationDate: Date.now() - 3600_000,
			createdAt: new Date().toISOString(),
			customerName: `Покупатель ${buyer}`,
			customerFirstName: 'Покупатель',
			customerLastName: String(buyer),
			customerPhone: `+7701${String(1_000_000 + buyer).padStart(7, '0')}`,
			deliveryAddress: 'Алматы',
			deliveryMode: 'DELIVERY_LOCAL',
			entries,
		};
	});
}

/** @param {string} url */
async function stats(url) {
	return await (await fetch(`${url}/_control/amocrm/stats`)).json();
}

/** @param {string} url @param {string} path @param {unknown} [body] */
async function control(url, path, body) {
	await fetch(`${url}/_control${path}`, { method: 'POST', body: JSON.stringify(body ?? {}) });
}

/**
 * @param {string} label
 * @param {string} url
 * @param {number} orders
 * @param {() => Promise<void>} work
 */
async function measure(label, url, orders, work) {
	await fetch(`${url}/_control/amocrm/stats`, { method: 'DELETE' });
	sent.length = 0;
	const started = performance.now();
	await work();
	const wall = (performance.now() - started) / 1000;
	const after = await stats(url);
	const ideal = after.total / 7;
	console.log(
		`${label.padEnd(44)} orders ${String(orders).padStart(5)}  requests ${String(after.total).padStart(5)}  ` +
			`per order ${(after.total / orders).toFixed(3)}  wall ${wall.toFixed(1)} s  (requests ÷ 7 = ${ideal.toFixed(1)} s, ` +
			`${ideal ? (((wall - ideal) / ideal) * 100).toFixed(1) : '0'}%)  429s ${after.tooManyRequests}  max/s ${after.maxInWindow}  blocked ${after.blocked}`,
	);
	const scans = scansOf(sent);
	const notes = sent.filter((request) => request.path.endsWith('/notes')).length;
	console.log(
		`${''.padEnd(44)} scans: contacts ${scans.contacts}, products ${scans.products}, unbounded deal reads ${scans.leads}; note calls ${notes}`,
	);
	return { ...after, perOrder: after.total / orders, scans, notes };
}

const settings = {
	orderCodeFieldId: SEED.orderCodeFieldId,
	pipelineId: SEED.pipelineId,
	statusId: SEED.statusNew,
	dealNamePrefix: 'Kaspi order ',
	addNotes: true,
	linkProducts: true,
	dryRun: false,
};

/**
 * The script a user would write: per order, search the deal, search the contact, create it when
 * missing, create the deal, add the note, link the products (SKUs resolved once, up front).
 * @param {any} context
 * @param {ReturnType<typeof benchOrders>} orders
 * @param {Map<string, number>} skuIds
 */
export async function naive(context, orders, skuIds) {
	for (const order of orders) {
		await transport.amoGetPage(context, '/api/v4/leads', 'leads', { query: order.code });
		const digits = /** @type {string} */ (contacts.phoneDigits(order.customerPhone));
		let [contact] = await contacts.findContactsByPhone(context, digits);
		const contactId =
			contact?.id ??
			(await contacts.createContact(context, { name: order.customerName, phone: digits }));
		/** @type {any} */
		const created = await transport.amoRequest(context, {
			method: 'POST',
			path: '/api/v4/leads',
			body: [
				{
					name: `Kaspi order ${order.code}`,
					price: order.totalPrice,
					pipeline_id: SEED.pipelineId,
					status_id: SEED.statusNew,
					custom_fields_values: [
						{ field_id: SEED.orderCodeFieldId, values: [{ value: order.code }] },
					],
					_embedded: { contacts: [{ id: contactId }] },
				},
			],
		});
		const dealId = created._embedded.leads[0].id;
		await transport.amoRequest(context, {
			method: 'POST',
			path: `/api/v4/leads/${dealId}/notes`,
			body: [{ note_type: 'common', params: { text: orderNote(/** @type {any} */ (order)) } }],
		});
		await transport.amoRequest(context, {
			method: 'POST',
			path: `/api/v4/leads/${dealId}/link`,
			body: order.entries.map((entry) => ({
				to_entity_id: skuIds.get(entry.sku),
				to_entity_type: 'catalog_elements',
				metadata: { catalog_id: SEED.catalogId, quantity: entry.quantity },
			})),
		});
	}
}

/**
 * A busy account (issue 13): deals, contacts and products of other sources, seeded in one call;
 * 1000 orders of 700 buyers synced cold (buyers already contacts, then new buyers), warm, and again.
 * @param {string} url
 * @param {(orders: any[]) => Promise<any[]>} run
 * @param {{ cold: any, warm: any }} empty The empty account's figures, printed beside.
 */
async function busy(url, run, empty) {
	await control(url, '/reset', { seed: false });
	const returning = 100_000;
	const fresh = 200_000;
	// The returning buyers as other sources wrote them, +7 (701) 1… and +7701…; the SKUs among the
	// products.
	const phones = Array.from({ length: Math.min(PHONES, BUSY_CONTACTS) }, (_, buyer) => {
		const digits = String(1_000_000 + returning + buyer).padStart(7, '0');
		return buyer % 2
			? `+7701${digits}`
			: `+7 (701) ${digits.slice(0, 3)}-${digits.slice(3, 5)}-${digits.slice(5)}`;
	});
	const skus = Array.from({ length: Math.min(SKUS, BUSY_PRODUCTS) }, (_, index) => `SKU-${index}`);
	const started = performance.now();
	const response = await fetch(`${url}/_control/amocrm/seed`, {
		method: 'POST',
		body: JSON.stringify({
			leads: BUSY_LEADS,
			recentLeads: Math.min(BUSY_RECENT, BUSY_LEADS),
			recentDays: 14,
			contacts: BUSY_CONTACTS,
			phones,
			products: BUSY_PRODUCTS,
			skus,
		}),
	});
	const seeded = await response.json();
	console.log(
		`\nbusy account: ${seeded.leads} deals (${Math.min(BUSY_RECENT, BUSY_LEADS)} in the last 14 days), ` +
			`${seeded.contacts} contacts, ${seeded.elements} products, seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`,
	);

	syncCaches.clearSyncCaches();
	const coldReturning = await measure(
		'busy, cold caches, returning buyers',
		url,
		ORDERS,
		async () => {
			await run(benchOrders(ORDERS, PHONES, 10 * ORDERS, returning));
		},
	);
	syncCaches.clearSyncCaches();
	const coldNew = await measure('busy, cold caches, new buyers', url, ORDERS, async () => {
		await run(benchOrders(ORDERS, PHONES, 11 * ORDERS, fresh));
	});
	const warmOrders = benchOrders(ORDERS, PHONES, 12 * ORDERS, fresh);
	const warm = await measure('busy, warm caches, returning buyers', url, ORDERS, async () => {
		await run(warmOrders);
	});
	const again = await measure('busy, second run of the same orders', url, ORDERS, async () => {
		await run(warmOrders);
	});

	const all = [coldReturning, coldNew, warm, again];
	const scans = all.reduce(
		(sum, figures) => sum + figures.scans.contacts + figures.scans.products,
		0,
	);
	const unbounded = all.reduce((sum, figures) => sum + figures.scans.leads, 0);
	console.log(
		`\nrequests per order   empty account: cold ${empty.cold.perOrder.toFixed(3)}, warm ${empty.warm.perOrder.toFixed(3)}` +
			`   busy account: cold ${coldReturning.perOrder.toFixed(3)} (returning buyers) / ${coldNew.perOrder.toFixed(3)} (new buyers), warm ${warm.perOrder.toFixed(3)}`,
	);
	console.log(
		`busy account: 429s ${all.reduce((sum, figures) => sum + figures.tooManyRequests, 0)}, ` +
			`contact/product scans ${scans ? scans : 'none'}, unbounded deal reads ${unbounded ? unbounded : 'none'}, ` +
			`note calls on the second run ${again.notes}`,
	);
}

export default async function bench() {
	const sandbox = await startSandbox({ seed: true });
	try {
		const context = fetchContext(sandbox.baseUrls.amocrm);
		const run = async (/** @type {any[]} */ orders) =>
			await new sync.OrderSync(context, new URL(sandbox.url).host, settings).run(orders);
		console.log(
			`sandbox limit 7 requests/s; ${ORDERS} orders × 3 items, ${PHONES} distinct phones, ${SKUS} SKUs`,
		);

		syncCaches.clearSyncCaches();
		await measure('batched, cold caches, new buyers', sandbox.url, ORDERS, async () => {
			const results = await run(benchOrders(ORDERS, PHONES));
			const errors = results.filter((result) => result.action !== 'created');
			if (errors.length)
				console.log(`  ${errors.length} orders not created, e.g. ${JSON.stringify(errors[0])}`);
		});
		await measure('batched, second run (nothing to do)', sandbox.url, ORDERS, async () => {
			await run(benchOrders(ORDERS, PHONES));
		});

		syncCaches.clearSyncCaches();
		const emptyCold = await measure(
			'batched, cold caches, every buyer a contact',
			sandbox.url,
			ORDERS,
			async () => {
				await run(benchOrders(ORDERS, PHONES, ORDERS));
			},
		);
		const emptyWarm = await measure(
			'batched, warm caches, every buyer a contact',
			sandbox.url,
			ORDERS,
			async () => {
				await run(benchOrders(ORDERS, PHONES, 2 * ORDERS));
			},
		);

		// The naive path: fresh account, products created up front (not counted).
		await control(sandbox.url, '/reset', { seed: true });
		syncCaches.clearSyncCaches();
		const naiveOrders = benchOrders(NAIVE_ORDERS, Math.round(NAIVE_ORDERS * 0.7), 5 * ORDERS);
		const syncForSkus = new sync.OrderSync(context, new URL(sandbox.url).host, settings);
		const skuIds = await /** @type {any} */ (syncForSkus).resolveProducts(
			SEED.catalogId,
			naiveOrders.map((order) => ({ order })),
		);
		await measure('naive order by order, new buyers', sandbox.url, NAIVE_ORDERS, async () => {
			await naive(context, naiveOrders, skuIds);
		});

		if (BUSY) await busy(sandbox.url, run, { cold: emptyCold, warm: emptyWarm });
	} finally {
		await sandbox.close();
	}
}

if (import.meta.url === `file://${process.argv[1]}`) await bench();

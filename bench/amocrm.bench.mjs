// @ts-check
// amoCRM Sync Orders against the sandbox at its real limit of 7 requests per second: the batched
// operation the node ships, and a naive order-by-order path through the same transport, measured
// in one run. Figures only; nothing here passes or fails on a timing.
//
//   AMOCRM_BENCH_ORDERS (default 1000)      orders of the batched runs (3 items each)
//   AMOCRM_BENCH_NAIVE_ORDERS (default 100) orders of the naive run (it needs ~6 calls an order,
//                                           so 1000 would take a quarter of an hour)
import { createRequire } from 'node:module';

import { startSandbox } from '../sandbox/server.mjs';
import { AMOCRM_DEFAULT_TOKEN, SEED } from '../sandbox/services/amocrm.mjs';

const require = createRequire(import.meta.url);
/** @type {typeof import('../nodes/AmoCrm/helpers/sync.ts')} */
const sync = require('../dist/nodes/AmoCrm/helpers/sync.js');
/** @type {typeof import('../nodes/AmoCrm/transport/index.ts')} */
const transport = require('../dist/nodes/AmoCrm/transport/index.js');
/** @type {typeof import('../nodes/AmoCrm/helpers/contacts.ts')} */
const contacts = require('../dist/nodes/AmoCrm/helpers/contacts.js');

const ORDERS = Number(process.env.AMOCRM_BENCH_ORDERS ?? 1000);
const NAIVE_ORDERS = Number(process.env.AMOCRM_BENCH_NAIVE_ORDERS ?? 100);
const PHONES = Math.round(ORDERS * 0.7);
const SKUS = 60;

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
export function benchOrders(count, phones, offset = 0) {
	return Array.from({ length: count }, (_, index) => {
		const buyer = index % phones;
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
	return after;
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
			body: [{ note_type: 'common', params: { text: sync.orderNote(/** @type {any} */ (order)) } }],
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

export default async function bench() {
	const sandbox = await startSandbox({ seed: true });
	try {
		const context = fetchContext(sandbox.baseUrls.amocrm);
		const run = async (/** @type {any[]} */ orders) =>
			await new sync.OrderSync(context, new URL(sandbox.url).host, settings).run(orders);
		console.log(
			`sandbox limit 7 requests/s; ${ORDERS} orders × 3 items, ${PHONES} distinct phones, ${SKUS} SKUs`,
		);

		sync.clearSyncCaches();
		await measure('batched, cold caches, new buyers', sandbox.url, ORDERS, async () => {
			const results = await run(benchOrders(ORDERS, PHONES));
			const errors = results.filter((result) => result.action !== 'created');
			if (errors.length)
				console.log(`  ${errors.length} orders not created, e.g. ${JSON.stringify(errors[0])}`);
		});
		await measure('batched, second run (nothing to do)', sandbox.url, ORDERS, async () => {
			await run(benchOrders(ORDERS, PHONES));
		});

		sync.clearSyncCaches();
		await measure('batched, cold caches, every buyer a contact', sandbox.url, ORDERS, async () => {
			await run(benchOrders(ORDERS, PHONES, ORDERS));
		});
		await measure('batched, warm caches, every buyer a contact', sandbox.url, ORDERS, async () => {
			await run(benchOrders(ORDERS, PHONES, 2 * ORDERS));
		});

		// The naive path: fresh account, products created up front (not counted).
		await control(sandbox.url, '/reset', { seed: true });
		sync.clearSyncCaches();
		const naiveOrders = benchOrders(NAIVE_ORDERS, Math.round(NAIVE_ORDERS * 0.7), 5 * ORDERS);
		const syncForSkus = new sync.OrderSync(context, new URL(sandbox.url).host, settings);
		const skuIds = await /** @type {any} */ (syncForSkus).resolveProducts(
			SEED.catalogId,
			naiveOrders.map((order) => ({ order })),
		);
		await measure('naive order by order, new buyers', sandbox.url, NAIVE_ORDERS, async () => {
			await naive(context, naiveOrders, skuIds);
		});
	} finally {
		await sandbox.close();
	}
}

if (import.meta.url === `file://${process.argv[1]}`) await bench();

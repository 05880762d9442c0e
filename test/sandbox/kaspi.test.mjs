// @ts-check
/**
 * The Kaspi emulator where issue 12 corrected it, each rule as docs/services/kaspi.md states it:
 * `deliveryType` only with the states that allow it, the guide's status list for filters, paged
 * entries, and the short answer to a status change. Run: node --test test/sandbox/
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import axios from 'axios';

import { startSandbox } from '../../sandbox/server.mjs';

const DAY_MS = 24 * 60 * 60 * 1000;

/** @type {Awaited<ReturnType<typeof startSandbox>>} */
let sandbox;
/** @type {import('axios').AxiosInstance} */
let kaspi;
/** @type {import('axios').AxiosInstance} */
let control;

before(async () => {
	sandbox = await startSandbox({ seed: false });
	kaspi = axios.create({
		baseURL: sandbox.baseUrls.kaspi,
		headers: { 'X-Auth-Token': 'sandbox-kaspi-token', 'Content-Type': 'application/vnd.api+json' },
		validateStatus: () => true,
	});
	control = axios.create({ baseURL: `${sandbox.url}/_control`, validateStatus: () => true });
});

after(() => sandbox.close());

beforeEach(async () => {
	assert.equal((await control.post('/reset', { seed: false })).status, 200);
});

/** @param {Record<string, string | number>} extra */
function list(extra) {
	const now = Date.now();
	return kaspi.get('/orders', {
		params: {
			'page[number]': 0,
			'page[size]': 100,
			'filter[orders][creationDate][$ge]': now - DAY_MS,
			'filter[orders][creationDate][$le]': now,
			...extra,
		},
	});
}

/** @param {Record<string, unknown>} spec */
async function createOrder(spec) {
	const response = await control.post('/kaspi/orders', { orders: [spec] });
	assert.equal(response.status, 201, JSON.stringify(response.data));
	return response.data[0];
}

/** @param {{ id: string, code: string }} order */
function accept(order) {
	return kaspi.post('/orders', {
		data: {
			type: 'orders',
			id: order.id,
			attributes: { code: order.code, status: 'ACCEPTED_BY_MERCHANT' },
		},
	});
}

describe('Kaspi emulator', () => {
	test('deliveryType is refused with the delivery states and kept with NEW, SIGN_REQUIRED and ARCHIVE', async () => {
		const pickup = await createOrder({
			state: 'NEW',
			deliveryMode: 'DELIVERY_PICKUP',
			isKaspiDelivery: false,
		});
		await createOrder({ state: 'NEW', deliveryMode: 'DELIVERY_LOCAL' });
		for (const state of ['PICKUP', 'DELIVERY', 'KASPI_DELIVERY']) {
			const refused = await list({
				'filter[orders][state]': state,
				'filter[orders][deliveryType]': 'PICKUP',
			});
			assert.equal(refused.status, 400, state);
			assert.match(
				refused.data.errors[0].title,
				/deliveryType\] cannot be used with filter\[orders\]\[state\]=/,
			);
		}
		for (const state of ['SIGN_REQUIRED', 'ARCHIVE']) {
			assert.equal(
				(await list({ 'filter[orders][state]': state, 'filter[orders][deliveryType]': 'DELIVERY' }))
					.status,
				200,
			);
		}
		const newPickups = await list({
			'filter[orders][state]': 'NEW',
			'filter[orders][deliveryType]': 'PICKUP',
		});
		assert.deepEqual(
			newPickups.data.data.map((/** @type {any} */ order) => order.attributes.code),
			[pickup.code],
		);
	});

	test('a status filter outside the guide’s list is refused, though an order may carry it', async () => {
		await createOrder({ state: 'ARCHIVE', status: 'RETURN_ACCEPTED_BY_MERCHANT' });
		const refused = await list({
			'filter[orders][state]': 'ARCHIVE',
			'filter[orders][status]': 'RETURN_ACCEPTED_BY_MERCHANT',
		});
		assert.equal(refused.status, 400);
		const archive = await list({ 'filter[orders][state]': 'ARCHIVE' });
		assert.deepEqual(
			archive.data.data.map((/** @type {any} */ order) => order.attributes.status),
			['RETURN_ACCEPTED_BY_MERCHANT'],
		);
	});

	test('entries come in pages: 20 without page parameters, up to 100 with them, with meta.pageCount', async () => {
		const entries = Array.from({ length: 130 }, (_, index) => ({
			sku: `SKU${index}`,
			name: `Item ${index}`,
			basePrice: 100 + index,
		}));
		const order = await createOrder({ entries });
		const bare = await kaspi.get(`/orders/${order.id}/entries`);
		assert.equal(bare.status, 200);
		assert.equal(bare.data.data.length, 20);
		assert.deepEqual(bare.data.meta, { pageCount: 7, totalCount: 130 });

		const skus = [];
		for (const number of [0, 1]) {
			const page = await kaspi.get(`/orders/${order.id}/entries`, {
				params: { 'page[number]': number, 'page[size]': 100 },
			});
			assert.deepEqual(page.data.meta, { pageCount: 2, totalCount: 130 });
			skus.push(...page.data.data.map((/** @type {any} */ entry) => entry.attributes.offer.code));
		}
		assert.deepEqual(
			skus,
			entries.map((entry) => entry.sku),
		);
		const tooBig = await kaspi.get(`/orders/${order.id}/entries`, {
			params: { 'page[number]': 0, 'page[size]': 101 },
		});
		assert.equal(tooBig.status, 400);
	});

	test('a status change answers code and status only, not the order', async () => {
		const order = await createOrder({
			state: 'NEW',
			customer: { firstName: 'Айгерим', cellPhone: '7012345678' },
		});
		const answer = await accept(order);
		assert.equal(answer.status, 200);
		assert.deepEqual(answer.data.data.attributes, {
			code: order.code,
			status: 'ACCEPTED_BY_MERCHANT',
		});
		assert.deepEqual(answer.data.included, []);
	});

	test('only a NEW order is accepted: APPROVED_BY_BANK in SIGN_REQUIRED is refused', async () => {
		const unsigned = await createOrder({ state: 'SIGN_REQUIRED', status: 'APPROVED_BY_BANK' });
		const answer = await accept(unsigned);
		assert.equal(answer.status, 400);
		assert.match(answer.data.errors[0].title, /SIGN_REQUIRED/);
	});
});

// @ts-check
/**
 * The sandbox's Al-Style emulator: the query-string token, the 403 rate limit, the catalogue shapes
 * the node reads (">50", price 1, nested-set categories), pagination and the control routes.
 * Run: node --test test/sandbox/alstyle.test.mjs
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import axios from 'axios';

import { startSandbox } from '../../sandbox/server.mjs';

const TOKEN = 'sandbox-alstyle-token';

/** @type {Awaited<ReturnType<typeof startSandbox>>} */
let sandbox;
/** @type {import('axios').AxiosInstance} */
let api;
/** @type {import('axios').AxiosInstance} */
let control;

before(async () => {
	sandbox = await startSandbox({ seed: true });
	api = axios.create({ baseURL: `${sandbox.url}/alstyle`, validateStatus: () => true, params: { 'access-token': TOKEN } });
	control = axios.create({ baseURL: `${sandbox.url}/_control`, validateStatus: () => true });
});
after(async () => await sandbox.close());
beforeEach(async () => {
	await control.post('/reset', { seed: true });
	await control.post('/alstyle/interval', { ms: 0 });
});

describe('Al-Style emulator', () => {
	test('needs the token in the query string', async () => {
		const response = await axios.get(`${sandbox.url}/alstyle/api/brands`, { validateStatus: () => true, params: { 'access-token': 'wrong' } });
		assert.equal(response.status, 401);
	});

	test('answers 403 to a call sooner than the interval, and counts it', async () => {
		await control.post('/alstyle/interval', { ms: 400 });
		assert.equal((await api.get('/api/brands')).status, 200);
		assert.equal((await api.get('/api/brands')).status, 403);
		await new Promise((resolve) => setTimeout(resolve, 420));
		assert.equal((await api.get('/api/brands')).status, 200);
		assert.equal((await control.get('/alstyle/state')).data.tooFast, 1);
	});

	test('pages through thousands of products, with ">50", zero and price-1 items', async () => {
		const first = (await api.get('/api/elements-pagination', { params: { limit: 1000, offset: 0 } })).data;
		assert.equal(first.elements.length, 250);
		assert.deepEqual(first.pagination, { totalCount: 4200, totalPages: 17, currentPage: 1, limit: 250, offset: 0 });
		const all = (await api.get('/api/quantity-price')).data;
		const entries = Object.values(all);
		assert.equal(entries.length, 4200);
		assert.ok(entries.some((e) => e.quantity === '>50'));
		assert.ok(entries.some((e) => e.quantity === 0));
		assert.ok(entries.some((e) => e.price1 === 1));
		const inStock = (await api.get('/api/elements-pagination', { params: { exclude_missing: 1 } })).data.pagination.totalCount;
		assert.ok(inStock < 4200 && inStock > 3000);
	});

	test('rejects an unknown additional field with 500, as Al-Style does', async () => {
		assert.equal((await api.get('/api/elements-pagination', { params: { additional_fields: 'brand,colour' } })).status, 500);
		const { elements } = (await api.get('/api/elements-pagination', { params: { additional_fields: 'brand,images', limit: 1 } })).data;
		assert.ok(Array.isArray(elements[0].images));
		assert.equal(typeof elements[0].brand, 'string');
	});

	test('keeps categories as a nested set, and a parent id filters its subtree', async () => {
		const categories = (await api.get('/api/categories')).data;
		assert.equal(categories.length, 6 + 24 + 72);
		const root = categories.find((/** @type {any} */ c) => c.level === 1);
		const inside = categories.filter((/** @type {any} */ c) => c.left > root.left && c.right < root.right);
		assert.equal(inside.length, 4 + 12);
		const count = (await api.get('/api/elements-pagination', { params: { category: String(root.id) } })).data.pagination.totalCount;
		const leafSum = inside.filter((/** @type {any} */ c) => c.level === 3).reduce((/** @type {number} */ sum, /** @type {any} */ c) => sum + c.elements, 0);
		assert.equal(count, leafSum);
	});

	test('changes stock and prices through the control API', async () => {
		const changed = (await control.post('/alstyle/changes', { count: 3 })).data;
		assert.equal(changed.length, 3);
		const stock = (await api.get('/api/quantity-price', { params: { article: changed.map((/** @type {any} */ c) => c.article).join(',') } })).data;
		for (const c of changed) assert.equal(stock[String(c.article)].price2, c.price2);
		assert.equal((await control.patch('/alstyle/products/20000', { quantity: '>50' })).status, 200);
		assert.equal((await api.get('/api/element-info', { params: { article: '20000' } })).data[0].quantity, '>50');
	});
});

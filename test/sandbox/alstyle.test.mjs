// @ts-check
/**
 * The sandbox's Al-Style emulator: the query-string token, the 403 rate limit, the catalogue shapes
 * the node reads (">50", "<5", price 1, the 9,999,999 placeholder, nested-set categories), /images
 * as a flat array, pagination and the control routes (docs/services/alstyle.md).
 * Run: node --test test/sandbox/alstyle.test.mjs
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
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
	api = axios.create({
		baseURL: `${sandbox.url}/alstyle`,
		validateStatus: () => true,
		params: { 'access-token': TOKEN },
	});
	control = axios.create({ baseURL: `${sandbox.url}/_control`, validateStatus: () => true });
});
after(async () => await sandbox.close());
beforeEach(async () => {
	await control.post('/reset', { seed: true });
	await control.post('/alstyle/interval', { ms: 0 });
});

describe('Al-Style emulator', () => {
	test('needs the token in the query string', async () => {
		const response = await axios.get(`${sandbox.url}/alstyle/api/brands`, {
			validateStatus: () => true,
			params: { 'access-token': 'wrong' },
		});
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
		const first = (
			await api.get('/api/elements-pagination', { params: { limit: 1000, offset: 0 } })
		).data;
		assert.equal(first.elements.length, 250);
		assert.deepEqual(first.pagination, {
			totalCount: 4200,
			totalPages: 17,
			currentPage: 1,
			limit: 250,
			offset: 0,
		});
		const all = (await api.get('/api/quantity-price')).data;
		const entries = Object.values(all);
		assert.equal(entries.length, 4200);
		assert.ok(entries.some((e) => e.quantity === '>50'));
		assert.ok(entries.some((e) => e.quantity === 0));
		assert.ok(entries.some((e) => e.price1 === 1));
		const inStock = (await api.get('/api/elements-pagination', { params: { exclude_missing: 1 } }))
			.data.pagination.totalCount;
		assert.ok(inStock < 4200 && inStock > 3000);
	});

	test('rejects an unknown additional field with 500, as Al-Style does', async () => {
		assert.equal(
			(await api.get('/api/elements-pagination', { params: { additional_fields: 'brand,colour' } }))
				.status,
			500,
		);
		const { elements } = (
			await api.get('/api/elements-pagination', {
				params: { additional_fields: 'brand,images', limit: 1 },
			})
		).data;
		assert.ok(Array.isArray(elements[0].images));
		assert.equal(typeof elements[0].brand, 'string');
	});

	test('keeps categories as a nested set; matches a category ID exactly unless told to include subtrees', async () => {
		const categories = (await api.get('/api/categories')).data;
		assert.equal(categories.length, 6 + 24 + 72);
		const root = categories.find((/** @type {any} */ c) => c.level === 1);
		const inside = categories.filter(
			(/** @type {any} */ c) => c.left > root.left && c.right < root.right,
		);
		assert.equal(inside.length, 4 + 12);
		const count = async () =>
			(await api.get('/api/elements-pagination', { params: { category: String(root.id) } })).data
				.pagination.totalCount;
		// Products carry their leaf category, and nothing public shows a parent ID covering its subtree.
		assert.equal(await count(), 0);
		const leafSum = inside
			.filter((/** @type {any} */ c) => c.level === 3)
			.reduce((/** @type {number} */ sum, /** @type {any} */ c) => sum + c.elements, 0);
		assert.equal(
			(await control.post('/alstyle/profile', { categoryFilter: 'subtree' })).status,
			200,
		);
		assert.equal(await count(), leafSum);
	});

	test('answers /images with a flat array of URLs, the article in each file name', async () => {
		const articles = [20000, 20003, 20006, 20009, 20012];
		const images = (await api.get('/api/images', { params: { article: articles.join(',') } })).data;
		assert.ok(Array.isArray(images) && images.length > 0);
		for (const url of images) {
			assert.equal(typeof url, 'string');
			assert.ok(articles.includes(Number(/\/(\d+)_\d+[^/]*$/.exec(url)?.[1])), url);
		}
	});

	test('answers a single element-info article with a bare object', async () => {
		const one = (await api.get('/api/element-info', { params: { article: '20003' } })).data;
		assert.ok(!Array.isArray(one));
		assert.equal(one.article, 20003);
		const two = (await api.get('/api/element-info', { params: { article: '20003,20006' } })).data;
		assert.equal(two.length, 2);
	});

	test('can answer "too fast" with 429 and Retry-After instead of 403', async () => {
		await control.post('/alstyle/interval', { ms: 2000 });
		await control.post('/alstyle/profile', { tooFastStatus: 429 });
		assert.equal((await api.get('/api/brands')).status, 200);
		const refused = await api.get('/api/brands');
		assert.equal(refused.status, 429);
		assert.ok(Number(refused.headers['retry-after']) >= 1);
		assert.equal((await control.post('/alstyle/profile', { tooFastStatus: 418 })).status, 400);
	});

	test('seeds the 9,999,999 placeholder price and ">10" and "<5" quantities', async () => {
		const entries = Object.values((await api.get('/api/quantity-price')).data);
		assert.ok(
			entries.some((/** @type {any} */ e) => e.price2 === 9999999 && e.quantity !== 0),
			'a stocked item at the placeholder price',
		);
		assert.ok(entries.some((/** @type {any} */ e) => e.quantity === '>10'));
		assert.ok(entries.some((/** @type {any} */ e) => e.quantity === '<5'));
	});

	test('accepts additional fields real clients use, and still fails with 500 on an unknown one', async () => {
		const { elements } = (
			await api.get('/api/elements-pagination', {
				params: { additional_fields: 'price1,price2,defectDescription,quantityMarkdown', limit: 1 },
			})
		).data;
		assert.equal(elements.length, 1);
		assert.equal(
			(
				await api.get('/api/elements-pagination', {
					params: { additional_fields: 'colour', limit: 1 },
				})
			).status,
			500,
		);
	});

	test('imports nothing from the nodes or the build: its constants are its own', () => {
		const source = readFileSync(
			new URL('../../sandbox/services/alstyle.mjs', import.meta.url),
			'utf8',
		);
		const imports = [...source.matchAll(/\bfrom\s+['"]([^'"]+)['"]/g)].map((match) => match[1]);
		assert.ok(imports.length > 0);
		for (const specifier of imports)
			assert.doesNotMatch(specifier, /nodes\/|dist\/|wire\.mjs/, specifier);
	});

	test('changes stock and prices through the control API', async () => {
		const changed = (await control.post('/alstyle/changes', { count: 3 })).data;
		assert.equal(changed.length, 3);
		const stock = (
			await api.get('/api/quantity-price', {
				params: { article: changed.map((/** @type {any} */ c) => c.article).join(',') },
			})
		).data;
		for (const c of changed) assert.equal(stock[String(c.article)].price2, c.price2);
		assert.equal((await control.patch('/alstyle/products/20000', { quantity: '>50' })).status, 200);
		assert.equal(
			(await api.get('/api/element-info', { params: { article: '20000' } })).data.quantity,
			'>50',
		);
	});
});

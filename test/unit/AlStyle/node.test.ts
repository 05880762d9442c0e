/**
 * Al-Style node as a whole: normalisation rules, the nested-set tree, the per-token queue at the
 * minimum interval, 403 / 5xx / "upstream request timeout" retries, a token that never shows in an
 * error, and properties, images, categories and brands side by side. Each product operation's own
 * tests are in product/<operation>.test.ts.
 */
import nock from 'nock';
import type { ILoadOptionsFunctions } from 'n8n-workflow';

import { AlStyleApi } from '../../../credentials/AlStyleApi.credentials';
import { getCategories } from '../../../nodes/AlStyle/methods/loadOptions';
import { takeTurn } from '../../../nodes/AlStyle/transport';
import { clock } from '../../helpers/clock';
import {
	normaliseElement,
	normaliseImages,
	normalisePrice,
	normaliseQuantity,
	normaliseStockPrice,
	withTree,
} from '../../../nodes/AlStyle/helpers/normalise';
import type { AlStyleElement } from '../../../nodes/AlStyle/transport/types';
import { fakeContext } from '../../helpers/context';
import { errorText, rejectionOf } from '../../helpers/http';
import { BASE, credentials, FAKE_ACCESS, runAlStyle, useAlStyleUnit } from '../../helpers/alstyle';

useAlStyleUnit();

describe('normalisation', () => {
	it('turns quantities into a number and a lower-bound flag', () => {
		expect(normaliseQuantity('>50')).toEqual({
			quantity: 50,
			quantityIsLowerBound: true,
			quantityIsUpperBound: false,
		});
		expect(normaliseQuantity('≥100')).toEqual({
			quantity: 100,
			quantityIsLowerBound: true,
			quantityIsUpperBound: false,
		});
		expect(normaliseQuantity(7)).toEqual({
			quantity: 7,
			quantityIsLowerBound: false,
			quantityIsUpperBound: false,
		});
		expect(normaliseQuantity('12')).toEqual({
			quantity: 12,
			quantityIsLowerBound: false,
			quantityIsUpperBound: false,
		});
		expect(normaliseQuantity(undefined)).toEqual({
			quantity: 0,
			quantityIsLowerBound: false,
			quantityIsUpperBound: false,
		});
	});

	it('reads a price at or below 1 as "on request"', () => {
		expect(normalisePrice(1)).toBeNull();
		expect(normalisePrice(0)).toBeNull();
		expect(normalisePrice(0.5)).toBeNull();
		expect(normalisePrice(1.01)).toBe(1.01);
		expect(normalisePrice('8 434')).toBe(8434);
		expect(normalisePrice(null)).toBeNull();
	});

	it('always gives images as an array of URLs', () => {
		expect(normaliseImages(undefined)).toEqual([]);
		expect(normaliseImages('')).toEqual([]);
		expect(normaliseImages('https://a/1.jpg, https://a/2.jpg')).toEqual([
			'https://a/1.jpg',
			'https://a/2.jpg',
		]);
		expect(normaliseImages([{ url: 'https://a/1.jpg' }, 'https://a/2.jpg', 5])).toEqual([
			'https://a/1.jpg',
			'https://a/2.jpg',
		]);
	});

	it('normalises a whole element and a quantity-price entry', () => {
		const element = {
			article: 1,
			name: 'n',
			category: 2,
			price1: 1,
			price2: 11490,
			rrp: 1,
			quantity: '>50',
			images: 'https://a/1.jpg',
		} as AlStyleElement;
		expect(normaliseElement(element)).toEqual({
			article: 1,
			name: 'n',
			category: 2,
			price1: null,
			price2: 11490,
			rrp: null,
			quantity: 50,
			quantityIsLowerBound: true,
			quantityIsUpperBound: false,
			images: ['https://a/1.jpg'],
			brand: '',
		});
		expect(normaliseStockPrice('20908', { quantity: 3, price1: 8434, price2: 1 })).toEqual({
			article: 20908,
			quantity: 3,
			quantityIsLowerBound: false,
			quantityIsUpperBound: false,
			price1: 8434,
			price2: null,
		});
	});

	it('computes parentId and path from nested-set bounds', () => {
		const tree = withTree([
			{ id: 3, name: 'Laptops', level: 2, left: 2, right: 5, elements: 0 },
			{ id: 1, name: 'Computers', level: 1, left: 1, right: 8, elements: 0 },
			{ id: 4, name: 'Gaming', level: 3, left: 3, right: 4, elements: 9 },
			{ id: 5, name: 'Desktops', level: 2, left: 6, right: 7, elements: 2 },
			{ id: 9, name: 'Audio', level: 1, left: 9, right: 10, elements: 1 },
		]);
		expect(
			tree.map(({ id, parentId, path, pathIds }) => ({ id, parentId, path, pathIds })),
		).toEqual([
			{ id: 3, parentId: 1, path: 'Computers / Laptops', pathIds: [1, 3] },
			{ id: 1, parentId: null, path: 'Computers', pathIds: [1] },
			{ id: 4, parentId: 3, path: 'Computers / Laptops / Gaming', pathIds: [1, 3, 4] },
			{ id: 5, parentId: 1, path: 'Computers / Desktops', pathIds: [1, 5] },
			{ id: 9, parentId: null, path: 'Audio', pathIds: [9] },
		]);
	});
});

describe('the per-token queue', () => {
	it('begins each turn the interval after the previous call ended, across callers', async () => {
		let now = 1_000_000;
		const slept: number[] = [];
		const saved = { ...clock };
		clock.now = () => now;
		clock.sleep = async (ms) => {
			slept.push(ms);
			now += ms;
		};
		try {
			const calls = [300, 100, 0].map(async (duration) => {
				const endTurn = await takeTurn('k', 5000);
				const began = now;
				now += duration; // the call itself
				endTurn();
				return began;
			});
			expect(await Promise.all(calls)).toEqual([1_000_000, 1_005_300, 1_010_400]);
			const endOther = await takeTurn('other', 5000);
			endOther();
			expect(slept).toEqual([5000, 5000]);
		} finally {
			Object.assign(clock, saved);
		}
	});
});

describe('Al-Style node', () => {
	it('returns properties, images (always arrays), categories with paths and brands', async () => {
		nock(BASE)
			.get('/api/properties')
			.query(true)
			.reply(200, {
				elements: [
					{ article: 1, properties: [{ code: 'W', name: 'Вес', value: '1 кг', sort: 1 }] },
				],
			})
			.get('/api/images')
			.query(true)
			.reply(200, { 1: ['https://img/1.jpg'] })
			.get('/api/categories')
			.query(true)
			.reply(200, [
				{ id: 1, name: 'Root', level: 1, left: 1, right: 4, elements: 0 },
				{ id: 2, name: 'Leaf', level: 2, left: 2, right: 3, elements: 5 },
			])
			.get('/api/brands')
			.query(true)
			.reply(200, { data: [{ id: 'g', name: '70mai', count: 11 }] });
		expect(
			(await runAlStyle({ resource: 'product', operation: 'getProperties', articles: '1' }))[0]
				.json,
		).toEqual({
			article: 1,
			properties: [{ code: 'W', name: 'Вес', value: '1 кг', sort: 1 }],
		});
		expect(
			(
				await runAlStyle({
					resource: 'product',
					operation: 'getImages',
					articles: '1,2',
					thumbs: false,
				})
			).map((i) => i.json),
		).toEqual([
			{ article: 1, images: ['https://img/1.jpg'] },
			{ article: 2, images: [] },
		]);
		expect(
			(await runAlStyle({ resource: 'category', operation: 'getMany' }))[1].json,
		).toMatchObject({
			id: 2,
			parentId: 1,
			path: 'Root / Leaf',
		});
		expect((await runAlStyle({ resource: 'brand', operation: 'getMany' }))[0].json).toEqual({
			id: 'g',
			name: '70mai',
			count: 11,
		});
	});

	it('backs off on 403 and retries; retries 5xx and "upstream request timeout"', async () => {
		const scope = nock(BASE)
			.get('/api/brands')
			.query(true)
			.reply(403, { message: 'Доступ запрещен' })
			.get('/api/brands')
			.query(true)
			.reply(502, 'upstream request timeout')
			.get('/api/brands')
			.query(true)
			.reply(504, 'upstream request timeout')
			.get('/api/brands')
			.query(true)
			.reply(200, { data: [{ id: 'g', name: 'B', count: 1 }] });
		const out = await runAlStyle({ resource: 'brand', operation: 'getMany' }, 0.01);
		expect(out).toHaveLength(1);
		expect(scope.isDone()).toBe(true);
	});

	it('keeps calls with one token at the minimum interval', async () => {
		const times: number[] = [];
		nock(BASE)
			.get('/api/brands')
			.query(true)
			.times(3)
			.reply(() => {
				times.push(Date.now());
				return [200, { data: [] }];
			});
		await Promise.all(
			[1, 2, 3].map(() => runAlStyle({ resource: 'brand', operation: 'getMany' }, 0.2)),
		);
		expect(times).toHaveLength(3);
		expect(times[1] - times[0]).toBeGreaterThanOrEqual(195);
		expect(times[2] - times[1]).toBeGreaterThanOrEqual(195);
	});

	it('never shows the token in an error, even when the server echoes it', async () => {
		nock(BASE)
			.get('/api/brands')
			.query(true)
			.times(5)
			.reply(403, `Too fast for access-token=${FAKE_ACCESS}`);
		nock(BASE)
			.get('/api/categories')
			.query(true)
			.reply(400, { message: `bad token ${FAKE_ACCESS}` });
		const tooFast = await rejectionOf(
			runAlStyle({ resource: 'brand', operation: 'getMany' }, 0.001),
		);
		expect(errorText(tooFast)).toContain('403');
		expect(errorText(tooFast)).not.toContain(FAKE_ACCESS);
		const bad = await rejectionOf(
			runAlStyle({ resource: 'category', operation: 'getMany' }, 0.001),
		);
		expect(errorText(bad)).toContain('bad token ***');
		expect(errorText(bad)).not.toContain(FAKE_ACCESS);
		nock(BASE)
			.get('/api/brands')
			.query(true)
			.replyWithError(
				Object.assign(
					new Error(`getaddrinfo ENOTFOUND ${BASE}/api/brands?access-token=${FAKE_ACCESS}`),
					{ code: 'ENOTFOUND' },
				),
			);
		const unreachable = await rejectionOf(runAlStyle({ resource: 'brand', operation: 'getMany' }));
		expect(errorText(unreachable)).not.toContain(FAKE_ACCESS);
	});
});

describe('Al-Style API credential', () => {
	it('sends the token as a query parameter and tests against the base URL', () => {
		const credential = new AlStyleApi();
		expect(credential.authenticate.properties.qs).toEqual({
			'access-token': '={{$credentials.accessToken}}',
		});
		expect(credential.test.request.baseURL).toBe('={{$credentials.baseUrl}}');
		const token = credential.properties.find((p) => p.name === 'accessToken');
		expect(token?.typeOptions?.password).toBe(true);
		expect(credential.properties.find((p) => p.name === 'baseUrl')?.default).toBe(
			'https://api.al-style.kz',
		);
		expect(credential.properties.find((p) => p.name === 'minIntervalSeconds')?.default).toBe(5);
	});
});

describe('Al-Style › load options', () => {
	it('lists every category by its full path, a parent before its children', async () => {
		nock(BASE)
			.get('/api/categories')
			.query(true)
			.reply(200, [
				{ id: 3, name: 'Ноутбуки', level: 2, left: 2, right: 3, elements: 5 },
				{ id: 1, name: 'Компьютеры', level: 1, left: 1, right: 6, elements: 0 },
				{ id: 4, name: 'Мониторы', level: 2, left: 4, right: 5, elements: 2 },
			]);
		const { context } = fakeContext({ parameters: {}, credentials: credentials() });
		expect(await getCategories.call(context as unknown as ILoadOptionsFunctions)).toEqual([
			{ name: 'Компьютеры', value: 1 },
			{ name: 'Компьютеры / Мониторы', value: 4 },
			{ name: 'Компьютеры / Ноутбуки', value: 3 },
		]);
	});
});

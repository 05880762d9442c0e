/**
 * Al-Style as the public clients show it answering (docs/services/alstyle.md), where that differs
 * from what the pack first assumed: `/images` as a flat array, parent categories the client
 * expands itself, 429, the 9,999,999 placeholder price, `exclude_missing=0`, a bare object from
 * `element-info`, `"<5"`, free-text additional fields and a credential test against the catalogue.
 */
import nock from 'nock';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { AlStyleApi } from '../../../credentials/AlStyleApi.credentials';
import { AlStyle } from '../../../nodes/AlStyle/AlStyle.node';
import { resetQueues } from '../../../nodes/AlStyle/transport';
import { clock } from '../../helpers/clock';
import { normaliseQuantity } from '../../../nodes/AlStyle/helpers/normalise';
import { fakeContext } from '../../helpers/context';
import {
	errorText,
	recordRequest,
	rejectionOf,
	useNock,
	type RecordedRequest,
} from '../../helpers/http';

const BASE = 'https://alstyle-wire.test';
const FAKE_ACCESS = 'not-a-real-token-wire';
useNock();
beforeEach(() => resetQueues());

async function run(parameters: IDataObject, minIntervalSeconds = 0) {
	const { context } = fakeContext({
		parameters,
		credentials: { alStyleApi: { accessToken: FAKE_ACCESS, baseUrl: BASE, minIntervalSeconds } },
	});
	return (await new AlStyle().execute.call(context as unknown as IExecuteFunctions))[0].map(
		(item) => item.json,
	);
}

/** Serves `/images` with `body` and returns the requests. */
function serveImages(body: unknown): RecordedRequest[] {
	const requests: RecordedRequest[] = [];
	nock(BASE)
		.get('/api/images')
		.query(true)
		.reply(function (_uri, requestBody) {
			requests.push(recordRequest(this.req, requestBody));
			return [200, body];
		})
		.persist();
	return requests;
}

describe('/images, whatever its shape', () => {
	it('groups a flat array of URLs by the article in each file name', async () => {
		serveImages([
			'https://img.al-style.kz/20908_1.jpg',
			'https://img.al-style.kz/20911_1.jpg',
			'https://img.al-style.kz/20908_2.jpg',
		]);
		expect(
			await run({
				resource: 'product',
				operation: 'getImages',
				articles: '20908, 20911, 20914',
				thumbs: false,
			}),
		).toEqual([
			{
				article: 20908,
				images: ['https://img.al-style.kz/20908_1.jpg', 'https://img.al-style.kz/20908_2.jpg'],
			},
			{ article: 20911, images: ['https://img.al-style.kz/20911_1.jpg'] },
			{ article: 20914, images: [] },
		]);
	});

	it('reads an object of arrays under data by the file names, not by its keys', async () => {
		// Zero-padded file names (S1: `<article padded to 5>_1.jpg`) and keys that are not articles.
		serveImages({
			data: {
				0: ['https://img.al-style.kz/00812_1.jpg'],
				1: ['https://img.al-style.kz/20908_1.jpg', 'https://img.al-style.kz/00812_2.jpg'],
			},
		});
		expect(
			await run({
				resource: 'product',
				operation: 'getImages',
				articles: '812,20908',
				thumbs: false,
			}),
		).toEqual([
			{
				article: 812,
				images: ['https://img.al-style.kz/00812_1.jpg', 'https://img.al-style.kz/00812_2.jpg'],
			},
			{ article: 20908, images: ['https://img.al-style.kz/20908_1.jpg'] },
		]);
	});

	it('falls back to the keys when a file name carries no article', async () => {
		serveImages({ 20908: ['https://cdn.example/a.jpg'], 20911: 'https://cdn.example/b.jpg' });
		expect(
			await run({
				resource: 'product',
				operation: 'getImages',
				articles: '20908,20911',
				thumbs: false,
			}),
		).toEqual([
			{ article: 20908, images: ['https://cdn.example/a.jpg'] },
			{ article: 20911, images: ['https://cdn.example/b.jpg'] },
		]);
	});

	it('fails with the batch named when the throttle answer persists, instead of returning no images', async () => {
		const saved = { ...clock };
		clock.sleep = async () => undefined;
		try {
			const requests = serveImages({ success: false, message: 'Too many requests', interval: 5 });
			const error = await rejectionOf(
				run({ resource: 'product', operation: 'getImages', articles: '20908', thumbs: false }),
			);
			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.message).toContain('/images');
			expect(error.message).toContain('success:false');
			expect(requests.length).toBeGreaterThan(1);
			expect(errorText(error)).not.toContain(FAKE_ACCESS);
		} finally {
			Object.assign(clock, saved);
		}
	});
});

describe('parent categories', () => {
	// A root (1) over a middle node (2) over 170 leaves (10..179), and a second root leaf (500).
	const leaves = Array.from({ length: 170 }, (_, i) => ({
		id: 10 + i,
		name: `Leaf ${i}`,
		level: 3,
		left: 3 + 2 * i,
		right: 4 + 2 * i,
		elements: 1,
	}));
	const categories = [
		{ id: 1, name: 'Computers', level: 1, left: 1, right: 6 + 2 * 170, elements: 0 },
		{ id: 2, name: 'Laptops', level: 2, left: 2, right: 5 + 2 * 170, elements: 0 },
		...leaves,
		{ id: 500, name: 'Audio', level: 1, left: 7 + 2 * 170, right: 8 + 2 * 170, elements: 1 },
	];
	/** Each leaf holds one product whose article is the leaf id + 1000. */
	const productOf = (leaf: number) => ({
		article: leaf + 1000,
		name: `p${leaf}`,
		category: leaf,
		price1: 5,
		price2: 6,
		quantity: 1,
	});

	/** The catalogue behind `elements-pagination`, with the server's reading of `category`. */
	function serveCatalogue(server: 'exact' | 'subtree'): RecordedRequest[] {
		const requests: RecordedRequest[] = [];
		nock(BASE).get('/api/categories').query(true).reply(200, categories).persist();
		nock(BASE)
			.get('/api/elements-pagination')
			.query(true)
			.reply(function (uri, body) {
				requests.push(recordRequest(this.req, body));
				const params = new URL(uri, BASE).searchParams;
				const asked = categories.filter((c) =>
					params.get('category')!.split(',').map(Number).includes(c.id),
				);
				const covered = categories.filter((c) =>
					asked.some((a) =>
						server === 'exact' ? a.id === c.id : c.left >= a.left && c.right <= a.right,
					),
				);
				const all = [...leaves, categories[categories.length - 1]]
					.filter((leaf) => covered.includes(leaf))
					.map((leaf) => productOf(leaf.id));
				const limit = Number(params.get('limit'));
				const offset = Number(params.get('offset'));
				return [
					200,
					{
						elements: all.slice(offset, offset + limit),
						pagination: {
							totalCount: all.length,
							totalPages: Math.ceil(all.length / limit),
							currentPage: Math.floor(offset / limit) + 1,
							limit,
							offset,
						},
					},
				];
			})
			.persist();
		return requests;
	}

	it.each(['exact', 'subtree'] as const)(
		'expands a chosen parent to its leaves in chunks of 80 (server reading: %s)',
		async (server) => {
			const requests = serveCatalogue(server);
			const out = await run({
				resource: 'product',
				operation: 'getMany',
				returnAll: true,
				additionalFields: [],
				filters: { category: [1, 500] },
			});
			const chunks = requests.map((request) => request.query.category.split(',').map(Number));
			expect(chunks.map((chunk) => chunk.length)).toEqual([80, 80, 11]);
			expect(chunks.flat().sort((a, b) => a - b)).toEqual([...leaves.map((leaf) => leaf.id), 500]);
			const articles = out.map((product) => product.article as number);
			expect(articles).toHaveLength(171);
			expect(new Set(articles).size).toBe(171);
		},
	);

	it('keeps the limit across chunks, and sends an ID the tree does not know as it is', async () => {
		const requests = serveCatalogue('exact');
		const out = await run({
			resource: 'product',
			operation: 'getMany',
			returnAll: false,
			limit: 3,
			additionalFields: [],
			filters: { category: '12, 99999' },
		});
		expect(requests.map((request) => request.query.category)).toEqual(['12,99999']);
		expect(out.map((product) => product.article)).toEqual([1012]);
	});
});

describe('throttling', () => {
	it('treats 429 like 403 and waits the Retry-After it names', async () => {
		const times: number[] = [];
		nock(BASE)
			.get('/api/brands')
			.query(true)
			.reply(() => {
				times.push(Date.now());
				return [
					429,
					{ name: 'Too Many Requests', message: 'Rate limit exceeded.', status: 429 },
					{ 'Retry-After': '1' },
				];
			})
			.get('/api/brands')
			.query(true)
			.reply(() => {
				times.push(Date.now());
				return [200, { data: [{ id: 'g', name: 'B', count: 1 }] }];
			});
		expect(await run({ resource: 'brand', operation: 'getMany' }, 0.01)).toEqual([
			{ id: 'g', name: 'B', count: 1 },
		]);
		expect(times[1] - times[0]).toBeGreaterThanOrEqual(990);
	});

	it('gives up on a 403 after two retries, saying the token may be refused', async () => {
		const calls: number[] = [];
		nock(BASE)
			.get('/api/brands')
			.query(true)
			.times(10)
			.reply(() => {
				calls.push(1);
				return [403, { message: 'Доступ запрещен' }];
			});
		const error = await rejectionOf(run({ resource: 'brand', operation: 'getMany' }, 0.001));
		expect(calls).toHaveLength(3);
		expect(error.message).toContain('403');
		expect(errorText(error)).toContain('token');
	});
});

describe('stock, prices and fields', () => {
	it('turns the 9,999,999 placeholder into no price, with the threshold configurable', async () => {
		nock(BASE)
			.get('/api/quantity-price')
			.query(true)
			.times(2)
			.reply(200, {
				20908: { quantity: 3, price1: 9999999, price2: 9999999 },
				20911: { quantity: 2, price1: 8434, price2: 11490 },
			});
		const byDefault = await run({
			resource: 'product',
			operation: 'getStockAndPrices',
			articles: '',
			inStockOnly: false,
		});
		expect(byDefault.map(({ article, price1, price2 }) => ({ article, price1, price2 }))).toEqual([
			{ article: 20908, price1: null, price2: null },
			{ article: 20911, price1: 8434, price2: 11490 },
		]);
		const turnedOff = await run({
			resource: 'product',
			operation: 'getStockAndPrices',
			articles: '',
			inStockOnly: false,
			placeholderPrice: 0,
		});
		expect(turnedOff[0]).toMatchObject({ price1: 9999999, price2: 9999999 });
	});

	it('applies the placeholder threshold to product lists too', async () => {
		nock(BASE)
			.get('/api/element-info')
			.query(true)
			.reply(200, [
				{
					article: 20908,
					name: 'Withdrawn',
					category: 1,
					price1: 9999999,
					price2: 9999999,
					rrp: 9999999,
					quantity: 1,
				},
			]);
		const [product] = await run({
			resource: 'product',
			operation: 'getByArticles',
			articles: '20908',
			additionalFields: ['rrp'],
			placeholderPrice: 9000000,
		});
		expect(product).toMatchObject({ price1: null, price2: null, rrp: null });
	});

	it('sends exclude_missing=0 when In Stock Only is off, on lists and on stock', async () => {
		const requests: RecordedRequest[] = [];
		nock(BASE)
			.get(/\/api\/(elements-pagination|quantity-price)/)
			.query(true)
			.times(2)
			.reply(function (uri, body) {
				requests.push(recordRequest(this.req, body));
				return [
					200,
					uri.includes('quantity-price')
						? {}
						: {
								elements: [],
								pagination: { totalCount: 0, totalPages: 0, currentPage: 1, limit: 50, offset: 0 },
							},
				];
			});
		await run({
			resource: 'product',
			operation: 'getMany',
			returnAll: false,
			limit: 50,
			additionalFields: [],
			filters: {},
		});
		await run({
			resource: 'product',
			operation: 'getStockAndPrices',
			articles: '',
			inStockOnly: false,
		});
		expect(requests.map((request) => [request.path, request.query.exclude_missing])).toEqual([
			['/api/elements-pagination', '0'],
			['/api/quantity-price', '0'],
		]);
	});

	it('accepts a bare object from element-info', async () => {
		nock(BASE).get('/api/element-info').query(true).reply(200, {
			article: 20908,
			name: 'Speaker',
			category: 3472,
			price1: 8434,
			price2: 11490,
			quantity: '>10',
		});
		expect(
			await run({
				resource: 'product',
				operation: 'getByArticles',
				articles: '20908',
				additionalFields: [],
			}),
		).toMatchObject([
			{ article: 20908, name: 'Speaker', quantity: 10, quantityIsLowerBound: true },
		]);
	});

	it('reads "<5" as an upper bound, and ">10" as a lower one', () => {
		expect(normaliseQuantity('<5')).toEqual({
			quantity: 4,
			quantityIsLowerBound: false,
			quantityIsUpperBound: true,
		});
		expect(normaliseQuantity('<1')).toEqual({
			quantity: 0,
			quantityIsLowerBound: false,
			quantityIsUpperBound: true,
		});
		expect(normaliseQuantity('>10')).toEqual({
			quantity: 10,
			quantityIsLowerBound: true,
			quantityIsUpperBound: false,
		});
		expect(normaliseQuantity(3)).toEqual({
			quantity: 3,
			quantityIsLowerBound: false,
			quantityIsUpperBound: false,
		});
	});

	it('sends free-text additional fields with the chosen ones, and still names them on a 500', async () => {
		const requests: RecordedRequest[] = [];
		nock(BASE)
			.get('/api/element-info')
			.query(true)
			.reply(function (_uri, body) {
				requests.push(recordRequest(this.req, body));
				return [
					200,
					[
						{
							article: 1,
							name: 'a',
							category: 1,
							price1: 5,
							price2: 6,
							quantity: 1,
							defectDescription: 'scratch',
						},
					],
				];
			})
			.get('/api/element-info')
			.query(true)
			.reply(500, { name: 'Internal Server Error', message: 'Server error', status: 500 });
		const [product] = await run({
			resource: 'product',
			operation: 'getByArticles',
			articles: '1',
			additionalFields: ['brand'],
			otherAdditionalFields: 'defectDescription, quantityMarkdown',
		});
		expect(requests[0].query.additional_fields).toBe('brand,defectDescription,quantityMarkdown');
		expect(product.defectDescription).toBe('scratch');
		const error = await rejectionOf(
			run({
				resource: 'product',
				operation: 'getByArticles',
				articles: '1',
				additionalFields: [],
				otherAdditionalFields: 'colour',
			}),
		);
		expect(error.message).toContain('"colour"');
	});
});

describe('the credential test', () => {
	it('asks for one catalogue item, which needs a valid token, and says a 403 during a sync is harmless', () => {
		const credential = new AlStyleApi();
		expect(credential.test.request).toEqual({
			baseURL: '={{$credentials.baseUrl}}',
			url: '/api/elements-pagination',
			qs: { limit: 1 },
		});
		const token = credential.properties.find((property) => property.name === 'accessToken');
		expect(token?.description).toMatch(/403/);
	});
});

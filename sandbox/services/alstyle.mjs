// @ts-check
/**
 * Al-Style dealer API emulator, written from the public clients that docs/services/alstyle.md
 * lists, not from the node: a seeded catalogue of several thousand products in a nested-set
 * category tree, with ">50", ">10" and "<5" quantities, price-1 ("price on request") items and the
 * 9,999,999 placeholder price, `/images` as a flat array of URLs, a bare object from `element-info`
 * for one article, and the rate limit: a call less than the interval after the previous one with
 * the same token gets 403 (or 429 with Retry-After, by profile). A category ID matches exactly,
 * the safe reading, unless the profile says a parent covers its subtree. Control routes change
 * stock and prices, the interval and the profile.
 */
import { createRandom } from '../lib/random.mjs';
import { controlError, HttpError, isObject, json, Router } from '../lib/http.mjs';

const PREFIX = '/alstyle';
const CONTENT_TYPE = 'application/json; charset=utf-8';
export const ALSTYLE_DEFAULT_TOKEN = 'sandbox-alstyle-token';
const DEFAULT_INTERVAL_MS = 5000;
/** @type {AlStyleProfile} */
const DEFAULT_PROFILE = { tooFastStatus: 403, categoryFilter: 'exact' };
const RANDOM_SEED = 20261122;
const PRODUCT_COUNT = 4200;

// The API's own constants, from the public clients (docs/services/alstyle.md), not from the node.
/** `https://api.al-style.kz/api/<method>`, all GET (ST API_GUIDE.md, OM alstyle.py, S1 CFG.API_BASE). */
const PATHS = {
	elementsPagination: '/api/elements-pagination',
	elementInfo: '/api/element-info',
	quantityPrice: '/api/quantity-price',
	properties: '/api/properties',
	images: '/api/images',
	categories: '/api/categories',
	brands: '/api/brands',
	date: '/api/date',
};
/** The token travels as this query parameter on every call (every client). */
const TOKEN_PARAMETER = 'access-token';
/** "Макс 250" (ST guide), "максимум 250 товаров за один запрос" (BX). */
const PAGE_LIMIT = 250;
/**
 * The `additional_fields` names public clients send (OM, S1, BX, ST, the legacy driver); Al-Style
 * answers 500 to a name it does not know (S1).
 */
const ADDITIONAL_FIELDS = [
	'brand',
	'description',
	'images',
	'barcode',
	'warranty',
	'weight',
	'url',
	'detailText',
	'properties',
	'rrp',
	'price1',
	'price2',
	'discountPrice',
	'discount',
	'defectDescription',
	'quantityMarkdown',
	'priceMarkdown',
];
/** Al-Style's price for withdrawn items and spare parts (sultan_trade server.js). */
const PLACEHOLDER_PRICE = 9999999;

/**
 * @typedef {{ id: number, name: string, level: number, left: number, right: number, elements: number }} Category
 * @typedef {{ article: number, article_pn: string, name: string, full_name: string, category: number,
 *   price1: number, price2: number, quantity: number | string, isnew: number, brand: string,
 *   brandId: string, barcode: string, warranty: string, weight: number, description: string,
 *   rrp: number, images: string[], properties: Array<{ code: string, name: string, value: string, sort: number }> }} Product
 * @typedef {{ products: Product[], categories: Category[], brands: Array<{ id: string, name: string }>,
 *   intervalMs: number, lastCall: Map<string, number>, tooFast: number, random: import('../lib/random.mjs').Random,
 *   generation: number, profile: AlStyleProfile }} AlStyleState
 * @typedef {{ tooFastStatus: 403 | 429, categoryFilter: 'exact' | 'subtree' }} AlStyleProfile
 */

const BRANDS = [
	'Lenovo',
	'HP',
	'Xiaomi',
	'Logitech',
	'Samsung',
	'Asus',
	'Acer',
	'Canon',
	'Epson',
	'TP-Link',
	'Kingston',
	'A4Tech',
	'Defender',
	'JBL',
	'Huawei',
	'Apple',
	'Dell',
	'MSI',
	'Gigabyte',
	'Sven',
];
const ROOTS = [
	'Компьютеры',
	'Периферия',
	'Оргтехника',
	'Сетевое оборудование',
	'Смартфоны и гаджеты',
	'Аудио',
];
const MIDS = ['Основное', 'Аксессуары', 'Комплектующие', 'Уценка'];
const LEAVES = ['Бюджетные', 'Средний класс', 'Премиум'];

/** @param {import('../lib/random.mjs').Random} random */
function guid(random) {
	return `${random.hex(8)}-${random.hex(4)}-${random.hex(4)}-${random.hex(4)}-${random.hex(12)}`.toLowerCase();
}

/**
 * Nested-set categories three levels deep, and products spread over the leaves.
 * @param {AlStyleState} state
 */
function seedCatalogue(state) {
	const random = state.random;
	/** @type {Category[]} */
	const categories = [];
	let counter = 1;
	let id = 3400;
	/** @type {Category[]} */
	const leaves = [];
	for (const root of ROOTS) {
		const rootCategory = { id: id++, name: root, level: 1, left: counter++, right: 0, elements: 0 };
		categories.push(rootCategory);
		for (const mid of MIDS) {
			const midCategory = {
				id: id++,
				name: `${root}: ${mid}`,
				level: 2,
				left: counter++,
				right: 0,
				elements: 0,
			};
			categories.push(midCategory);
			for (const leaf of LEAVES) {
				const leafCategory = {
					id: id++,
					name: `${mid} — ${leaf}`,
					level: 3,
					left: counter++,
					right: counter++,
					elements: 0,
				};
				categories.push(leafCategory);
				leaves.push(leafCategory);
			}
			midCategory.right = counter++;
		}
		rootCategory.right = counter++;
	}
	state.brands = BRANDS.map((name) => ({ id: guid(random), name }));
	/** @type {Product[]} */
	const products = [];
	for (let i = 0; i < PRODUCT_COUNT; i++) {
		const article = 20000 + i * 3;
		const leaf = random.pick(leaves);
		const brand = random.pick(state.brands);
		const onRequest = random.next() < 0.03;
		const price1 = onRequest ? 1 : random.int(5, 4000) * 100 + random.int(0, 99);
		const roll = random.next();
		const quantity = roll < 0.12 ? 0 : roll < 0.3 ? '>50' : random.int(1, 50);
		const name = `${brand.name} ${random.pick(['Модель', 'Серия', 'Pro', 'Lite', 'X'])} ${random.int(1, 999)}${random.next() < 0.05 ? ' & «спец» <new>' : ''}`;
		products.push({
			article,
			article_pn: `${brand.name.slice(0, 3).toUpperCase()}-${random.hex(6)}`,
			name,
			full_name: `${leaf.name}: ${name}`,
			category: leaf.id,
			price1,
			price2: onRequest ? 1 : Math.round(price1 * 1.18),
			quantity,
			isnew: random.next() < 0.1 ? 1 : 0,
			brand: random.next() < 0.04 ? '' : brand.name,
			brandId: brand.id,
			barcode: random.digits(13),
			warranty: `${random.pick([6, 12, 24, 36])} мес.`,
			weight: random.int(1, 5000) / 100,
			description: `<p>${name}</p>`,
			rrp: onRequest ? 1 : Math.round(price1 * 1.25),
			images: Array.from(
				{ length: random.int(0, 3) },
				(_, n) => `https://img.al-style.kz/${String(article).padStart(5, '0')}_${n + 1}.jpg`,
			),
			properties: [
				{ code: 'WEIGHT', name: 'Вес брутто', value: `${random.int(1, 50) / 10} кг`, sort: 100 },
				{
					code: 'COUNTRY',
					name: 'Страна',
					value: random.pick(['Китай', 'Вьетнам', 'Тайвань']),
					sort: 200,
				},
			],
		});
		leaf.elements++;
		// The rarer shapes the public clients handle, by position so the random draws stay as they were.
		const product = products[products.length - 1];
		if (i % 97 === 41)
			Object.assign(product, {
				price1: PLACEHOLDER_PRICE,
				price2: PLACEHOLDER_PRICE,
				rrp: PLACEHOLDER_PRICE,
			});
		if (i % 89 === 17) product.quantity = '>10';
		if (i % 83 === 29) product.quantity = '<5';
	}
	state.categories = categories;
	state.products = products;
}

/** @param {Product} product */
function inStock(product) {
	return product.quantity !== 0;
}

const BASE_FIELDS = [
	'article',
	'article_pn',
	'name',
	'full_name',
	'category',
	'price1',
	'price2',
	'quantity',
	'isnew',
];

/**
 * @param {Product} product
 * @param {string[]} extra
 */
function elementView(product, extra) {
	/** @type {Record<string, unknown>} */
	const out = {};
	for (const field of BASE_FIELDS) out[field] = product[/** @type {keyof Product} */ (field)];
	for (const field of extra) {
		if (field === 'discountPrice') out.discountPrice = product.price2;
		else if (field === 'discount') out.discount = 0;
		else if (field === 'url') out.url = `https://al-style.kz/catalog/${product.article}/`;
		else if (field === 'detailText')
			out.detailText = `<ul><li>Гарантия; ${product.warranty}</li></ul>`;
		else if (field === 'defectDescription') out.defectDescription = '';
		else if (field === 'quantityMarkdown' || field === 'priceMarkdown') out[field] = 0;
		else out[field] = product[/** @type {keyof Product} */ (field)];
	}
	return out;
}

/** @param {Record<string, string>} query */
function additionalFields(query) {
	const raw = query.additional_fields;
	if (!raw) return [];
	const fields = raw
		.split(',')
		.map((field) => field.trim())
		.filter(Boolean);
	const unknown = fields.find((field) => !ADDITIONAL_FIELDS.includes(field));
	// Al-Style answers 500 to an unknown additional field (S1).
	if (unknown)
		throw new HttpError(500, {
			name: 'Internal Server Error',
			message: `Unknown field ${unknown}`,
			status: 500,
		});
	return fields;
}

/** @param {string | undefined} raw */
function articleList(raw) {
	return (raw ?? '')
		.split(',')
		.map((article) => Number(article.trim()))
		.filter((article) => Number.isInteger(article));
}

/**
 * @param {AlStyleState} state
 * @param {Record<string, string>} query
 */
function filtered(state, query) {
	let list = state.products;
	if (query.category) {
		const wanted = new Set(query.category.split(',').map(Number));
		// Products carry their leaf category (OM, S1, BX). Whether a parent ID also covers its subtree
		// is unconfirmed, so exact match is the default, and the profile can say otherwise.
		const ranges = state.categories.filter((c) => wanted.has(c.id));
		const ids =
			state.profile.categoryFilter === 'subtree'
				? new Set(
						state.categories
							.filter((c) => ranges.some((r) => c.left >= r.left && c.right <= r.right))
							.map((c) => c.id),
					)
				: wanted;
		list = list.filter((product) => ids.has(product.category));
	}
	if (query.brand) list = list.filter((product) => product.brandId === query.brand);
	if (query.exclude_missing === '1' || query.exclude_missing === 'true')
		list = list.filter(inStock);
	return list;
}

/** @param {AlStyleState} state */
function apiRoutes(state) {
	return new Router()
		.on('GET', PATHS.elementsPagination, (ctx) => {
			const extra = additionalFields(ctx.query);
			const limit = Math.min(Number(ctx.query.limit ?? 100) || 100, PAGE_LIMIT);
			const offset = Math.max(0, Number(ctx.query.offset ?? 0) || 0);
			const list = filtered(state, ctx.query);
			return json({
				elements: list.slice(offset, offset + limit).map((product) => elementView(product, extra)),
				pagination: {
					totalCount: list.length,
					totalPages: Math.ceil(list.length / limit),
					currentPage: Math.floor(offset / limit) + 1,
					limit,
					offset,
				},
			});
		})
		.on('GET', PATHS.elementInfo, (ctx) => {
			const extra = additionalFields(ctx.query);
			const wanted = new Set(articleList(ctx.query.article));
			const found = state.products
				.filter((product) => wanted.has(product.article))
				.map((product) => elementView(product, extra));
			// One article may come back as a bare object: sultan_trade reads `Array.isArray(data) ? data[0] : data`.
			return json(wanted.size === 1 && found.length === 1 ? found[0] : found);
		})
		.on('GET', PATHS.quantityPrice, (ctx) => {
			const wanted = ctx.query.article ? new Set(articleList(ctx.query.article)) : undefined;
			/** @type {Record<string, object>} */
			const out = {};
			for (const product of filtered(state, {
				brand: ctx.query.brand,
				exclude_missing: ctx.query.exclude_missing,
			})) {
				if (wanted && !wanted.has(product.article)) continue;
				out[String(product.article)] = {
					quantity: product.quantity,
					price1: product.price1,
					price2: product.price2,
					discountPrice: product.price2,
					discount: 0,
					warehouse: 'panfilov',
				};
			}
			return json(out);
		})
		.on('GET', PATHS.properties, (ctx) => {
			const wanted = new Set(articleList(ctx.query.article));
			return json({
				elements: state.products
					.filter((product) => wanted.has(product.article))
					.map((product) => ({ article: product.article, properties: product.properties })),
			});
		})
		.on('GET', PATHS.images, (ctx) => {
			// "Возвращает массив URL" (ST guide): one flat list for all the articles asked, each file
			// named after its article (S1 matches them by the number in the name).
			const wanted = new Set(articleList(ctx.query.article));
			return json(
				state.products
					.filter((product) => wanted.has(product.article))
					.flatMap((product) =>
						product.images.map((url) =>
							ctx.query.thumbs === '1' ? url.replace('.jpg', '_thumb.jpg') : url,
						),
					),
			);
		})
		.on('GET', PATHS.categories, () => json(state.categories))
		.on('GET', PATHS.brands, () =>
			json({
				data: state.brands.map((brand) => ({
					...brand,
					count: state.products.filter((p) => p.brandId === brand.id).length,
				})),
			}),
		)
		.on('GET', PATHS.date, () =>
			json({ date: new Date().toISOString(), generation: state.generation }),
		);
}

/**
 * The query token and the rate limit wrap every API route: 401 without a known token, 403 for a
 * call sooner than the interval after the previous one with that token.
 * @param {AlStyleState} state
 * @param {string} secret
 * @param {Router} inner
 */
function guarded(state, secret, inner) {
	const router = new Router();
	for (const path of Object.values(PATHS)) {
		router.on('GET', path, (ctx) => {
			const token = ctx.query[TOKEN_PARAMETER];
			if (token !== secret) return json({ status: false, message: 'Неверный access-token' }, 401);
			const now = Date.now();
			const last = state.lastCall.get(token);
			if (last !== undefined && now - last < state.intervalMs) {
				state.tooFast++;
				if (state.profile.tooFastStatus === 429) {
					// Yii2's rate limiter (the likely backend, as `access-token` is its QueryParamAuth name).
					const wait = Math.max(1, Math.ceil((state.intervalMs - (now - last)) / 1000));
					return {
						...json(
							{ name: 'Too Many Requests', message: 'Rate limit exceeded.', status: 429 },
							429,
						),
						headers: { 'Retry-After': String(wait) },
					};
				}
				return json({ status: false, message: 'Доступ запрещен: слишком частые запросы' }, 403);
			}
			state.lastCall.set(token, now);
			const match = inner.match('GET', path);
			if (!match) throw new HttpError(404, { message: `Cannot GET ${path}` });
			return match.handler(ctx);
		});
	}
	return router;
}

/** @param {AlStyleState} state */
function controlRoutes(state) {
	return new Router()
		.on('GET', '/state', () =>
			json({
				intervalMs: state.intervalMs,
				tooFast: state.tooFast,
				profile: state.profile,
				products: state.products.length,
				categories: state.categories.length,
				generation: state.generation,
			}),
		)
		.on('POST', '/profile', (ctx) => {
			// Readings no public source settles: the "too fast" status, and what a parent category ID matches.
			if (!isObject(ctx.body)) throw controlError('Body must be a JSON object');
			const {
				tooFastStatus = state.profile.tooFastStatus,
				categoryFilter = state.profile.categoryFilter,
			} = ctx.body;
			if (tooFastStatus !== 403 && tooFastStatus !== 429)
				throw controlError('tooFastStatus must be 403 or 429');
			if (categoryFilter !== 'exact' && categoryFilter !== 'subtree')
				throw controlError('categoryFilter must be "exact" or "subtree"');
			state.profile = { tooFastStatus, categoryFilter };
			return json(state.profile);
		})
		.on('POST', '/interval', (ctx) => {
			const ms = isObject(ctx.body) ? ctx.body.ms : undefined;
			if (!Number.isInteger(ms) || ms < 0) throw controlError('ms must be a non-negative integer');
			state.intervalMs = ms;
			state.lastCall.clear();
			return json({ intervalMs: ms });
		})
		.on('GET', '/products/:article', (ctx) => {
			const product = state.products.find((p) => p.article === Number(ctx.params.article));
			if (!product) throw controlError(`No product ${ctx.params.article}`, 404);
			return json(product);
		})
		.on('POST', '/changes', (ctx) => {
			// Random stock and price changes, as between two quick refreshes of the real catalogue.
			const count = isObject(ctx.body) ? ctx.body.count : undefined;
			if (!Number.isInteger(count) || count < 1)
				throw controlError('count must be a positive integer');
			const changed = [];
			for (let i = 0; i < count; i++) {
				const product = state.random.pick(
					state.products.filter((p) => p.price1 > 1 && p.price1 < PLACEHOLDER_PRICE),
				);
				product.quantity = state.random.next() < 0.3 ? 0 : state.random.int(1, 40);
				product.price1 = product.price1 + state.random.int(1, 50) * 10;
				product.price2 = Math.round(product.price1 * 1.18);
				changed.push({
					article: product.article,
					quantity: product.quantity,
					price1: product.price1,
					price2: product.price2,
				});
			}
			state.generation++;
			return json(changed);
		})
		.on('PATCH', '/products/:article', (ctx) => {
			const product = state.products.find((p) => p.article === Number(ctx.params.article));
			if (!product) throw controlError(`No product ${ctx.params.article}`, 404);
			if (!isObject(ctx.body)) throw controlError('Body must be a JSON object');
			for (const key of ['quantity', 'price1', 'price2', 'name', 'brand']) {
				if (key in ctx.body) /** @type {Record<string, unknown>} */ (product)[key] = ctx.body[key];
			}
			state.generation++;
			return json(product);
		});
}

/** @type {import('../lib/service.mjs').ServiceModule} */
export const alstyleService = {
	name: 'alstyle',
	create({ secret = ALSTYLE_DEFAULT_TOKEN, seed }) {
		/** @type {AlStyleState} */
		const state = {
			products: [],
			categories: [],
			brands: [],
			intervalMs: DEFAULT_INTERVAL_MS,
			lastCall: new Map(),
			tooFast: 0,
			random: createRandom(RANDOM_SEED),
			generation: 0,
			profile: { ...DEFAULT_PROFILE },
		};
		const reset = (/** @type {boolean} */ withSeed) => {
			state.random = createRandom(RANDOM_SEED);
			state.intervalMs = DEFAULT_INTERVAL_MS;
			state.lastCall.clear();
			state.tooFast = 0;
			state.generation = 0;
			state.profile = { ...DEFAULT_PROFILE };
			state.products = [];
			state.categories = [];
			state.brands = [];
			if (withSeed) seedCatalogue(state);
		};
		reset(seed);
		return {
			name: 'alstyle',
			prefix: PREFIX,
			contentType: CONTENT_TYPE,
			state,
			// The token travels in the query string, checked by the guarded routes.
			authenticate: () => 'valid',
			errorBody: (status, message) => ({ status: false, code: status, message }),
			unauthorized: () => json({ status: false, message: 'Неверный access-token' }, 401),
			api: guarded(state, secret, apiRoutes(state)),
			control: controlRoutes(state),
			reset,
		};
	},
};

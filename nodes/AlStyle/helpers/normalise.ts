import type { IDataObject } from 'n8n-workflow';

import type {
	AlStyleCategory,
	AlStyleElement,
	AlStyleImages,
	AlStyleQuantity,
	AlStyleStockPrice,
} from '../transport/types';
import { ALSTYLE_PLACEHOLDER_PRICE } from '../transport/types';

const PRICE_FIELDS = ['price1', 'price2', 'rrp', 'discountPrice'] as const;

interface Quantity {
	quantity: number;
	quantityIsLowerBound: boolean;
	quantityIsUpperBound: boolean;
}

/**
 * `">50"` → 50 with the lower-bound flag. `"<5"` → 4 with the upper-bound flag: the most it can
 * be, so an item Al-Style still shows as in stock stays available (docs/services/alstyle.md,
 * "Quantities"). A number stays as it is; anything else is 0.
 */
export function normaliseQuantity(quantity: AlStyleQuantity | undefined | null): Quantity {
	if (typeof quantity === 'number' && Number.isFinite(quantity))
		return { quantity, quantityIsLowerBound: false, quantityIsUpperBound: false };
	if (typeof quantity === 'string') {
		const match = /\d+(?:[.,]\d+)?/.exec(quantity);
		const value = match ? Number(match[0].replace(',', '.')) : 0;
		if (/^\s*</.test(quantity))
			return {
				quantity: Math.max(0, Math.ceil(value) - 1),
				quantityIsLowerBound: false,
				quantityIsUpperBound: true,
			};
		if (/^\s*≤/.test(quantity))
			return { quantity: value, quantityIsLowerBound: false, quantityIsUpperBound: true };
		return {
			quantity: value,
			quantityIsLowerBound: /^\s*[>≥]/.test(quantity),
			quantityIsUpperBound: false,
		};
	}
	return { quantity: 0, quantityIsLowerBound: false, quantityIsUpperBound: false };
}

/**
 * A price at or below 1 is Al-Style's "price on request" sentinel, not 1 ₸; one at or above
 * `placeholderFrom` is its 9,999,999 placeholder for withdrawn items (0 turns that check off).
 */
export function normalisePrice(
	price: unknown,
	placeholderFrom = ALSTYLE_PLACEHOLDER_PRICE,
): number | null {
	const value = typeof price === 'string' ? Number(price.replace(/\s/g, '')) : price;
	if (typeof value !== 'number' || !Number.isFinite(value) || value <= 1) return null;
	return placeholderFrom > 0 && value >= placeholderFrom ? null : value;
}

/** Always a list of URL strings, whatever shape the supplier sent. */
export function normaliseImages(images: unknown): string[] {
	if (images === undefined || images === null || images === '') return [];
	const list = Array.isArray(images)
		? images
		: typeof images === 'string'
			? images.split(',')
			: [images];
	return list
		.map((image) =>
			typeof image === 'string'
				? image
				: typeof image === 'object' && image
					? String((image as IDataObject).url ?? '')
					: '',
		)
		.map((url) => url.trim())
		.filter(Boolean);
}

function withPrices<T extends IDataObject>(record: T, placeholderFrom: number): T {
	const out: IDataObject = { ...record };
	for (const field of PRICE_FIELDS)
		if (field in out) out[field] = normalisePrice(out[field], placeholderFrom);
	return out as T;
}

export function normaliseElement(
	element: AlStyleElement,
	placeholderFrom = ALSTYLE_PLACEHOLDER_PRICE,
): IDataObject {
	const out = withPrices({ ...element } as IDataObject, placeholderFrom);
	Object.assign(out, normaliseQuantity(element.quantity));
	out.images = normaliseImages(element.images);
	if (typeof out.brand !== 'string')
		out.brand =
			out.brand === undefined || out.brand === null
				? ''
				: String((out.brand as IDataObject).name ?? out.brand);
	return out;
}

export function normaliseStockPrice(
	article: string,
	entry: AlStyleStockPrice,
	placeholderFrom = ALSTYLE_PLACEHOLDER_PRICE,
): IDataObject {
	const numeric = Number(article);
	return withPrices(
		{
			article: Number.isSafeInteger(numeric) ? numeric : article,
			...entry,
			...normaliseQuantity(entry.quantity),
		} as IDataObject,
		placeholderFrom,
	);
}

/** The article in an image file name: `…/20908_1.jpg`, `…/00812_2_thumb.jpg` (zero-padded to 5). */
function articleInFileName(url: string): string | undefined {
	const match = /\/0*(\d+)_\d+[^/]*$/.exec(url.split(/[?#]/)[0]);
	return match ? match[1] : undefined;
}

/**
 * `/images` answers have been seen as a flat array of URLs and as an object of arrays, maybe under
 * `data` (docs/services/alstyle.md, "/images"). Every URL is collected whatever the nesting, and
 * goes to the article its file name carries; the key it came under counts only when the name
 * carries none of the articles asked, and with one article asked it can only be that one.
 */
export function imagesByArticle(body: unknown, articles: string[]): AlStyleImages {
	const out: AlStyleImages = Object.fromEntries(articles.map((article) => [article, []]));
	const asked = (article: string | undefined) =>
		article !== undefined && article in out ? article : undefined;
	const add = (url: string, key: string | undefined) => {
		const article =
			asked(articleInFileName(url)) ??
			asked(key?.replace(/^0+(?=\d)/, '')) ??
			(articles.length === 1 ? articles[0] : undefined);
		if (article !== undefined && !out[article].includes(url)) out[article].push(url);
	};
	const walk = (value: unknown, key: string | undefined): void => {
		if (typeof value === 'string') {
			for (const url of value.split(',').map((part) => part.trim())) if (url) add(url, key);
		} else if (Array.isArray(value)) {
			for (const entry of value) walk(entry, key);
		} else if (value && typeof value === 'object') {
			const record = value as IDataObject;
			// An entry that names its article ({ article, images }) is keyed by it.
			const own = record.article !== undefined ? String(record.article) : undefined;
			for (const [name, inner] of Object.entries(record)) {
				if (name === 'article') continue;
				walk(inner, own ?? (name === 'data' || name === 'images' || name === 'url' ? key : name));
			}
		}
	};
	walk(body, undefined);
	return out;
}

/**
 * The categories to send for the chosen ones: each chosen category becomes the leaves inside its
 * nested-set interval, since products carry their leaf category and nothing public shows a parent
 * ID covering its subtree. Sending leaves only is right whether Al-Style matches IDs exactly or
 * includes subtrees (docs/services/alstyle.md, "Categories"). An ID the tree does not know, or
 * one with no leaf inside, is sent as it is.
 */
export function leafCategoryIds(chosen: string[], categories: AlStyleCategory[]): string[] {
	const sorted = [...categories].sort((a, b) => Number(a.left) - Number(b.left));
	const out = new Set<string>();
	for (const id of chosen) {
		const parent = categories.find((category) => String(category.id) === id);
		const leaves = parent
			? sorted.filter(
					(category) =>
						Number(category.left) >= Number(parent.left) &&
						Number(category.right) <= Number(parent.right) &&
						Number(category.right) - Number(category.left) === 1,
				)
			: [];
		if (!leaves.length) out.add(id);
		for (const leaf of leaves) out.add(String(leaf.id));
	}
	return [...out];
}

/**
 * Parent and path from the nested-set bounds: the parent is the nearest category whose interval
 * encloses this one. Sorted by `left`, one pass with a stack of open intervals.
 */
export function withTree(categories: AlStyleCategory[]): IDataObject[] {
	const sorted = [...categories].sort((a, b) => a.left - b.left);
	const open: AlStyleCategory[] = [];
	const paths = new Map<number, { parentId: number | null; path: string[]; pathIds: number[] }>();
	for (const category of sorted) {
		while (open.length && open[open.length - 1].right < category.left) open.pop();
		const parent = open[open.length - 1];
		const parentPath = parent ? paths.get(parent.id)! : { path: [], pathIds: [] };
		paths.set(category.id, {
			parentId: parent ? parent.id : null,
			path: [...parentPath.path, category.name],
			pathIds: [...parentPath.pathIds, category.id],
		});
		open.push(category);
	}
	return categories.map((category) => {
		const tree = paths.get(category.id)!;
		return {
			...category,
			parentId: tree.parentId,
			path: tree.path.join(' / '),
			pathIds: tree.pathIds,
		} as IDataObject;
	});
}

import type { IDataObject } from 'n8n-workflow';

import type { AlStyleCategory, AlStyleElement, AlStyleQuantity, AlStyleStockPrice } from './types';

const PRICE_FIELDS = ['price1', 'price2', 'rrp', 'discountPrice'] as const;

/** `">50"` → 50 with the lower-bound flag; a number stays as it is; anything else is 0. */
export function normaliseQuantity(quantity: AlStyleQuantity | undefined | null): { quantity: number; quantityIsLowerBound: boolean } {
	if (typeof quantity === 'number' && Number.isFinite(quantity)) return { quantity, quantityIsLowerBound: false };
	if (typeof quantity === 'string') {
		const match = /\d+(?:[.,]\d+)?/.exec(quantity);
		const value = match ? Number(match[0].replace(',', '.')) : 0;
		return { quantity: value, quantityIsLowerBound: /^\s*[>≥]/.test(quantity) };
	}
	return { quantity: 0, quantityIsLowerBound: false };
}

/** A price at or below 1 is Al-Style's "price on request" sentinel, not 1 ₸. */
export function normalisePrice(price: unknown): number | null {
	const value = typeof price === 'string' ? Number(price.replace(/\s/g, '')) : price;
	return typeof value === 'number' && Number.isFinite(value) && value > 1 ? value : null;
}

/** Always a list of URL strings, whatever shape the supplier sent. */
export function normaliseImages(images: unknown): string[] {
	if (images === undefined || images === null || images === '') return [];
	const list = Array.isArray(images) ? images : typeof images === 'string' ? images.split(',') : [images];
	return list
		.map((image) => (typeof image === 'string' ? image : typeof image === 'object' && image ? String((image as IDataObject).url ?? '') : ''))
		.map((url) => url.trim())
		.filter(Boolean);
}

function withPrices<T extends IDataObject>(record: T): T {
	const out: IDataObject = { ...record };
	for (const field of PRICE_FIELDS) if (field in out) out[field] = normalisePrice(out[field]);
	return out as T;
}

export function normaliseElement(element: AlStyleElement): IDataObject {
	const out = withPrices({ ...element } as IDataObject);
	Object.assign(out, normaliseQuantity(element.quantity));
	out.images = normaliseImages(element.images);
	if (typeof out.brand !== 'string') out.brand = out.brand === undefined || out.brand === null ? '' : String((out.brand as IDataObject).name ?? out.brand);
	return out;
}

export function normaliseStockPrice(article: string, entry: AlStyleStockPrice): IDataObject {
	const numeric = Number(article);
	return withPrices({ article: Number.isSafeInteger(numeric) ? numeric : article, ...entry, ...normaliseQuantity(entry.quantity) } as IDataObject);
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
		return { ...category, parentId: tree.parentId, path: tree.path.join(' / '), pathIds: tree.pathIds } as IDataObject;
	});
}

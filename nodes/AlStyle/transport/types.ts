/**
 * Al-Style dealer API wire types (alstyle.md §4–5), shared with the sandbox emulator through
 * `sandbox/lib/wire.mjs`: the paths, the page-size limit and the answer shapes.
 */

export const ALSTYLE_PATHS = {
	elementsPagination: '/api/elements-pagination',
	elementInfo: '/api/element-info',
	quantityPrice: '/api/quantity-price',
	properties: '/api/properties',
	images: '/api/images',
	categories: '/api/categories',
	brands: '/api/brands',
	date: '/api/date',
} as const;

/** The query parameter that carries the token on every call. */
export const ALSTYLE_TOKEN_PARAMETER = 'access-token';
/** Largest `limit` elements-pagination accepts. */
export const ALSTYLE_PAGE_LIMIT = 250;
/** Articles per element-info / properties / images call. */
export const ALSTYLE_ARTICLE_BATCH = 50;
/** Values accepted in `additional_fields`; any other makes Al-Style answer 500. */
export const ALSTYLE_ADDITIONAL_FIELDS = [
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
	'discountPrice',
	'discount',
] as const;

/** Stock is a number or a lower bound such as ">50". */
export type AlStyleQuantity = number | string;

export interface AlStyleElement {
	article: number;
	article_pn?: string;
	name: string;
	full_name?: string;
	category: number;
	price1: number;
	price2: number;
	quantity: AlStyleQuantity;
	isnew?: number;
	brand?: string;
	images?: string[] | string;
	barcode?: string;
	warranty?: string;
	weight?: number;
	url?: string;
	description?: string;
	detailText?: string;
	rrp?: number;
	discountPrice?: number;
	discount?: number;
	[key: string]: unknown;
}

export interface AlStylePage {
	elements: AlStyleElement[];
	pagination: { totalCount: number; totalPages: number; currentPage: number; limit: number; offset: number };
}

export interface AlStyleStockPrice {
	quantity: AlStyleQuantity;
	price1: number;
	price2: number;
	discountPrice?: number;
	discount?: number;
	warehouse?: string;
}

/** `quantity-price`: an object keyed by article. */
export type AlStyleStockPrices = Record<string, AlStyleStockPrice>;

export interface AlStyleCategory {
	id: number;
	name: string;
	level: number;
	left: number;
	right: number;
	elements: number;
}

export interface AlStyleProperties {
	elements: Array<{ article: number; properties: Array<{ code?: string; name: string; value: string; sort?: number }> }>;
}

/** `images`: URLs keyed by article. */
export type AlStyleImages = Record<string, string[]>;

export interface AlStyleBrands {
	data: Array<{ id: string; name: string; count: number }>;
}

/**
 * Al-Style dealer API wire types: the paths, limits and answer shapes the public clients show
 * (docs/services/alstyle.md). No official documentation is public.
 */

export const ALSTYLE_PATHS = {
	elementsPagination: '/api/elements-pagination',
	elementInfo: '/api/element-info',
	quantityPrice: '/api/quantity-price',
	properties: '/api/properties',
	images: '/api/images',
	categories: '/api/categories',
	brands: '/api/brands',
} as const;

/** Largest `limit` elements-pagination accepts. */
export const ALSTYLE_PAGE_LIMIT = 250;
/** Articles per element-info / properties / images call. */
export const ALSTYLE_ARTICLE_BATCH = 50;
/** Category IDs per elements-pagination call, as the S1 importer sends them (docs/services/alstyle.md). */
export const ALSTYLE_CATEGORY_CHUNK = 80;
/**
 * Al-Style prices withdrawn items and spare parts at 9,999,999; a price at or above this default is
 * read as no price (docs/services/alstyle.md, "Prices").
 */
export const ALSTYLE_PLACEHOLDER_PRICE = 9_000_000;
/**
 * `additional_fields` names the public clients use. Not a closed list: Al-Style answers 500 to a
 * name it does not know, so these are offered and others may be typed in.
 */
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
	'defectDescription',
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
	pagination: {
		totalCount: number;
		totalPages: number;
		currentPage: number;
		limit: number;
		offset: number;
	};
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
	elements: Array<{
		article: number;
		properties: Array<{ code?: string; name: string; value: string; sort?: number }>;
	}>;
}

/** `images` as the node returns it: URLs keyed by article, whatever shape Al-Style sent. */
export type AlStyleImages = Record<string, string[]>;

export interface AlStyleBrands {
	data: Array<{ id: string; name: string; count: number }>;
}

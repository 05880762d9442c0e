import type { IDataObject } from 'n8n-workflow';

import { KASPI_SCHEMA } from '../generated/kaspiSchema';
import { checkSimpleValue } from './validator';
import type { CityPrice, Offer, OfferAvailability } from './writer';
import { stripNonXml } from './writer';

export type Rounding = 'nearest' | 'up' | 'down';

export interface StoreMapping {
	storeId: string;
	/** Field holding the stock count for this pickup point. */
	stockField: string;
	/** Pre-order days (0–30) advertised while the offer is available; 0 leaves the attribute out. */
	preOrder: number;
}

export interface CityPriceMapping {
	cityId: string;
	priceField: string;
}

export interface MappingOptions {
	skuField: string;
	skuPrefix: string;
	modelField: string;
	brandField: string;
	priceMode: 'single' | 'perCity';
	priceField: string;
	cityPrices: CityPriceMapping[];
	stores: StoreMapping[];
	/** New price = source × (1 + markupPercent / 100) + markupFixed, then rounded. */
	markupPercent: number;
	markupFixed: number;
	rounding: Rounding;
	/** Round to a multiple of this many tenge (1, 10, 100, …). */
	roundingStep: number;
	/** An offer is available at a point when its stock there is at least this. */
	minStock: number;
	/** Upper bound on the advertised stockCount; 0 = no cap. */
	maxStock: number;
}

type MappedItem =
	| { offer: Offer; warnings: string[] }
	| { skip: string; sku?: string; warnings: string[] };

/** Reads `a.b.c` from an item; a name with a literal dot is tried first. */
export function readField(json: IDataObject, path: string): unknown {
	if (!path) return undefined;
	if (path in json) return json[path];
	let value: unknown = json;
	for (const key of path.split('.')) {
		if (value === null || typeof value !== 'object') return undefined;
		value = (value as IDataObject)[key];
	}
	return value;
}

/** A number from a number or a string such as "12 990", "12990,50" or ">50". */
export function toNumber(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	if (typeof value !== 'string') return undefined;
	const match = /[-+]?\d+(?:[.,]\d+)?/.exec(value.replace(/[\s\u00A0\u202F]/g, ''));
	return match ? Number(match[0].replace(',', '.')) : undefined;
}

export function applyMarkup(
	source: number,
	options: Pick<MappingOptions, 'markupPercent' | 'markupFixed' | 'rounding' | 'roundingStep'>,
): number {
	const raw = source * (1 + options.markupPercent / 100) + options.markupFixed;
	const step = options.roundingStep >= 1 ? Math.floor(options.roundingStep) : 1;
	// Guard against 1299.9999999 from binary fractions before rounding up or down.
	const units = Math.round((raw / step) * 1e6) / 1e6;
	const rounded =
		options.rounding === 'up'
			? Math.ceil(units)
			: options.rounding === 'down'
				? Math.floor(units)
				: Math.round(units);
	return rounded * step;
}

const MAX_INT = 2147483647;

function cleanText(value: unknown, field: string, warnings: string[]): string {
	if (value === undefined || value === null) return '';
	const { text, stripped } = stripNonXml(String(value));
	if (stripped) warnings.push(`${stripped} control character(s) removed from ${field}`);
	return text.replace(/\s+/g, ' ').trim();
}

function priceFrom(value: unknown, options: MappingOptions): number | undefined {
	const source = toNumber(value);
	if (source === undefined || source <= 0) return undefined;
	const price = applyMarkup(source, options);
	return price >= 1 && price <= MAX_INT ? price : undefined;
}

/** Maps one input item to an offer, or says why it is skipped. */
export function mapItem(json: IDataObject, options: MappingOptions): MappedItem {
	const warnings: string[] = [];
	const rawSku = readField(json, options.skuField);
	const sku =
		rawSku === undefined || rawSku === null ? '' : `${options.skuPrefix}${String(rawSku).trim()}`;
	if (!sku || sku === options.skuPrefix)
		return { skip: `no SKU in field "${options.skuField}"`, warnings };
	const skuProblem = checkSimpleValue(KASPI_SCHEMA, 'skuType', sku);
	if (skuProblem)
		return { skip: `SKU "${sku}" is not 1–20 Latin letters, digits, "_" or "-"`, sku, warnings };

	const model = cleanText(readField(json, options.modelField), 'the model', warnings);
	if (!model) return { skip: `no model in field "${options.modelField}"`, sku, warnings };
	const brand = options.brandField
		? cleanText(readField(json, options.brandField), 'the brand', warnings)
		: '';

	let price: number | undefined;
	let cityPrices: CityPrice[] | undefined;
	if (options.priceMode === 'perCity') {
		cityPrices = [];
		for (const city of options.cityPrices) {
			const cityPrice = priceFrom(readField(json, city.priceField), options);
			if (cityPrice !== undefined) cityPrices.push({ cityId: city.cityId, price: cityPrice });
		}
		if (!cityPrices.length) return { skip: 'no price for any city', sku, warnings };
	} else {
		price = priceFrom(readField(json, options.priceField), options);
		if (price === undefined)
			return { skip: `no price in field "${options.priceField}"`, sku, warnings };
	}

	const availabilities: OfferAvailability[] = options.stores.map((store) => {
		const stock = Math.max(0, Math.floor(toNumber(readField(json, store.stockField)) ?? 0));
		const available = stock >= Math.max(options.minStock, 1);
		// A cap typed with decimals (an expression, say) must not put "2.5" into stockCount.
		const cap = Math.floor(options.maxStock);
		const advertised = Math.min(cap > 0 ? Math.min(stock, cap) : stock, MAX_INT);
		return {
			storeId: store.storeId,
			available,
			...(available && store.preOrder > 0 ? { preOrder: store.preOrder } : {}),
			stockCount: available ? advertised : 0,
		};
	});

	return {
		offer: {
			sku,
			model,
			...(brand ? { brand } : {}),
			availabilities,
			...(cityPrices ? { cityPrices } : { price }),
		},
		warnings,
	};
}

/** Problems in the mapping parameters themselves (store ids, city ids, pre-order days). */
export function checkMappingOptions(options: MappingOptions): string | undefined {
	if (!options.stores.length) return 'Add at least one pickup point under Availability';
	const seen = new Set<string>();
	for (const store of options.stores) {
		if (checkSimpleValue(KASPI_SCHEMA, 'storeIdType', store.storeId)) {
			return `Store ID "${store.storeId}" must be Latin letters, digits, "_" or "-" (e.g. PP1); a Cyrillic look-alike is ignored by Kaspi`;
		}
		if (seen.has(store.storeId)) return `Store ID "${store.storeId}" is listed twice`;
		seen.add(store.storeId);
		if (checkSimpleValue(KASPI_SCHEMA, 'preOrderType', String(store.preOrder))) {
			return `Pre-order days for ${store.storeId} must be a whole number from 0 to 30`;
		}
	}
	if (options.priceMode === 'perCity') {
		if (!options.cityPrices.length) return 'Add at least one city under City Prices';
		const cities = new Set<string>();
		for (const city of options.cityPrices) {
			if (checkSimpleValue(KASPI_SCHEMA, 'cityIdType', city.cityId))
				return `City ID "${city.cityId}" must be a 9-digit KATO code, e.g. 750000000 for Almaty`;
			if (cities.has(city.cityId)) return `City ID "${city.cityId}" is listed twice`;
			cities.add(city.cityId);
		}
	}
	return undefined;
}

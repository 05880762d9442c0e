/**
 * Writes a Kaspi price list (`kaspi_catalog`) offer by offer into UTF-8 chunks, so a 100,000-offer
 * list never exists as one big string: only the small pending text and the encoded chunks, which
 * are joined once at the end.
 */

const KASPI_NAMESPACE = 'kaspiShopping';
const KASPI_SCHEMA_LOCATION = 'kaspiShopping http://kaspi.kz/kaspishopping.xsd';

interface PriceListHeader {
	company: string;
	merchantId: string;
	/** Free text; Kaspi's own export uses "YYYY-MM-DD HH:mm" in Almaty time. */
	date: string;
}

export interface OfferAvailability {
	storeId: string;
	available: boolean;
	stockCount?: number;
	preOrder?: number;
}

export interface CityPrice {
	cityId: string;
	price: number;
}

export interface Offer {
	sku: string;
	model: string;
	brand?: string;
	availabilities: OfferAvailability[];
	/** Either one price or prices per city, never both. */
	price?: number;
	cityPrices?: CityPrice[];
}

/** Characters XML 1.0 does not allow at all: C0 controls other than tab/LF/CR, U+FFFE/FFFF, lone surrogates. */
const c = (code: number) => String.fromCharCode(code);
const NOT_XML = new RegExp(
	`[${c(0)}-${c(8)}${c(11)}${c(12)}${c(14)}-${c(31)}\\uFFFE\\uFFFF]|[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]`,
	'g',
);
/** Removes what XML cannot carry; returns the text and how many characters were dropped. */
export function stripNonXml(text: string): { text: string; stripped: number } {
	let stripped = 0;
	const clean = text.replace(NOT_XML, () => {
		stripped++;
		return '';
	});
	return { text: clean, stripped };
}

const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const ATTRIBUTE_ESCAPES: Record<string, string> = {
	...TEXT_ESCAPES,
	'"': '&quot;',
	"'": '&apos;',
	'\t': '&#9;',
	'\n': '&#10;',
	'\r': '&#13;',
};

export function escapeText(text: string): string {
	return /[&<>\r]/.test(text)
		? text.replace(/[&<>]/g, (c) => TEXT_ESCAPES[c]).replace(/\r/g, '&#13;')
		: text;
}

export function escapeAttribute(text: string): string {
	return /[&<>"'\t\n\r]/.test(text)
		? text.replace(/[&<>"'\t\n\r]/g, (c) => ATTRIBUTE_ESCAPES[c])
		: text;
}

const CHUNK_CHARS = 1 << 16;

export class PriceListWriter {
	private readonly chunks: Buffer[] = [];
	private pending = '';
	private bytes = 0;
	private count = 0;

	constructor(header: PriceListHeader) {
		this.pending =
			'<?xml version="1.0" encoding="utf-8"?>\n' +
			`<kaspi_catalog date="${escapeAttribute(header.date)}" xmlns="${KASPI_NAMESPACE}"` +
			` xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="${KASPI_SCHEMA_LOCATION}">\n` +
			`  <company>${escapeText(header.company)}</company>\n` +
			`  <merchantid>${escapeText(header.merchantId)}</merchantid>\n` +
			'  <offers>\n';
	}

	get offers(): number {
		return this.count;
	}

	add(offer: Offer): void {
		let xml = `    <offer sku="${escapeAttribute(offer.sku)}">\n      <model>${escapeText(offer.model)}</model>\n`;
		if (offer.brand) xml += `      <brand>${escapeText(offer.brand)}</brand>\n`;
		xml += '      <availabilities>\n';
		for (const a of offer.availabilities) {
			xml += `        <availability available="${a.available ? 'yes' : 'no'}" storeId="${escapeAttribute(a.storeId)}"`;
			if (a.preOrder !== undefined) xml += ` preOrder="${a.preOrder}"`;
			if (a.stockCount !== undefined) xml += ` stockCount="${a.stockCount}"`;
			xml += '/>\n';
		}
		xml += '      </availabilities>\n';
		if (offer.cityPrices) {
			xml += '      <cityprices>\n';
			for (const c of offer.cityPrices) {
				xml += `        <cityprice cityId="${escapeAttribute(c.cityId)}">${c.price}</cityprice>\n`;
			}
			xml += '      </cityprices>\n';
		} else {
			xml += `      <price>${offer.price}</price>\n`;
		}
		xml += '    </offer>\n';
		this.count++;
		this.write(xml);
	}

	/** Closes the document and returns it as one buffer; the writer is spent afterwards. */
	finish(): Buffer {
		this.write('  </offers>\n</kaspi_catalog>\n');
		this.flush();
		const result =
			this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.bytes);
		this.chunks.length = 0;
		return result;
	}

	private write(text: string): void {
		this.pending += text;
		if (this.pending.length >= CHUNK_CHARS) this.flush();
	}

	private flush(): void {
		if (!this.pending) return;
		const chunk = Buffer.from(this.pending, 'utf8');
		this.chunks.push(chunk);
		this.bytes += chunk.length;
		this.pending = '';
	}
}

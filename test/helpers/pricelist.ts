/**
 * Generated Kaspi price lists for the tests: a seeded generator of valid documents in many
 * spellings (default namespace or prefix, quotes, comments, CDATA, entities, layout) and a set of
 * named mutations, each of which breaks (or, for a few, deliberately keeps) validity; and what the
 * node's tests share: a runner, libxml2's verdict on the schema, and a small list from the writer.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { parseXml, type Document } from 'libxmljs2';

import { KaspiPriceList } from '../../nodes/KaspiPriceList/KaspiPriceList.node';
import { PriceListWriter } from '../../nodes/KaspiPriceList/xml/writer';
import { fakeContext } from './context';

export interface XmlElement {
	name: string;
	attrs: Array<[string, string]>;
	children: XmlNode[];
}
export type XmlNode = XmlElement | { text: string; cdata?: boolean } | { comment: string };

/** mulberry32: a small deterministic PRNG so every run sees the same documents. */
export function random(seed: number) {
	let state = seed >>> 0;
	const next = () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	return {
		next,
		int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
		pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)],
		chance: (p: number) => next() < p,
	};
}
export type Random = ReturnType<typeof random>;

const el = (
	name: string,
	attrs: Array<[string, string]> = [],
	children: XmlNode[] = [],
): XmlElement => ({
	name,
	attrs,
	children,
});
const text = (value: string): XmlNode => ({ text: value });

const MODELS = [
	'Ноутбук Lenovo IdeaPad 3 15ITL6 серый',
	'Мышь Logitech M185 & ресивер',
	'Кабель "USB-C" <1 м>',
	"Колонка JBL Go 3 'синяя'",
	'Смартфон 📱 Samsung Galaxy A15',
	'Қазақша тауар атауы',
	'Plain ASCII model 42',
];
const BRANDS = ['Lenovo', 'Logitech', 'Без бренда', 'JBL', 'Samsung', 'A&B'];
const CITIES = ['750000000', '710000000', '511010000', '351010000'];

export function validCatalog(rnd: Random, offerCount = rnd.int(1, 6)): XmlElement {
	const offers: XmlElement[] = [];
	for (let i = 0; i < offerCount; i++) {
		const stores = rnd.int(1, 3);
		const availabilities: XmlElement[] = [];
		for (let s = 1; s <= stores; s++) {
			const available = rnd.chance(0.7);
			const attrs: Array<[string, string]> = [
				['available', available ? 'yes' : 'no'],
				['storeId', rnd.chance(0.8) ? `PP${s}` : `M_${s}-x`],
			];
			if (available && rnd.chance(0.4)) attrs.push(['preOrder', String(rnd.int(0, 30))]);
			if (rnd.chance(0.8)) attrs.push(['stockCount', String(available ? rnd.int(1, 500) : 0)]);
			availabilities.push(el('availability', rnd.chance(0.5) ? attrs : attrs.reverse()));
		}
		const children: XmlNode[] = [el('model', [], [text(rnd.pick(MODELS))])];
		if (rnd.chance(0.7)) children.push(el('brand', [], [text(rnd.pick(BRANDS))]));
		children.push(el('availabilities', [], availabilities));
		if (rnd.chance(0.6)) {
			children.push(el('price', [], [text(String(rnd.int(1, 2_000_000)))]));
		} else {
			const cities = CITIES.slice(0, rnd.int(1, CITIES.length));
			children.push(
				el(
					'cityprices',
					[],
					cities.map((city) =>
						el('cityprice', [['cityId', city]], [text(String(rnd.int(1, 999_999)))]),
					),
				),
			);
		}
		offers.push(el('offer', [['sku', `SKU${i}${rnd.pick(['', 'A', '_b', '-9'])}`]], children));
	}
	return el(
		'kaspi_catalog',
		[
			['date', rnd.pick(['string', '2026-11-22 14:30', '2026-11-22T14:30:00+05:00'])],
			['xsi:schemaLocation', 'kaspiShopping http://kaspi.kz/kaspishopping.xsd'],
		],
		[
			el('company', [], [text(rnd.pick(['ТОО «Алтын Сауда»', 'Shop & Co', 'Test']))]),
			el('merchantid', [], [text('30123456')]),
			el('offers', [], offers),
		],
	);
}

export interface Style {
	/** Default namespace, or every element under this prefix. */
	prefix: string;
	namespace: string;
	quote: '"' | "'";
	indent: boolean;
	comments: boolean;
	declaration: boolean;
}

export function randomStyle(rnd: Random): Style {
	return {
		prefix: rnd.chance(0.25) ? rnd.pick(['k', 'ks']) : '',
		namespace: 'kaspiShopping',
		quote: rnd.chance(0.7) ? '"' : "'",
		indent: rnd.chance(0.7),
		comments: rnd.chance(0.2),
		declaration: rnd.chance(0.9),
	};
}

function escapeText(value: string): string {
	return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
function escapeAttribute(value: string, quote: string): string {
	return escapeText(value).replace(
		quote === '"' ? /"/g : /'/g,
		quote === '"' ? '&quot;' : '&apos;',
	);
}

export function serialize(root: XmlElement, style: Style): string {
	const q = style.quote;
	const out: string[] = [];
	if (style.declaration) out.push(`<?xml version="1.0" encoding="utf-8"?>\n`);
	const write = (node: XmlNode, depth: number, isRoot: boolean, inText = false) => {
		const pad = style.indent && !inText ? '\n' + '  '.repeat(depth) : '';
		if ('comment' in node) {
			out.push(`${pad}<!--${node.comment}-->`);
			return;
		}
		if ('text' in node) {
			out.push(node.cdata ? `<![CDATA[${node.text}]]>` : escapeText(node.text));
			return;
		}
		const name = style.prefix ? `${style.prefix}:${node.name}` : node.name;
		let attrs = node.attrs.map(([k, v]) => ` ${k}=${q}${escapeAttribute(v, q)}${q}`).join('');
		if (isRoot) {
			attrs += style.prefix
				? ` xmlns:${style.prefix}=${q}${style.namespace}${q}`
				: ` xmlns=${q}${style.namespace}${q}`;
			attrs += ` xmlns:xsi=${q}http://www.w3.org/2001/XMLSchema-instance${q}`;
		}
		out.push(`${isRoot ? '' : pad}<${name}${attrs}`);
		if (!node.children.length) {
			out.push('/>');
			return;
		}
		out.push('>');
		const elementOnly = node.children.every((child) => 'name' in child);
		if (style.comments && elementOnly)
			out.push(`${style.indent ? '\n' + '  '.repeat(depth + 1) : ''}<!-- ${node.name} -->`);
		for (const child of node.children) write(child, depth + 1, false, !elementOnly);
		out.push(`${elementOnly ? pad : ''}</${name}>`);
	};
	write(root, 0, true);
	out.push('\n');
	return out.join('');
}

// ---- tree helpers for mutations
function find(root: XmlElement, name: string): XmlElement[] {
	const found: XmlElement[] = [];
	const walk = (node: XmlElement) => {
		if (node.name === name) found.push(node);
		for (const child of node.children) if ('name' in child) walk(child);
	};
	walk(root);
	return found;
}
const elements = (node: XmlElement) => node.children.filter((c): c is XmlElement => 'name' in c);
function setAttr(node: XmlElement, name: string, value: string | undefined) {
	node.attrs = node.attrs.filter(([k]) => k !== name);
	if (value !== undefined) node.attrs.push([name, value]);
}
function setText(node: XmlElement, value: string) {
	node.children = [text(value)];
}
function removeChild(parent: XmlElement, name: string) {
	parent.children = parent.children.filter((c) => !('name' in c) || c.name !== name);
}
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

export interface Mutation {
	name: string;
	/** The verdict the XSD must give; undefined for mutations that may go either way. */
	valid?: boolean;
	/** Changes the tree (tree mutations) or the serialised text (text mutations). */
	tree?: (root: XmlElement, rnd: Random) => void;
	text?: (xml: string, rnd: Random) => string;
}

const anyOffer = (root: XmlElement, rnd: Random) => rnd.pick(find(root, 'offer'));
const anyAvailability = (root: XmlElement, rnd: Random) => rnd.pick(find(root, 'availability'));
const ensureCityPrices = (offer: XmlElement) => {
	removeChild(offer, 'price');
	removeChild(offer, 'cityprices');
	offer.children.push(
		el(
			'cityprices',
			[],
			[
				el('cityprice', [['cityId', '750000000']], [text('100')]),
				el('cityprice', [['cityId', '710000000']], [text('200')]),
			],
		),
	);
	return find(offer, 'cityprices')[0];
};
const ensurePrice = (offer: XmlElement) => {
	removeChild(offer, 'cityprices');
	removeChild(offer, 'price');
	const price = el('price', [], [text('1000')]);
	offer.children.push(price);
	return price;
};

export const MUTATIONS: Mutation[] = [
	{ name: 'unchanged', valid: true, tree: () => undefined },
	{
		name: 'missing sku',
		valid: false,
		tree: (r, rnd) => setAttr(anyOffer(r, rnd), 'sku', undefined),
	},
	{ name: 'empty sku', valid: false, tree: (r, rnd) => setAttr(anyOffer(r, rnd), 'sku', '') },
	{
		name: 'sku of 21 characters',
		valid: false,
		tree: (r, rnd) => setAttr(anyOffer(r, rnd), 'sku', 'A'.repeat(21)),
	},
	{
		name: 'sku of 20 characters',
		valid: true,
		tree: (r, rnd) => setAttr(anyOffer(r, rnd), 'sku', 'Z'.repeat(20)),
	},
	{
		name: 'sku with a space',
		valid: false,
		tree: (r, rnd) => setAttr(anyOffer(r, rnd), 'sku', 'AB 12'),
	},
	{
		name: 'Cyrillic sku',
		valid: false,
		tree: (r, rnd) => setAttr(anyOffer(r, rnd), 'sku', 'АРТ1'),
	},
	{
		name: 'duplicate sku',
		valid: false,
		tree: (r, rnd) => {
			const offers = find(r, 'offers')[0];
			const copy = clone(anyOffer(r, rnd));
			offers.children.push(copy);
		},
	},
	{
		name: 'bad available value',
		valid: false,
		tree: (r, rnd) =>
			setAttr(
				anyAvailability(r, rnd),
				'available',
				rnd.pick(['true', 'Yes', 'YES', '1', '', ' yes', 'no ']),
			),
	},
	{
		name: 'missing available',
		valid: false,
		tree: (r, rnd) => setAttr(anyAvailability(r, rnd), 'available', undefined),
	},
	{
		name: 'missing storeId',
		valid: false,
		tree: (r, rnd) => setAttr(anyAvailability(r, rnd), 'storeId', undefined),
	},
	{
		name: 'Cyrillic storeId',
		valid: false,
		tree: (r, rnd) => setAttr(anyAvailability(r, rnd), 'storeId', 'РР1'),
	},
	{
		name: 'duplicate storeId',
		valid: false,
		tree: (r, rnd) => {
			const list = rnd.pick(find(r, 'availabilities'));
			list.children.push(clone(elements(list)[0]));
		},
	},
	{
		name: 'preOrder 31',
		valid: false,
		tree: (r, rnd) => setAttr(anyAvailability(r, rnd), 'preOrder', '31'),
	},
	{
		name: 'preOrder 30',
		valid: true,
		tree: (r, rnd) => setAttr(anyAvailability(r, rnd), 'preOrder', '30'),
	},
	{
		name: 'preOrder not a number',
		valid: false,
		tree: (r, rnd) =>
			setAttr(anyAvailability(r, rnd), 'preOrder', rnd.pick(['-1', 'abc', '1.5', '3 days'])),
	},
	{
		name: 'negative or decimal stockCount',
		valid: false,
		tree: (r, rnd) =>
			setAttr(anyAvailability(r, rnd), 'stockCount', rnd.pick(['-1', '2.5', '1e3', ''])),
	},
	{
		name: 'stockCount with spaces',
		valid: true,
		tree: (r, rnd) => setAttr(anyAvailability(r, rnd), 'stockCount', ' 7 '),
	},
	{
		name: 'unknown attribute',
		valid: false,
		tree: (r, rnd) => anyAvailability(r, rnd).attrs.push(['stock', '5']),
	},
	{
		name: 'unknown attribute on offer',
		valid: false,
		tree: (r, rnd) => anyOffer(r, rnd).attrs.push(['available', 'yes']),
	},
	{
		name: 'decimal price',
		valid: false,
		tree: (r, rnd) =>
			setText(ensurePrice(anyOffer(r, rnd)), rnd.pick(['193000.5', '193000.00', '193 000', '1,5'])),
	},
	{
		name: 'zero or negative price',
		valid: false,
		tree: (r, rnd) => setText(ensurePrice(anyOffer(r, rnd)), rnd.pick(['0', '-5', '+5', '007'])),
	},
	{
		name: 'price beyond xs:int',
		valid: false,
		tree: (r, rnd) => setText(ensurePrice(anyOffer(r, rnd)), '2147483648'),
	},
	{
		name: 'price with surrounding whitespace',
		valid: true,
		tree: (r, rnd) => setText(ensurePrice(anyOffer(r, rnd)), '\n  1500  \n'),
	},
	{
		name: 'price in CDATA',
		valid: true,
		tree: (r, rnd) => (ensurePrice(anyOffer(r, rnd)).children = [{ text: '4200', cdata: true }]),
	},
	{
		name: 'empty price',
		valid: false,
		tree: (r, rnd) => (ensurePrice(anyOffer(r, rnd)).children = []),
	},
	{
		name: 'both price forms',
		valid: false,
		tree: (r, rnd) => {
			const offer = anyOffer(r, rnd);
			ensureCityPrices(offer);
			offer.children.push(el('price', [], [text('100')]));
		},
	},
	{
		name: 'price before cityprices',
		valid: false,
		tree: (r, rnd) => {
			const offer = anyOffer(r, rnd);
			const cities = ensureCityPrices(offer);
			removeChild(offer, 'cityprices');
			offer.children.push(el('price', [], [text('100')]), cities);
		},
	},
	{
		name: 'no price at all',
		valid: false,
		tree: (r, rnd) => {
			const offer = anyOffer(r, rnd);
			removeChild(offer, 'price');
			removeChild(offer, 'cityprices');
		},
	},
	{
		name: '8-digit cityId',
		valid: false,
		tree: (r, rnd) =>
			setAttr(elements(ensureCityPrices(anyOffer(r, rnd)))[0], 'cityId', '75000000'),
	},
	{
		name: 'duplicate cityId',
		valid: false,
		tree: (r, rnd) =>
			setAttr(elements(ensureCityPrices(anyOffer(r, rnd)))[1], 'cityId', '750000000'),
	},
	{
		name: 'empty cityprices',
		valid: false,
		tree: (r, rnd) => (ensureCityPrices(anyOffer(r, rnd)).children = []),
	},
	{ name: 'missing model', valid: false, tree: (r, rnd) => removeChild(anyOffer(r, rnd), 'model') },
	{
		name: 'empty model',
		valid: false,
		tree: (r, rnd) => setText(elements(anyOffer(r, rnd))[0], ''),
	},
	{
		name: 'whitespace-only model',
		valid: true,
		tree: (r, rnd) => setText(elements(anyOffer(r, rnd))[0], '   '),
	},
	{ name: 'missing brand', valid: true, tree: (r, rnd) => removeChild(anyOffer(r, rnd), 'brand') },
	{
		name: 'brand before model',
		valid: false,
		tree: (r, rnd) => {
			const offer = anyOffer(r, rnd);
			removeChild(offer, 'brand');
			offer.children.unshift(el('brand', [], [text('X')]));
		},
	},
	{
		name: 'two brands',
		valid: false,
		tree: (r, rnd) => {
			const offer = anyOffer(r, rnd);
			removeChild(offer, 'brand');
			offer.children.splice(1, 0, el('brand', [], [text('X')]), el('brand', [], [text('Y')]));
		},
	},
	{
		name: 'missing availabilities',
		valid: false,
		tree: (r, rnd) => removeChild(anyOffer(r, rnd), 'availabilities'),
	},
	{
		name: 'empty availabilities',
		valid: false,
		tree: (r, rnd) => (rnd.pick(find(r, 'availabilities')).children = []),
	},
	{
		name: 'text in availabilities',
		valid: false,
		tree: (r, rnd) => rnd.pick(find(r, 'availabilities')).children.push(text('oops')),
	},
	{
		name: 'whitespace inside availability',
		valid: false,
		tree: (r, rnd) => anyAvailability(r, rnd).children.push(text(' ')),
	},
	{
		name: 'child inside availability',
		valid: false,
		tree: (r, rnd) => anyAvailability(r, rnd).children.push(el('price', [], [text('1')])),
	},
	{
		name: 'unknown element in offer',
		valid: false,
		tree: (r, rnd) => anyOffer(r, rnd).children.push(el('description', [], [text('x')])),
	},
	{
		name: 'element inside price',
		valid: false,
		tree: (r, rnd) => (ensurePrice(anyOffer(r, rnd)).children = [el('b', [], [text('1')])]),
	},
	{ name: 'empty offers', valid: false, tree: (r) => (find(r, 'offers')[0].children = []) },
	{ name: 'missing company', valid: false, tree: (r) => removeChild(r, 'company') },
	{ name: 'missing merchantid', valid: false, tree: (r) => removeChild(r, 'merchantid') },
	{
		name: 'merchantid with spaces',
		valid: false,
		tree: (r) => setText(find(r, 'merchantid')[0], '301 234'),
	},
	{ name: 'missing date', valid: false, tree: (r) => setAttr(r, 'date', undefined) },
	{ name: 'empty date', valid: false, tree: (r) => setAttr(r, 'date', '') },
	{
		name: 'without schemaLocation',
		valid: true,
		tree: (r) => setAttr(r, 'xsi:schemaLocation', undefined),
	},
	{ name: 'xsi:nil attribute', tree: (r) => r.attrs.push(['xsi:nil', 'true']) },
	{
		name: 'comment inside price',
		valid: true,
		tree: (r, rnd) =>
			(ensurePrice(anyOffer(r, rnd)).children = [text('12'), { comment: ' c ' }, text('34')]),
	},
	{ name: 'wrong root name', valid: false, tree: (r) => (r.name = 'kaspi_catalogue') },
	// Text mutations: the namespace, well-formedness, and characters.
	{
		name: 'wrong namespace',
		valid: false,
		text: (x, rnd) =>
			x.replace(
				/(xmlns(?::k|:ks)?=)(["'])kaspiShopping\2/,
				`$1$2${rnd.pick(['kaspishopping', 'http://kaspi.kz/kaspishopping', 'urn:x'])}$2`,
			),
	},
	{
		name: 'no namespace',
		valid: false,
		text: (x) => x.replace(/ xmlns(?::\w+)?=(["'])kaspiShopping\1/, ''),
	},
	{ name: 'truncated', valid: false, text: (x, rnd) => x.slice(0, rnd.int(1, x.length - 3)) },
	{
		name: 'bare ampersand',
		valid: false,
		text: (x, rnd) =>
			x.replace(/<(\w+:)?model>/, `<$1model>${rnd.pick(['A & B', 'A&B', 'A &nbsp; B', '&#1;'])}`),
	},
	{ name: 'less-than in attribute', valid: false, text: (x) => x.replace(/sku=(["'])/, 'sku=$1<') },
	{
		name: 'control character',
		valid: false,
		text: (x, rnd) =>
			x.replace(/<(\w+:)?model>/, `<$1model>${rnd.pick(['\u0001', '\u0008', '\u001F', '\uFFFE'])}`),
	},
	{
		name: 'mismatched end tag',
		valid: false,
		text: (x) => x.replace(/<\/(\w+:)?model>/, '</$1modell>'),
	},
	{
		name: 'duplicate attribute',
		valid: false,
		text: (x) => x.replace(/ storeId=/, ' storeId="PP9" storeId='),
	},
	{
		name: 'undeclared prefix',
		valid: false,
		text: (x) =>
			x.replace(/<((?:\w+:)?)model>/, '<zz:model>').replace(/<\/((?:\w+:)?)model>/, '</zz:model>'),
	},
	{ name: 'second root element', valid: false, text: (x) => `${x}<kaspi_catalog/>` },
	{ name: 'text after the root', valid: false, text: (x) => `${x}junk` },
	{
		name: 'CDATA end in text',
		valid: false,
		text: (x) => x.replace(/<(\w+:)?model>/, '<$1model>a]]>b'),
	},
	{
		name: 'double hyphen in comment',
		valid: false,
		text: (x) => x.replace(/<(\w+:)?offers>/, '<$1offers><!-- a -- b -->'),
	},
	{
		name: 'entity in model',
		valid: true,
		text: (x) => x.replace(/<(\w+:)?model>/, '<$1model>&#x41;&#1049;&amp;&lt;&gt;&quot;&apos;'),
	},
	{
		name: 'emoji and astral characters',
		valid: true,
		text: (x) => x.replace(/<(\w+:)?model>/, '<$1model>😀𝄞 '),
	},
	{ name: 'CRLF line ends', valid: true, text: (x) => x.replace(/\n/g, '\r\n') },
	{ name: 'BOM', valid: true, text: (x) => `\uFEFF${x}` },
	{
		name: 'processing instruction inside',
		valid: true,
		text: (x) => x.replace(/<(\w+:)?offers>/, '<$1offers><?kaspi ok?>'),
	},
	{
		name: 'XML declaration not first',
		valid: false,
		text: (x) => ` ${x.startsWith('<?xml') ? x : `<?xml version="1.0"?>${x}`}`,
	},
	{
		name: 'attribute without quotes',
		valid: false,
		text: (x) => x.replace(/storeId=(["'])([^"']*)\1/, 'storeId=$2'),
	},
	{
		name: 'newline in storeId attribute',
		valid: false,
		text: (x) => x.replace(/storeId=(["'])/, 'storeId=$1&#10;'),
	},
];

export function mutate(seed: number, mutation: Mutation): string {
	const rnd = random(seed);
	const root = validCatalog(rnd);
	const style = randomStyle(rnd);
	if (mutation.tree) mutation.tree(root, rnd);
	let xml = serialize(root, style);
	if (mutation.text) xml = mutation.text(xml, rnd);
	return xml;
}

const FUZZ_ALPHABET = [
	'<',
	'>',
	'/',
	'&',
	';',
	'"',
	"'",
	'=',
	' ',
	'a',
	'x',
	'0',
	'9',
	':',
	'!',
	'?',
	'[',
	']',
	'-',
	'#',
	'\n',
	'\t',
	'ё',
	'Ж',
];

/** One to three random character insertions, deletions or replacements, never splitting a surrogate pair. */
export function fuzz(seed: number): string {
	const rnd = random(seed * 31 + 7);
	let xml = serialize(validCatalog(rnd), randomStyle(rnd));
	const edits = rnd.int(1, 3);
	for (let e = 0; e < edits; e++) {
		let at = rnd.int(0, xml.length - 1);
		while (at > 0 && xml.charCodeAt(at) >= 0xdc00 && xml.charCodeAt(at) <= 0xdfff) at--;
		const width = xml.charCodeAt(at) >= 0xd800 && xml.charCodeAt(at) <= 0xdbff ? 2 : 1;
		const char = rnd.pick(FUZZ_ALPHABET);
		const kind = rnd.int(0, 2);
		xml =
			kind === 0
				? xml.slice(0, at) + char + xml.slice(at)
				: xml.slice(0, at) + (kind === 1 ? '' : char) + xml.slice(at + width);
	}
	return xml;
}

/** Runs the Kaspi Price List node once on `items` and returns its outputs. */
export async function runPriceList(
	parameters: IDataObject,
	items: INodeExecutionData[],
	continueOnFail = false,
) {
	const { context } = fakeContext({ parameters, items, continueOnFail });
	return await new KaspiPriceList().execute.call(context as unknown as IExecuteFunctions);
}

let schema: Document | undefined;

/** Whether libxml2 finds `xml` valid against schemas/kaspishopping.xsd. */
export function libxml2Valid(xml: string): boolean {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const codegen = require('../../schemas/xsd-codegen.js') as { readSchemaText: () => string };
	schema ??= parseXml(codegen.readSchemaText());
	return parseXml(xml).validate(schema);
}

/** A valid three-offer list from the writer; offers start on lines 6, 13 and 20. */
export function threeOffers(): string[] {
	const writer = new PriceListWriter({ company: 'C', merchantId: '30123456', date: 'd' });
	for (const sku of ['A1', 'B2', 'C3']) {
		writer.add({
			sku,
			model: `m ${sku}`,
			availabilities: [{ storeId: 'PP1', available: true, stockCount: 1 }],
			price: 100,
		});
	}
	return writer.finish().toString('utf8').split('\n');
}

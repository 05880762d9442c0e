/**
 * Kaspi Price List node: mapping rules, escaping, the generated schema module, and line numbers of
 * schema errors. The Build and Validate operations have their own files in priceList/.
 */
import type { IDataObject } from 'n8n-workflow';
import { parseXml, type Element } from 'libxmljs2';

import { KASPI_SCHEMA } from '../../../nodes/KaspiPriceList/generated/kaspiSchema';
import { almatyTimestamp } from '../../../nodes/KaspiPriceList/actions/priceList/build.operation';
import {
	businessWarnings,
	decodeUtf8,
} from '../../../nodes/KaspiPriceList/actions/priceList/validate.operation';
import {
	applyMarkup,
	mapItem,
	readField,
	toNumber,
	type MappingOptions,
} from '../../../nodes/KaspiPriceList/xml/mapping';
import { validateXml } from '../../../nodes/KaspiPriceList/xml/validator';
import {
	escapeAttribute,
	escapeText,
	PriceListWriter,
	stripNonXml,
} from '../../../nodes/KaspiPriceList/xml/writer';
import { libxml2Valid, threeOffers } from '../../helpers/pricelist';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const codegen = require('../../../schemas/xsd-codegen.js') as {
	compileModel: () => unknown;
	readSchemaText: () => string;
};

const mapping: MappingOptions = {
	skuField: 'article',
	skuPrefix: '',
	modelField: 'name',
	brandField: 'brand',
	priceMode: 'single',
	priceField: 'price',
	cityPrices: [],
	stores: [{ storeId: 'PP1', stockField: 'quantity', preOrder: 0 }],
	markupPercent: 0,
	markupFixed: 0,
	rounding: 'nearest',
	roundingStep: 1,
	minStock: 1,
	maxStock: 0,
};

describe('mapping rules', () => {
	it('reads nested and dotted field names', () => {
		expect(readField({ a: { b: 3 } }, 'a.b')).toBe(3);
		expect(readField({ 'a.b': 4, a: { b: 3 } }, 'a.b')).toBe(4);
		expect(readField({ a: 1 }, 'a.b')).toBeUndefined();
	});

	it('reads numbers from supplier text', () => {
		expect(toNumber('>50')).toBe(50);
		expect(toNumber('12 990')).toBe(12990);
		expect(toNumber('12990,50')).toBe(12990.5);
		expect(toNumber(' 7 ')).toBe(7);
		expect(toNumber('n/a')).toBeUndefined();
		expect(toNumber(null)).toBeUndefined();
		expect(toNumber(Number.NaN)).toBeUndefined();
	});

	it('applies the markup formula and rounds to whole tenge or a step', () => {
		const rule = {
			markupPercent: 15,
			markupFixed: 100,
			rounding: 'nearest' as const,
			roundingStep: 1,
		};
		expect(applyMarkup(1000, rule)).toBe(1250);
		expect(applyMarkup(999.4, { ...rule, markupPercent: 0, markupFixed: 0 })).toBe(999);
		expect(
			applyMarkup(12994, { ...rule, markupPercent: 0, markupFixed: 0, roundingStep: 10 }),
		).toBe(12990);
		expect(
			applyMarkup(12991, {
				...rule,
				markupPercent: 0,
				markupFixed: 0,
				roundingStep: 10,
				rounding: 'up',
			}),
		).toBe(13000);
		expect(
			applyMarkup(12999, {
				...rule,
				markupPercent: 0,
				markupFixed: 0,
				roundingStep: 100,
				rounding: 'down',
			}),
		).toBe(12900);
		// 1130 × 1.1 is 1243.0000000000002 in binary; rounding up must not give 1244.
		expect(applyMarkup(1130, { ...rule, markupPercent: 10, markupFixed: 0, rounding: 'up' })).toBe(
			1243,
		);
	});

	it('maps an item to an offer, available only from the minimum stock', () => {
		const result = mapItem(
			{
				article: 20908,
				name: 'Колонка  Xiaomi\n mini',
				brand: 'Xiaomi',
				price: 11490,
				quantity: '>50',
			},
			{
				...mapping,
				stores: [
					{ storeId: 'PP1', stockField: 'quantity', preOrder: 3 },
					{ storeId: 'PP2', stockField: 'other', preOrder: 5 },
				],
				minStock: 2,
			},
		);
		expect(result).toEqual({
			offer: {
				sku: '20908',
				model: 'Колонка Xiaomi mini',
				brand: 'Xiaomi',
				price: 11490,
				availabilities: [
					{ storeId: 'PP1', available: true, preOrder: 3, stockCount: 50 },
					{ storeId: 'PP2', available: false, stockCount: 0 },
				],
			},
			warnings: [],
		});
		const low = mapItem(
			{ article: 1, name: 'x', price: 5, quantity: 1 },
			{ ...mapping, minStock: 2 },
		);
		expect('offer' in low && low.offer.availabilities[0]).toEqual({
			storeId: 'PP1',
			available: false,
			stockCount: 0,
		});
	});

	it('caps the advertised stock', () => {
		const result = mapItem(
			{ article: 1, name: 'x', price: 5, quantity: 900 },
			{ ...mapping, maxStock: 20 },
		);
		expect('offer' in result && result.offer.availabilities[0].stockCount).toBe(20);
	});

	it('builds prices per city and leaves out cities without a price', () => {
		const result = mapItem(
			{ article: 'A1', name: 'x', almaty: 100, astana: null },
			{
				...mapping,
				priceMode: 'perCity',
				cityPrices: [
					{ cityId: '750000000', priceField: 'almaty' },
					{ cityId: '710000000', priceField: 'astana' },
				],
				markupPercent: 10,
			},
		);
		expect('offer' in result && result.offer).toMatchObject({
			cityPrices: [{ cityId: '750000000', price: 110 }],
		});
		expect('offer' in result && result.offer.price).toBeUndefined();
	});

	it.each([
		[{ name: 'x', price: 5 }, 'no SKU in field "article"'],
		[
			{ article: 'АРТ-1', name: 'x', price: 5 },
			'SKU "АРТ-1" is not 1–20 Latin letters, digits, "_" or "-"',
		],
		[
			{ article: 'A'.repeat(21), name: 'x', price: 5 },
			`SKU "${'A'.repeat(21)}" is not 1–20 Latin letters, digits, "_" or "-"`,
		],
		[{ article: 1, name: '  ', price: 5 }, 'no model in field "name"'],
		[{ article: 1, name: 'x', price: null }, 'no price in field "price"'],
		[{ article: 1, name: 'x', price: 0 }, 'no price in field "price"'],
		[{ article: 1, name: 'x', price: 'по запросу' }, 'no price in field "price"'],
	])('skips %j: %s', (json, reason) => {
		expect(mapItem(json as IDataObject, mapping)).toMatchObject({ skip: reason });
	});

	it('strips control characters with a warning', () => {
		const result = mapItem(
			{ article: 1, name: 'a\u0001b\u0008c\uFFFF', brand: 'B\u001F', price: 5 },
			mapping,
		);
		expect(result).toMatchObject({ offer: { model: 'abc', brand: 'B' } });
		expect(result.warnings).toEqual([
			'3 control character(s) removed from the model',
			'1 control character(s) removed from the brand',
		]);
	});
});

describe('escaping', () => {
	it('escapes text and attributes', () => {
		expect(escapeText('A & B <c> "q" \'s\'')).toBe('A &amp; B &lt;c&gt; "q" \'s\'');
		expect(escapeAttribute('A & B <c> "q" \'s\'\n')).toBe(
			'A &amp; B &lt;c&gt; &quot;q&quot; &apos;s&apos;&#10;',
		);
	});

	it('drops characters XML cannot carry and keeps emoji', () => {
		expect(stripNonXml('ok 😀\u0000\u000B\uFFFE\uD800x')).toEqual({ text: 'ok 😀x', stripped: 4 });
	});

	it('writes names with &, <, quotes and emoji that both validators accept and that read back unchanged', () => {
		const writer = new PriceListWriter({
			company: 'A & B "Shop" <1>',
			merchantId: '123',
			date: `2026 'x' "y"`,
		});
		const model = 'Кабель "USB-C" <1 м> & ресивер 😀 \'синий\'';
		writer.add({
			sku: 'A1',
			model,
			brand: 'A&B',
			availabilities: [{ storeId: 'PP1', available: true, stockCount: 3 }],
			price: 10,
		});
		const xml = writer.finish().toString('utf8');
		expect(validateXml(xml, KASPI_SCHEMA)).toMatchObject({ valid: true, errors: [] });
		expect(libxml2Valid(xml)).toBe(true);
		const doc = parseXml(xml);
		const ns = { k: 'kaspiShopping' };
		expect((doc.get('//k:model', ns) as Element).text()).toBe(model);
		expect((doc.get('//k:company', ns) as Element).text()).toBe('A & B "Shop" <1>');
		expect(doc.root()?.attr('date')?.value()).toBe(`2026 'x' "y"`);
	});

	it('writes the documented structure in order', () => {
		const writer = new PriceListWriter({
			company: 'C',
			merchantId: '30123456',
			date: '2026-11-22 14:30',
		});
		writer.add({
			sku: 'ALS100245',
			model: 'm',
			availabilities: [
				{ storeId: 'PP1', available: true, preOrder: 5, stockCount: 3 },
				{ storeId: 'PP2', available: false, stockCount: 0 },
			],
			cityPrices: [
				{ cityId: '750000000', price: 6490 },
				{ cityId: '710000000', price: 6590 },
			],
		});
		expect(writer.finish().toString('utf8')).toBe(
			[
				'<?xml version="1.0" encoding="utf-8"?>',
				'<kaspi_catalog date="2026-11-22 14:30" xmlns="kaspiShopping" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="kaspiShopping http://kaspi.kz/kaspishopping.xsd">',
				'  <company>C</company>',
				'  <merchantid>30123456</merchantid>',
				'  <offers>',
				'    <offer sku="ALS100245">',
				'      <model>m</model>',
				'      <availabilities>',
				'        <availability available="yes" storeId="PP1" preOrder="5" stockCount="3"/>',
				'        <availability available="no" storeId="PP2" stockCount="0"/>',
				'      </availabilities>',
				'      <cityprices>',
				'        <cityprice cityId="750000000">6490</cityprice>',
				'        <cityprice cityId="710000000">6590</cityprice>',
				'      </cityprices>',
				'    </offer>',
				'  </offers>',
				'</kaspi_catalog>',
				'',
			].join('\n'),
		);
	});

	it('writes the date in Almaty time', () => {
		expect(almatyTimestamp(new Date('2026-11-22T09:30:00Z'))).toBe('2026-11-22 14:30');
	});
});

describe('the generated schema module', () => {
	it('is what the code generator makes of schemas/kaspishopping.xsd today', () => {
		expect(KASPI_SCHEMA).toEqual(codegen.compileModel());
	});
});

describe('XSD validation with line numbers', () => {
	it('accepts the writer output', () => {
		const xml = threeOffers().join('\n');
		expect(validateXml(xml, KASPI_SCHEMA)).toEqual({
			valid: true,
			wellFormed: true,
			errors: [],
			errorCount: 0,
		});
	});

	it('rejects a missing SKU on the line of its offer', () => {
		const lines = threeOffers();
		expect(lines[12]).toBe('    <offer sku="B2">');
		lines[12] = '    <offer>';
		const result = validateXml(lines.join('\n'), KASPI_SCHEMA);
		expect(result.valid).toBe(false);
		expect(result.errors).toEqual([
			{
				line: 13,
				column: 5,
				message: "Element 'offer': The attribute 'sku' is required but missing.",
			},
		]);
	});

	it('rejects a bad available value on its line', () => {
		const lines = threeOffers();
		lines[22] = lines[22].replace('available="yes"', 'available="true"');
		expect(validateXml(lines.join('\n'), KASPI_SCHEMA).errors).toEqual([
			{
				line: 23,
				column: 9,
				message:
					"Element 'availability', attribute 'available': [facet 'enumeration'] The value 'true' is not an element of the set {'yes', 'no'}.",
			},
		]);
	});

	it('rejects the wrong namespace on the root line', () => {
		const lines = threeOffers();
		lines[1] = lines[1].replace('xmlns="kaspiShopping"', 'xmlns="kaspishopping"');
		const result = validateXml(lines.join('\n'), KASPI_SCHEMA);
		expect(result.valid).toBe(false);
		expect(result.errors[0]).toEqual({
			line: 2,
			column: 1,
			message:
				"Element '{kaspishopping}kaspi_catalog': No matching global declaration available for the validation root.",
		});
	});

	it('reports a duplicate SKU, a missing model and a decimal price each on its own line', () => {
		const lines = threeOffers();
		lines[12] = '    <offer sku="A1">';
		lines[13] = '';
		lines[24] = '      <price>99.5</price>';
		const result = validateXml(lines.join('\n'), KASPI_SCHEMA, 10);
		expect(result.errors.map((e) => [e.line, e.message])).toEqual([
			[
				13,
				"Element 'offer': Duplicate key-sequence ['A1'] in unique identity-constraint 'uniqueSku'.",
			],
			[15, "Element 'availabilities': This element is not expected. Expected is ( model )."],
			[25, "Element 'price': '99.5' is not a valid value of the atomic type 'priceType'."],
		]);
	});

	it('stops at a well-formedness error with its line and column', () => {
		const lines = threeOffers();
		lines[6] = '      <model>A & B</model>';
		const result = validateXml(lines.join('\n'), KASPI_SCHEMA);
		expect(result).toMatchObject({ valid: false, wellFormed: false, errorCount: 1 });
		expect(result.errors[0]).toMatchObject({ line: 7, column: 16 });
	});

	it('lists at most maxErrors but counts them all', () => {
		const xml = threeOffers()
			.join('\n')
			.replace(/available="yes"/g, 'available="1"');
		const result = validateXml(xml, KASPI_SCHEMA, 2);
		expect(result.errors).toHaveLength(2);
		expect(result.errorCount).toBe(3);
	});

	it('refuses a DOCTYPE and a non-UTF-8 encoding', () => {
		const xml = threeOffers().join('\n');
		expect(
			validateXml(xml.replace('\n', '\n<!DOCTYPE x [<!ENTITY e "x">]>\n'), KASPI_SCHEMA).valid,
		).toBe(false);
		expect(
			validateXml(xml.replace('utf-8', 'windows-1251'), KASPI_SCHEMA).errors[0].message,
		).toMatch(/UTF-8/);
	});

	it('refuses bytes that are not UTF-8 but keeps a real U+FFFD', () => {
		expect(decodeUtf8(Buffer.from([0x3c, 0x61, 0xff, 0x3e]))).toBeUndefined();
		expect(decodeUtf8(Buffer.from('<a>\uFFFD</a>', 'utf8'))).toBe('<a>\uFFFD</a>');
	});

	it('warns about rules XSD cannot say', () => {
		const xml = [
			'<x>',
			'<availability available="no" storeId="PP1" preOrder="3"/>',
			'<availability available="yes" storeId="PP2" stockCount="0"/>',
		].join('\n');
		expect(businessWarnings(xml, 10)).toEqual([
			{ line: 2, column: 1, message: 'preOrder is given on an availability with available="no"' },
			{ line: 3, column: 1, message: 'available="yes" with stockCount="0"' },
		]);
	});
});

/**
 * @jest-environment ./test/helpers/fuzzEnvironment.mjs
 */
/**
 * Fuzzing the price-list builder (Kaspi Price List › Build) with the items suppliers really send:
 * control characters, U+FFFE, lone surrogates, 10,000-character names, duplicate, empty and
 * whitespace SKUs, negative, NaN, infinite and huge prices, odd stock values, odd parameters. Every
 * generated list either builds and passes both the pack's own XSD validator and libxml2 (the oracle,
 * loaded against schemas/kaspishopping.xsd as in test/unit/KaspiPriceList/differential.test.ts), or the item
 * is skipped with a reason naming its field, or the build stops with a NodeOperationError.
 */
import fc from 'fast-check';
import { parseXml } from 'libxmljs2';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { KaspiPriceList } from '../../../nodes/KaspiPriceList/KaspiPriceList.node';
import { KASPI_SCHEMA } from '../../../nodes/KaspiPriceList/generated/kaspiSchema';
import { mapItem, type MappingOptions } from '../../../nodes/KaspiPriceList/xml/mapping';
import { validateXml } from '../../../nodes/KaspiPriceList/xml/validator';
import { PriceListWriter } from '../../../nodes/KaspiPriceList/xml/writer';
import { fakeContext } from '../../helpers/context';
import { expectNoUnhandledRejection, fuzzTarget } from '../../helpers/fuzz';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const codegen = require('../../../schemas/xsd-codegen.js') as { readSchemaText: () => string };

const fuzz = fuzzTarget('price list');
const xsd = parseXml(codegen.readSchemaText());

// ---- text as suppliers send it

const c = (code: number) => String.fromCharCode(code);
/** Characters XML 1.0 cannot carry, and neighbours it can (tab, LF, CR, U+FFFD, a surrogate pair). */
const awkward = fc.constantFrom(
	...Array.from({ length: 32 }, (_, code) => c(code)),
	'\uFFFE',
	'\uFFFF',
	'\uD800',
	'\uDBFF',
	'\uDC00',
	'\uDFFF',
	'\uFFFD',
	'😀',
	'\u0085',
	'\u2028',
	'\u00a0',
	'&',
	'<',
	'>',
	'"',
	"'",
	']]>',
	'&amp;',
	'<![CDATA[',
	'-->',
);
const anyUnit = fc.integer({ min: 0, max: 0xffff }).map(c);
const text = fc.oneof(
	{
		weight: 3,
		arbitrary: fc.string({
			unit: fc.oneof(fc.constantFrom(...'Ноутбук Lenovo ҚазақPlain 42'), awkward, anyUnit),
			maxLength: 40,
		}),
	},
	{ weight: 1, arbitrary: fc.constantFrom('', ' ', '\t\n ', '\u0000', '\uFFFE\uD800', ' \u0007 ') },
	{
		weight: 1,
		arbitrary: fc
			.tuple(fc.constantFrom('Ж', 'a', '\u0001', '\uD83D'), fc.integer({ min: 9_000, max: 10_000 }))
			.map(([unit, length]) => unit.repeat(length)),
	},
);
const skuPool = [
	'SKU-1',
	'SKU-1',
	'A_2',
	'b',
	'12345678901234567890',
	'123456789012345678901',
	'Ноут',
	' SKU-1 ',
	'SKU 1',
	'',
];
const sku = fc.oneof(
	{ weight: 4, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{1,16}$/) },
	{
		weight: 2,
		arbitrary: fc.constantFrom<unknown>(...skuPool, 42, 0, -7, 1e21, 2.5, null, true, {}, []),
	},
	{ weight: 1, arbitrary: text },
);
const name = fc.oneof(
	{ weight: 2, arbitrary: fc.constantFrom('Чайник Tefal 1,7 л', 'Mouse & <Pad>') },
	{ weight: 3, arbitrary: text },
);
const price = fc.oneof(
	{ weight: 6, arbitrary: fc.integer({ min: 1, max: 2_000_000 }) },
	fc.constantFrom<unknown>(
		0,
		-1,
		-0.5,
		0.4,
		0.5,
		1.5,
		2147483647,
		2147483648,
		1e30,
		Number.MAX_SAFE_INTEGER,
		Infinity,
		-Infinity,
		Number.NaN,
		null,
		'',
		'12 990',
		'12990,50',
		'договорная',
		'1e5',
		'-5',
		'0',
		' 7 ',
		'2147483648',
	),
	fc.double(),
	fc.integer({ min: -1000, max: 5_000_000 }).map(String),
);
const stock = fc.oneof(
	fc.integer({ min: 0, max: 1000 }),
	fc.constantFrom<unknown>(
		-5,
		2.7,
		0.5,
		1e12,
		1e300,
		Infinity,
		Number.NaN,
		null,
		'',
		'>50',
		'много',
		'нет',
		'5 шт',
		true,
		false,
		[],
		{},
	),
	fc.double(),
);
const item = fc.record(
	{
		sku,
		name,
		brand: fc.oneof(text, fc.constant(null)),
		price,
		astana: price,
		stock,
		stock2: stock,
	},
	{ requiredKeys: [] },
);

// ---- node parameters, the odd ones included

const parameters = fc
	.record({
		priceMode: fc.constantFrom('single', 'single', 'perCity'),
		markupPercent: fc.oneof(
			{ weight: 3, arbitrary: fc.constantFrom(0, 10, 15.5) },
			{ weight: 1, arbitrary: fc.constantFrom(-50, -100, -150, 1e6) },
			{ weight: 1, arbitrary: fc.double({ min: -200, max: 1000, noNaN: true }) },
		),
		markupFixed: fc.constantFrom(0, 0, 100, -100, 0.3, 1e9),
		rounding: fc.constantFrom('nearest', 'up', 'down'),
		roundingStep: fc.constantFrom(1, 1, 10, 100, 0, -5, 2.5, 1e12),
		minStock: fc.constantFrom(1, 1, 2, 0, -1, 2.5),
		maxStock: fc.constantFrom(0, 0, 10, 3, -1, 2.5, 1e12),
		preOrder: fc.constantFrom(0, 0, 3, 30),
		stores: fc.integer({ min: 1, max: 2 }),
		excludeWithoutPrice: fc.constantFrom(true, true, true, false),
		skuPrefix: fc.constantFrom('', '', 'ALS-', 'Ж', 'X'.repeat(19)),
		company: fc.oneof(
			{ weight: 4, arbitrary: fc.constantFrom('ТОО «Алтын Сауда» & Co', 'Shop <1>') },
			{ weight: 1, arbitrary: text },
		),
		date: fc.oneof(fc.constantFrom('', '2026-11-22 14:30'), text),
	})
	.map(
		(p): IDataObject => ({
			resource: 'priceList',
			operation: 'build',
			company: p.company,
			merchantId: '30123456',
			skuField: 'sku',
			modelField: 'name',
			brandField: 'brand',
			priceMode: p.priceMode,
			priceField: 'price',
			cityPrices: {
				city: [
					{ cityId: '750000000', priceField: 'price' },
					{ cityId: '710000000', priceField: 'astana' },
				],
			},
			stores: {
				store: [
					{ storeId: 'PP1', stockField: 'stock', preOrder: p.preOrder },
					{ storeId: 'PP2', stockField: 'stock2', preOrder: 0 },
				].slice(0, p.stores),
			},
			markupPercent: p.markupPercent,
			markupFixed: p.markupFixed,
			rounding: p.rounding,
			roundingStep: p.roundingStep,
			minStock: p.minStock,
			excludeWithoutPrice: p.excludeWithoutPrice,
			options: { date: p.date, skuPrefix: p.skuPrefix, maxStock: p.maxStock },
		}),
	);

async function build(params: IDataObject, items: INodeExecutionData[]) {
	const { context } = fakeContext({ parameters: params, items });
	return await new KaspiPriceList().execute.call(context as unknown as IExecuteFunctions);
}

/** libxml2's verdict, with its messages for a useful failure. */
function libxml2(xml: string): { valid: boolean; messages: string[] } {
	let doc;
	try {
		doc = parseXml(xml);
	} catch (error) {
		return { valid: false, messages: [String(error)] };
	}
	const parseErrors = doc.errors.filter((error) => (error.level ?? 2) >= 2);
	if (parseErrors.length)
		return { valid: false, messages: parseErrors.map((error) => error.message) };
	const valid = doc.validate(xsd);
	return { valid, messages: doc.validationErrors.map((error) => error.message) };
}

/** A skip reason that says which field (or which earlier item) is at fault. */
const REASON =
	/^(no SKU in field "sku"|SKU ".*" is not 1–20 Latin letters, digits, "_" or "-"|no model in field "name"|no price in field "price"|no price for any city|duplicate SKU \(first in item \d+\))$/s;

interface Summary {
	offers: number;
	skippedCount: number;
	skipped: Array<{ item: number; sku: string | null; reason: string }>;
	warnings: string[];
}

describe('Kaspi Price List › Build on generated items', () => {
	it('builds a list both validators accept, or refuses clearly, per item or as a whole', async () => {
		const outcomes = { built: 0, refused: 0 };
		await fuzz.check(
			'build: valid in pack validator and libxml2, or clear refusal',
			fc.asyncProperty(
				parameters,
				fc.array(item, { minLength: 1, maxLength: 6 }),
				async (params, records) => {
					const items = records.map((json) => ({ json: json as IDataObject }));
					let output: INodeExecutionData[][];
					try {
						output = await build(params, items);
					} catch (error) {
						outcomes.refused++;
						expect(error).toBeInstanceOf(NodeOperationError);
						expect((error as Error).message).toMatch(
							/^(No offer to publish: every input item was skipped|Item \d+ \(SKU .*\) has no price (in field "price"|for any city)|Company is empty)$/s,
						);
						return;
					}
					outcomes.built++;
					const [[out]] = output;
					const summary = out.json as unknown as Summary;
					const xml = Buffer.from(out.binary!.data.data, 'base64').toString('utf8');
					const ours = validateXml(xml, KASPI_SCHEMA);
					const oracle = libxml2(xml);
					const head = xml.length > 3000 ? `${xml.slice(0, 3000)}…` : xml;
					expect({ ours: ours.valid, errors: ours.errors.slice(0, 3), xml: head }).toEqual({
						ours: true,
						errors: [],
						xml: head,
					});
					expect({
						libxml2: oracle.valid,
						messages: oracle.messages.slice(0, 3),
						xml: head,
					}).toEqual({ libxml2: true, messages: [], xml: head });
					// Every item is either an offer or skipped with a reason that names its field.
					expect(summary.offers + summary.skippedCount).toBe(items.length);
					for (const skipped of summary.skipped) expect(skipped.reason).toMatch(REASON);
					expect((xml.match(/<offer /g) ?? []).length).toBe(summary.offers);
				},
			),
			{ numRuns: 200 },
		);
		// Both sides are exercised: lists built (and checked by both validators) and lists refused.
		expect(outcomes.built).toBeGreaterThan(25);
		expect(outcomes.refused).toBeGreaterThan(25);
	});
});

describe('mapItem and the writer on generated items', () => {
	/** Mapping options as the Build operation hands them over, the odd values included. */
	const mappingOptions: fc.Arbitrary<MappingOptions> = fc.record({
		skuField: fc.constant('sku'),
		skuPrefix: fc.constantFrom('', 'ALS-'),
		modelField: fc.constant('name'),
		brandField: fc.constantFrom('brand', ''),
		priceMode: fc.constant('single' as const),
		priceField: fc.constant('price'),
		cityPrices: fc.constant([]),
		stores: fc.constant([{ storeId: 'PP1', stockField: 'stock', preOrder: 5 }]),
		markupPercent: fc.oneof(fc.constant(0), fc.double({ min: -200, max: 1000, noNaN: true })),
		markupFixed: fc.constantFrom(0, 100, -100, 0.3),
		rounding: fc.constantFrom('nearest' as const, 'up' as const, 'down' as const),
		roundingStep: fc.constantFrom(1, 10, 0, -5, 2.5, 1e12),
		minStock: fc.constantFrom(1, 2, 0, -1, 2.5),
		maxStock: fc.constantFrom(0, 3, -1, 2.5, 1e12, Number.NaN),
	});

	it('writes every mapped offer as an offer the pack validator accepts', async () => {
		await fuzz.check(
			'mapItem + writer: every offer valid (pack validator)',
			fc.property(item, mappingOptions, (record, options) => {
				const result = mapItem(record as IDataObject, options);
				if ('skip' in result) {
					expect(result.skip).toMatch(REASON);
					return;
				}
				const writer = new PriceListWriter({
					company: 'Shop',
					merchantId: '30123456',
					date: '2026-11-22 14:30',
				});
				writer.add(result.offer);
				const xml = writer.finish().toString('utf8');
				const verdict = validateXml(xml, KASPI_SCHEMA);
				expect({
					valid: verdict.valid,
					errors: verdict.errors.slice(0, 3),
					offer: result.offer,
				}).toEqual({ valid: true, errors: [], offer: result.offer });
				expect(
					Number.isInteger(result.offer.price) &&
						result.offer.price! >= 1 &&
						result.offer.price! <= 2147483647,
				).toBe(true);
			}),
			{ numRuns: 2000 },
		);
	});
});

expectNoUnhandledRejection();

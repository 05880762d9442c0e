/**
 * The Kaspi Price List node's Build, through a fake n8n context: one XML file from all items,
 * its summary and warnings, and parameters that once made an invalid XML.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { KaspiPriceList } from '../../../../nodes/KaspiPriceList/KaspiPriceList.node';
import { KASPI_SCHEMA } from '../../../../nodes/KaspiPriceList/generated/kaspiSchema';
import { validateXml } from '../../../../nodes/KaspiPriceList/xml/validator';
import { fakeContext } from '../../../helpers/context';
import { libxml2Valid, runPriceList } from '../../../helpers/pricelist';

const buildParameters = {
	resource: 'priceList',
	operation: 'build',
	company: 'ТОО «Алтын Сауда»',
	merchantId: '30123456',
	skuField: 'article',
	modelField: 'name',
	brandField: 'brand',
	priceMode: 'single',
	priceField: 'price2',
	stores: { store: [{ storeId: 'PP1', stockField: 'quantity', preOrder: 0 }] },
	markupPercent: 10,
	markupFixed: 0,
	rounding: 'up',
	roundingStep: 10,
	minStock: 1,
	excludeWithoutPrice: true,
	options: { date: '2026-11-22 14:30', skuPrefix: 'ALS' },
};

const supplierItems: INodeExecutionData[] = [
	{
		json: {
			article: 20908,
			name: 'Колонка Xiaomi & Co',
			brand: 'Xiaomi',
			price2: 11490,
			quantity: '>50',
		},
	},
	{ json: { article: 20909, name: 'Мышь', brand: '', price2: null, quantity: 3 } },
	{ json: { article: 20908, name: 'Дубль', brand: 'X', price2: 5, quantity: 1 } },
	{ json: { article: 20910, name: 'Кабель', brand: 'Y', price2: '1 000', quantity: 0 } },
];

describe('Kaspi Price List node: Build', () => {
	it('turns all items into one XML file with a summary', async () => {
		const [[out]] = await runPriceList(buildParameters, supplierItems);
		const xml = Buffer.from(out.binary!.data.data, 'base64').toString('utf8');
		expect(out.binary!.data).toMatchObject({
			fileName: 'kaspi-price-list.xml',
			mimeType: 'application/xml',
		});
		expect(out.json).toEqual({
			fileName: 'kaspi-price-list.xml',
			date: '2026-11-22 14:30',
			offers: 2,
			skippedCount: 2,
			skipped: [
				{ item: 1, sku: 'ALS20909', reason: 'no price in field "price2"' },
				{ item: 2, sku: 'ALS20908', reason: 'duplicate SKU (first in item 0)' },
			],
			warnings: [],
			bytes: Buffer.byteLength(xml),
		});
		expect(out.pairedItem).toEqual(supplierItems.map((_, item) => ({ item })));
		expect(xml).toContain('<offer sku="ALS20908">');
		expect(xml).toContain('<model>Колонка Xiaomi &amp; Co</model>');
		expect(xml).toContain('<availability available="yes" storeId="PP1" stockCount="50"/>');
		expect(xml).toContain('<price>12640</price>'); // 11490 × 1.1 = 12639 → up to 12640
		expect(xml).toContain('<availability available="no" storeId="PP1" stockCount="0"/>');
		expect(xml).toContain('<price>1100</price>');
		expect(validateXml(xml, KASPI_SCHEMA).valid).toBe(true);
		expect(libxml2Valid(xml)).toBe(true);
	});

	it('stops on an item without a price when excluding is off, naming the item', async () => {
		await expect(
			runPriceList({ ...buildParameters, excludeWithoutPrice: false }, supplierItems),
		).rejects.toThrow('Item 1 (SKU ALS20909) has no price in field "price2"');
	});

	it('never writes an empty price list', async () => {
		await expect(
			runPriceList(buildParameters, [{ json: { article: 1, name: 'x' } }]),
		).rejects.toThrow('No offer to publish');
	});

	it.each([
		[{ merchantId: 'мой магазин' }, 'Merchant ID "мой магазин" is not a Kaspi Shop ID'],
		[{ company: '' }, 'Company is empty'],
		[
			{ stores: { store: [{ storeId: 'РР1', stockField: 'q', preOrder: 0 }] } },
			'Store ID "РР1" must be Latin letters',
		],
		[
			{ stores: { store: [{ storeId: 'PP1', stockField: 'q', preOrder: 31 }] } },
			'Pre-order days for PP1 must be a whole number from 0 to 30',
		],
		[{ stores: { store: [] } }, 'Add at least one pickup point'],
		[
			{ priceMode: 'perCity', cityPrices: { city: [{ cityId: '75000000', priceField: 'p' }] } },
			'City ID "75000000" must be a 9-digit KATO code',
		],
	])('refuses parameters %j', async (change, message) => {
		await expect(runPriceList({ ...buildParameters, ...change }, supplierItems)).rejects.toThrow(
			message,
		);
	});

	it('builds prices per city', async () => {
		const [[out]] = await runPriceList(
			{
				...buildParameters,
				priceMode: 'perCity',
				markupPercent: 0,
				rounding: 'nearest',
				roundingStep: 1,
				cityPrices: {
					city: [
						{ cityId: '750000000', priceField: 'price2' },
						{ cityId: '710000000', priceField: 'astana' },
					],
				},
			},
			[{ json: { article: 1, name: 'x', price2: 100, astana: 120, quantity: 2 } }],
		);
		const xml = Buffer.from(out.binary!.data.data, 'base64').toString('utf8');
		expect(xml).toContain(
			'<cityprices>\n        <cityprice cityId="750000000">100</cityprice>\n        <cityprice cityId="710000000">120</cityprice>\n      </cityprices>',
		);
		expect(libxml2Valid(xml)).toBe(true);
	});

	it('lists control characters it removed as warnings', async () => {
		const [[out]] = await runPriceList(buildParameters, [
			{ json: { article: 1, name: 'a\u0007b', price2: 5, quantity: 1 } },
		]);
		expect(out.json.warnings).toEqual(['Item 0: 1 control character(s) removed from the model']);
	});
});

// Found by test/unit/KaspiPriceList/build.property.test.ts.
describe('Kaspi Price List: parameters that made an invalid XML', () => {
	async function build(options: IDataObject): Promise<string> {
		const { context } = fakeContext({
			parameters: {
				resource: 'priceList',
				operation: 'build',
				company: 'Shop',
				merchantId: '30123456',
				skuField: 'sku',
				modelField: 'name',
				brandField: '',
				priceMode: 'single',
				priceField: 'price',
				stores: { store: [{ storeId: 'PP1', stockField: 'stock', preOrder: 0 }] },
				excludeWithoutPrice: true,
				options,
			},
			items: [{ json: { sku: 'A1', name: 'Kettle', price: 1000, stock: 7 } }],
		});
		const [[out]] = await new KaspiPriceList().execute.call(
			context as unknown as IExecuteFunctions,
		);
		return Buffer.from(out.binary!.data.data, 'base64').toString('utf8');
	}

	it('advertises a whole stock under a Maximum Advertised Stock with decimals', async () => {
		const xml = await build({ maxStock: 2.5, date: '2026-11-22 14:30' });
		expect(xml).toContain('stockCount="2"');
		expect(validateXml(xml, KASPI_SCHEMA).valid).toBe(true);
	});

	it('drops what XML cannot carry from the date, and falls back to now when nothing is left', async () => {
		expect(await build({ date: '2026-11-22\u0000 14:30\uFFFE' })).toContain(
			'date="2026-11-22 14:30"',
		);
		const xml = await build({ date: '\u0001\u0002' });
		expect(xml).toMatch(/date="\d{4}-\d\d-\d\d \d\d:\d\d"/);
		expect(validateXml(xml, KASPI_SCHEMA).valid).toBe(true);
	});
});

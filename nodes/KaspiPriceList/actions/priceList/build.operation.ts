import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { KASPI_SCHEMA } from '../../generated/kaspiSchema';
import type { CityPriceMapping, MappingOptions, Rounding, StoreMapping } from '../../xml/mapping';
import { checkMappingOptions, mapItem } from '../../xml/mapping';
import { checkSimpleValue } from '../../xml/validator';
import { PriceListWriter, stripNonXml } from '../../xml/writer';

/** Main cities, by the 9-digit KATO code Kaspi uses as cityId; any other code can be typed as an expression. */
const CITIES: Array<[string, string]> = [
	['Almaty', '750000000'],
	['Astana', '710000000'],
	['Shymkent', '511010000'],
	['Karaganda', '351010000'],
	['Aktobe', '151010000'],
	['Atyrau', '231010000'],
	['Taraz', '311010000'],
	['Pavlodar', '551010000'],
	['Ust-Kamenogorsk', '631010000'],
	['Kostanay', '391010000'],
	['Kyzylorda', '431010000'],
	['Uralsk', '271010000'],
	['Petropavlovsk', '591010000'],
	['Aktau', '471010000'],
	['Taldykorgan', '191010000'],
	['Kokshetau', '111010000'],
	['Semey', '632810000'],
	['Temirtau', '352410000'],
	['Ekibastuz', '552210000'],
	['Turkestan', '512610000'],
];

const properties: INodeProperties[] = [
	{
		displayName: 'Company',
		name: 'company',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Altyn Sauda LLP',
		description: 'Shop or company name written into the price list',
	},
	{
		displayName: 'Merchant ID',
		name: 'merchantId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 30123456',
		description: 'The Shop ID from the Kaspi seller cabinet, Settings → Shop ID',
	},
	{
		displayName:
			'Items are read by field name, so 100,000 items map in well under a second. Use a Set node before this one for computed fields.',
		name: 'mappingNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'SKU Field',
		name: 'skuField',
		type: 'string',
		default: 'sku',
		required: true,
		description:
			'Input field with the merchant SKU (1–20 Latin letters, digits, "_" or "-"). Dots reach nested fields, e.g. product.article.',
	},
	{
		displayName: 'Model Field',
		name: 'modelField',
		type: 'string',
		default: 'model',
		required: true,
		description: 'Input field with the product name and modification',
	},
	{
		displayName: 'Brand Field',
		name: 'brandField',
		type: 'string',
		default: 'brand',
		description: 'Input field with the brand; an empty brand leaves the element out',
	},
	{
		displayName: 'Price Mode',
		name: 'priceMode',
		type: 'options',
		options: [
			{ name: 'One Price', value: 'single', description: 'One &lt;price&gt; for every city' },
			{
				name: 'Price per City',
				value: 'perCity',
				description: '&lt;cityprices&gt; with one price per city',
			},
		],
		default: 'single',
	},
	{
		displayName: 'Price Field',
		name: 'priceField',
		type: 'string',
		default: 'price',
		required: true,
		displayOptions: { show: { priceMode: ['single'] } },
		description: 'Input field with the source price in tenge, before the markup',
	},
	{
		displayName: 'City Prices',
		name: 'cityPrices',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add City',
		default: {},
		displayOptions: { show: { priceMode: ['perCity'] } },
		options: [
			{
				displayName: 'City',
				name: 'city',
				values: [
					{
						displayName: 'City ID',
						name: 'cityId',
						type: 'options',
						options: CITIES.map(([name, value]) => ({ name: `${name} (${value})`, value })),
						default: '750000000',
						description:
							'9-digit KATO code of the city. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
					},
					{
						displayName: 'Price Field',
						name: 'priceField',
						type: 'string',
						default: 'price',
						description: 'Input field with the source price for this city',
					},
				],
			},
		],
	},
	{
		displayName: 'Availability',
		name: 'stores',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Pickup Point',
		default: { store: [{ storeId: 'PP1', stockField: 'stock', preOrder: 0 }] },
		options: [
			{
				displayName: 'Pickup Point',
				name: 'store',
				values: [
					{
						displayName: 'Store ID',
						name: 'storeId',
						type: 'string',
						default: 'PP1',
						description:
							'Pickup-point code from the Kaspi cabinet (PP1, PP2, …), Latin letters only',
					},
					{
						displayName: 'Stock Field',
						name: 'stockField',
						type: 'string',
						default: 'stock',
						description:
							'Input field with the stock count at this point; text such as ">50" counts as 50',
					},
					{
						displayName: 'Pre-Order Days',
						name: 'preOrder',
						type: 'number',
						typeOptions: { minValue: 0, maxValue: 30, numberPrecision: 0 },
						default: 0,
						description:
							'Days until the item ships from this point (0–30); 0 leaves the attribute out',
					},
				],
			},
		],
	},
	{
		displayName: 'Markup (%)',
		name: 'markupPercent',
		type: 'number',
		default: 0,
		description: 'Kaspi price = source price × (1 + markup / 100) + fixed markup, then rounded',
	},
	{
		displayName: 'Fixed Markup (₸)',
		name: 'markupFixed',
		type: 'number',
		default: 0,
		description: 'Tenge added after the percentage markup',
	},
	{
		displayName: 'Rounding',
		name: 'rounding',
		type: 'options',
		options: [
			{ name: 'Nearest', value: 'nearest' },
			{ name: 'Up', value: 'up' },
			{ name: 'Down', value: 'down' },
		],
		default: 'nearest',
		description: 'Kaspi accepts whole tenge only',
	},
	{
		displayName: 'Round to a Multiple Of',
		name: 'roundingStep',
		type: 'number',
		typeOptions: { minValue: 1, numberPrecision: 0 },
		default: 1,
		description: 'E.g. 10 turns 12 994 into 12 990 with Nearest, or into 13 000 with Up.',
	},
	{
		displayName: 'Minimum Stock for Available',
		name: 'minStock',
		type: 'number',
		typeOptions: { minValue: 1, numberPrecision: 0 },
		default: 1,
		description: 'An offer is available="yes" at a point only with at least this much stock there',
	},
	{
		displayName: 'Exclude Items Without Price',
		name: 'excludeWithoutPrice',
		type: 'boolean',
		default: true,
		description:
			'Whether to leave out (and list in the summary) items with no usable price; when off, such an item stops the build',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Date',
				name: 'date',
				type: 'string',
				default: '',
				placeholder: 'e.g. 2026-11-22 14:30',
				description: 'The date attribute of the price list; empty means now, Almaty time',
			},
			{
				displayName: 'File Name',
				name: 'fileName',
				type: 'string',
				default: 'kaspi-price-list.xml',
			},
			{
				displayName: 'Maximum Advertised Stock',
				name: 'maxStock',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 0 },
				default: 0,
				description: 'Cap on the stockCount shown to Kaspi; 0 = no cap',
			},
			{
				displayName: 'Put Output File in Field',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
				description: 'Binary field the XML file is written to',
			},
			{
				displayName: 'SKU Prefix',
				name: 'skuPrefix',
				type: 'string',
				default: '',
				placeholder: 'e.g. ALS',
				description: 'Text put before every SKU, e.g. to tell suppliers apart',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['priceList'], operation: ['build'] } },
	properties,
);

/** "YYYY-MM-DD HH:mm" in Kazakhstan's single time zone (UTC+5), as Kaspi's own export writes it. */
export function almatyTimestamp(now: Date): string {
	return new Date(now.getTime() + 5 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

interface SkippedItem extends IDataObject {
	item: number;
	sku: string | null;
	reason: string;
}

/** Build turns all items into one price list. The router hands it the whole input. */
export const batch = true;

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const node = this.getNode();
	const get = <T>(name: string, fallback?: T) => this.getNodeParameter(name, 0, fallback) as T;
	const options = get<IDataObject>('options', {});
	const company = stripNonXml(String(get('company'))).text.trim();
	const merchantId = String(get('merchantId')).trim();
	if (!company)
		throw new NodeOperationError(node, 'Company is empty', {
			description: 'Kaspi requires the shop name in <company>.',
		});
	if (checkSimpleValue(KASPI_SCHEMA, 'merchantIdType', merchantId)) {
		throw new NodeOperationError(node, `Merchant ID "${merchantId}" is not a Kaspi Shop ID`, {
			description: 'Copy it from the seller cabinet, Settings → Shop ID (digits, e.g. 30123456).',
		});
	}
	const mapping: MappingOptions = {
		skuField: String(get('skuField')).trim(),
		skuPrefix: String(options.skuPrefix ?? ''),
		modelField: String(get('modelField')).trim(),
		brandField: String(get('brandField', '')).trim(),
		priceMode: get<'single' | 'perCity'>('priceMode', 'single'),
		priceField: String(get('priceField', 'price')).trim(),
		cityPrices: (get<IDataObject>('cityPrices', {}).city as CityPriceMapping[] | undefined) ?? [],
		stores: ((get<IDataObject>('stores', {}).store as StoreMapping[] | undefined) ?? []).map(
			(store) => ({
				storeId: String(store.storeId).trim(),
				stockField: String(store.stockField ?? 'stock').trim(),
				preOrder: Number(store.preOrder ?? 0),
			}),
		),
		markupPercent: Number(get('markupPercent', 0)),
		markupFixed: Number(get('markupFixed', 0)),
		rounding: get<Rounding>('rounding', 'nearest'),
		roundingStep: Number(get('roundingStep', 1)),
		minStock: Number(get('minStock', 1)),
		maxStock: Number(options.maxStock ?? 0),
	};
	mapping.cityPrices = mapping.cityPrices.map((city) => ({
		cityId: String(city.cityId).trim(),
		priceField: String(city.priceField).trim(),
	}));
	const problem = checkMappingOptions(mapping);
	if (problem) throw new NodeOperationError(node, problem);
	const excludeWithoutPrice = get<boolean>('excludeWithoutPrice', true);

	// Like the company, the date goes into the XML: what XML cannot carry is dropped first.
	const date = stripNonXml(String(options.date ?? '')).text.trim() || almatyTimestamp(new Date());
	const writer = new PriceListWriter({ company, merchantId, date });
	const items = this.getInputData();
	const skipped: SkippedItem[] = [];
	const warnings: string[] = [];
	const firstItemOfSku = new Map<string, number>();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const result = mapItem(items[itemIndex].json, mapping);
		for (const warning of result.warnings) warnings.push(`Item ${itemIndex}: ${warning}`);
		if ('skip' in result) {
			if (!excludeWithoutPrice && result.skip.startsWith('no price')) {
				throw new NodeOperationError(
					node,
					`Item ${itemIndex} (SKU ${result.sku}) has ${result.skip}`,
					{
						itemIndex,
						description:
							'Turn on "Exclude Items Without Price" to leave such items out of the price list.',
					},
				);
			}
			skipped.push({ item: itemIndex, sku: result.sku ?? null, reason: result.skip });
			continue;
		}
		const first = firstItemOfSku.get(result.offer.sku);
		if (first !== undefined) {
			skipped.push({
				item: itemIndex,
				sku: result.offer.sku,
				reason: `duplicate SKU (first in item ${first})`,
			});
			continue;
		}
		firstItemOfSku.set(result.offer.sku, itemIndex);
		writer.add(result.offer);
	}
	if (!writer.offers) {
		throw new NodeOperationError(node, 'No offer to publish: every input item was skipped', {
			description: `Kaspi would take every offer off sale for an empty price list. First reason: ${
				skipped[0]?.reason ?? 'no input items'
			}.`,
		});
	}
	const xml = writer.finish();
	const fileName = String(options.fileName || 'kaspi-price-list.xml');
	const binaryPropertyName = String(options.binaryPropertyName || 'data');
	const binary = await this.helpers.prepareBinaryData(xml, fileName, 'application/xml');
	return [
		[
			{
				json: {
					fileName,
					date,
					offers: writer.offers,
					skippedCount: skipped.length,
					skipped,
					warnings,
					bytes: xml.length,
				},
				binary: { [binaryPropertyName]: binary },
				pairedItem: items.map((_, item) => ({ item })),
			},
		],
	];
}

/**
 * The bugs the property tests in test/unit/fuzz found, each pinned by a plain example.
 */
import nock from 'nock';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { KaspiDataError, toKaspiEntry, toKaspiOrder } from '../../nodes/Kaspi/helpers/mapper';
import type { KaspiEntryResource, KaspiOrderResource } from '../../nodes/Kaspi/transport/types';
import { KaspiPriceList } from '../../nodes/KaspiPriceList/KaspiPriceList.node';
import { KASPI_SCHEMA } from '../../nodes/KaspiPriceList/generated/kaspiSchema';
import { validateXml } from '../../nodes/KaspiPriceList/xml/validator';
import { buildPayments } from '../../nodes/Webkassa/helpers/payments';
import { resetSessions } from '../../nodes/Webkassa/transport/session';
import { positionSum } from '../../nodes/Webkassa/helpers/vat';
import { maskPhone, normalisePhone } from '../../nodes/shared/phone';
import { fakeContext } from '../helpers/context';
import { useNock } from '../helpers/http';
import { CASHBOX, ok, reply, runWebkassa } from '../helpers/webkassa';
import { getManyParameters, runKaspi } from './fuzz/kaspiRequests';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual<typeof import('n8n-workflow')>('n8n-workflow');
	return { ...actual, sleep: jest.fn(async () => undefined) };
});

useNock();

/** `{"toString": 1}` parsed from JSON: `String()` throws a TypeError on it. */
const hostile = JSON.parse('{"toString":1}') as unknown;

describe('phone: values String() cannot convert', () => {
	it('are an invalid number and mask to nothing, instead of a TypeError', () => {
		expect(normalisePhone(hostile)).toEqual({ ok: false, reason: 'invalid' });
		expect(normalisePhone(Object.create(null))).toEqual({ ok: false, reason: 'invalid' });
		expect(maskPhone(hostile)).toBe('');
	});
});

describe('Kaspi mapper: resources the API should never send', () => {
	const order = (attributes: unknown, id: unknown = 'ID1') =>
		({ type: 'orders', id, attributes }) as unknown as KaspiOrderResource;

	it('maps dates a JavaScript Date cannot hold to empty dates, instead of "RangeError: Invalid time value"', () => {
		const flat = toKaspiOrder(
			order({ code: '512345678', creationDate: 1e300, plannedDeliveryDate: 8.64e15 + 1 }),
		);
		expect(flat).toMatchObject({ creationDate: 1e300, createdAt: '', plannedDeliveryAt: null });
	});

	it('reads members of the wrong JSON type as empty', () => {
		const flat = toKaspiOrder(
			order({
				code: hostile,
				state: ['NEW'],
				totalPrice: hostile,
				customer: 'nobody',
				deliveryAddress: 'Almaty',
			}),
		);
		expect(flat).toMatchObject({
			code: '',
			state: '',
			totalPrice: 0,
			customerName: null,
			customerPhoneStatus: 'empty',
			deliveryAddress: null,
		});
		expect(
			toKaspiEntry({ id: 'E1', attributes: 'broken' } as unknown as KaspiEntryResource),
		).toMatchObject({ sku: '', quantity: 0 });
	});

	it('refuses an order that is not an object or has no id, naming it', () => {
		expect(() => toKaspiOrder(null as unknown as KaspiOrderResource)).toThrow(
			new KaspiDataError('Kaspi sent an order that is not a JSON:API resource object'),
		);
		expect(() => toKaspiOrder(order({}, null))).toThrow('Kaspi sent an order without an "id"');
		expect(() => toKaspiEntry(null as unknown as KaspiEntryResource)).toThrow(
			'Kaspi sent an order entry that is not a JSON:API resource object',
		);
	});

	async function getMany(body: unknown, statuses: string[] = []): Promise<INodeExecutionData[]> {
		nock('https://kaspi.kz')
			.get('/shop/api/v2/orders')
			.query(true)
			.reply(200, JSON.stringify(body));
		return await runKaspi(getManyParameters(statuses));
	}

	it('filters by status an order without attributes, instead of "Cannot read properties of undefined"', async () => {
		expect(
			await getMany({ data: [{ type: 'orders', id: 'A' }], meta: { pageCount: 1 } }, [
				'APPROVED_BY_BANK',
				'COMPLETED',
			]),
		).toEqual([]);
	});

	it('fails Get Many with the member at fault when "data" is not an array or holds null', async () => {
		await expect(getMany({ data: ' ', meta: { pageCount: 1 } })).rejects.toThrow(
			'Kaspi answered with a "data" member that is not an array',
		);
		await expect(getMany({ data: [null] })).rejects.toThrow(
			'Kaspi sent an order that is not a JSON:API resource object',
		);
	});

	it('skips entry references and included resources that are null', async () => {
		const [item] = await getMany({
			data: [
				{
					type: 'orders',
					id: 'A',
					attributes: { code: '1' },
					relationships: { entries: { data: [null, { type: 'orderentries', id: 'E1' }] } },
				},
			],
			included: [
				null,
				{
					type: 'orderentries',
					id: 'E1',
					attributes: { quantity: 2, offer: { code: 'S1', name: 'Kettle' } },
				},
			],
			meta: { pageCount: 1 },
		});
		expect(item.json.entries).toEqual([
			{ sku: 'S1', name: 'Kettle', quantity: 2, unitPrice: 0, totalPrice: 0, category: null },
		]);
	});
});

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

describe('Webkassa: receipt arithmetic and its inputs', () => {
	beforeEach(() => resetSessions());

	it('multiplies price and count without binary drift', () => {
		// 100 × 1.005 is 100.49999999999999 in binary; the sum is 1.005 ₸, half-up 1.01.
		expect(positionSum(1, 1.005)).toBe(1.01);
		expect(positionSum(0.01, 50.5)).toBe(0.51);
	});

	const sale = (positionsJson: IDataObject[], extra: IDataObject = {}): IDataObject => ({
		resource: 'receipt',
		operation: 'createSale',
		cashbox: { __rl: true, mode: 'id', value: CASHBOX },
		externalCheckNumber: 'fuzz-finding',
		positionsSource: 'json',
		positionsJson,
		vatRate: '16',
		paymentMethod: 'card',
		options: {},
		...extra,
	});

	it.each([
		[{ name: 'A', price: 1e300 }, 'Position 1: price must be at most 999999999'],
		[
			{ name: 'A', price: 1e7, count: 4_000_000 },
			'Position 1: price × count must be at most 9999999999.99',
		],
		[
			{ name: 'A', price: 100, count: 1, discount: 150 },
			'Position 1: discount must not be more than price × count',
		],
		[
			{ name: 'A', price: 100, vatRate: 12.5 },
			'Position 1: vatRate must be a whole percentage such as 16, or 0 for no VAT',
		],
		[{ name: 'A', price: 100, count: 0.0004 }, 'Position 1: count must be at least 0.001'],
	])('refuses %j before sending anything', async (position, message) => {
		await expect(runWebkassa({ parameters: sale([position]) })).rejects.toThrow(message);
	});

	it('sends prices and discounts to the tiyn, so its total is the one Webkassa computes', async () => {
		const bodies = reply('/api/v4/Check', [
			ok({ CheckNumber: '1', DateTime: '22.11.2026 14:05:11', ShiftNumber: 1 }),
		]);
		await runWebkassa({
			parameters: sale([{ name: 'A', price: 33.333, count: 3, discount: 0.004 }]),
		});
		expect(bodies[0]).toMatchObject({
			Positions: [{ Price: 33.33, Count: 3, Tax: 13.79, TaxPercent: 16 }],
			Payments: [{ Sum: 99.99, PaymentType: 1 }],
			Change: 0,
		});
	});

	it.each([
		[
			[{ method: 'card' as const, amount: Number.NaN }],
			'Payment 1: amount must be a number from 0 to 999999999999.99',
		],
		[
			[
				{ method: 'card' as const, amount: -100 },
				{ method: 'cash' as const, amount: 200 },
			],
			'Payment 1: amount must be a number from 0 to 999999999999.99',
		],
		[
			[{ method: 'card' as const, amount: Infinity }],
			'Payment 1: amount must be a number from 0 to 999999999999.99',
		],
		[
			[{ method: 'bitcoin' as 'card', amount: 100 }],
			'Payment 1: method must be card, cash or mobile',
		],
	])('refuses split payments %j', (entries, error) => {
		expect(buildPayments(100, 'split', entries)).toEqual({ error });
	});

	it('refuses an unreadable Cash Received instead of sending a null sum', () => {
		expect(buildPayments(100, 'cash', [{ method: 'cash', amount: Infinity }])).toEqual({
			error: 'Cash Received: amount must be a number from 0 to 999999999999.99',
		});
	});
});

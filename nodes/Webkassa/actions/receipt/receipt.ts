import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { normalisePhone } from '../../../shared/phone';
import {
	CODE_DUPLICATE_EXTERNAL_NUMBER,
	CODE_SHIFT_OVER_24H,
	CODE_VALIDATION,
	REFUSED_TAX_RATE,
} from '../../transport/errors';
import { tryWebkassa, webkassaApiError, webkassaRequest, type WebkassaOutcome } from '../../transport';
import { registrationNumberOf } from '../../transport/cashboxes';
import {
	OPERATION_SALE,
	OPERATION_SALE_RETURN,
	PAYMENT_TYPES,
	ROUND_TYPE_NONE,
	TAX_TYPE_NONE,
	TAX_TYPE_VAT,
	UNIT_PIECE,
	type PaymentMethod,
	type WebkassaCheckRequest,
	type WebkassaCheckResponse,
	type WebkassaError,
	type WebkassaPayment,
	type WebkassaPosition,
	type WebkassaReturnBasis,
} from '../../transport/types';
import { fromTiyn, positionSum, toThousandths, toTiyn, vatIncluded } from '../../transport/vat';
import { cashboxRLC, readCashbox, readExternalNumber } from '../common.descriptions';
import { findByExternalNumber, toIsoDate } from './lookup';

export type ReceiptKind = 'sale' | 'return';

const VAT_OPTIONS = [
	{ name: 'No VAT', value: 'none' },
	{ name: '5% (Reduced, From 2026)', value: '5' },
	{ name: '10% (Reduced, From 2026)', value: '10' },
	{ name: '12% (Before 2026)', value: '12' },
	{ name: '16% (Standard From 2026)', value: '16' },
];

/** Webkassa refuses payment type 4 on cashboxes with an OFD protocol below 2.0.2. */
const MOBILE_OPTION = {
	name: 'Mobile Payment (e.g. Kaspi QR)',
	value: 'mobile',
	description: 'Needs the cashbox on OFD protocol 2.0.2 or newer; older cashboxes refuse it',
};

const PAYMENT_OPTIONS = [
	{ name: 'Bank Card', value: 'card' },
	{ name: 'Cash', value: 'cash' },
	MOBILE_OPTION,
];

/** The fields of Create Sale and Create Return; `kind` only changes the examples and the basis. */
export function receiptProperties(kind: ReceiptKind): INodeProperties[] {
	const properties: INodeProperties[] = [
		cashboxRLC,
		{
			displayName: 'External Number',
			name: 'externalCheckNumber',
			type: 'string',
			default: '',
			required: true,
			placeholder: kind === 'sale' ? 'e.g. kaspi-{{ $json.code }}-sale' : 'e.g. kaspi-{{ $json.code }}-return',
			description:
				'Webkassa’s ExternalCheckNumber (max 50 characters): a key that is the same on every retry of this receipt, so a retry can never print a second one. Never a fresh random ID.',
		},
		{
			displayName: 'Positions Source',
			name: 'positionsSource',
			type: 'options',
			default: 'fields',
			options: [
				{ name: 'Define Below', value: 'fields' },
				{ name: 'From JSON', value: 'json', description: 'An array built by an expression, e.g. from the order entries' },
			],
		},
		{
			displayName: 'Positions',
			name: 'positions',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add Position',
			default: {},
			displayOptions: { show: { positionsSource: ['fields'] } },
			options: [
				{
					displayName: 'Position',
					name: 'position',
					values: [
						{
							displayName: 'Code',
							name: 'code',
							type: 'string',
							default: '',
							description: 'Article or SKU (max 50 characters)',
						},
						{
							displayName: 'Count',
							name: 'count',
							type: 'number',
							default: 1,
						},
						{
							displayName: 'Discount',
							name: 'discount',
							type: 'number',
							default: 0,
							description: 'Discount on the whole position, in tenge',
						},
						{
							displayName: 'Name',
							name: 'name',
							type: 'string',
							default: '',
							required: true,
						},
						{
							displayName: 'Unit Code',
							name: 'unitCode',
							type: 'number',
							default: 796,
							description: 'Code from Webkassa’s unit reference: 796 = piece, 166 = kilogram. 0 or empty means piece.',
						},
						{
							displayName: 'Unit Price',
							name: 'price',
							type: 'number',
							default: 0,
							description: 'Price of one unit in tenge, VAT included',
						},
						{
							displayName: 'VAT Rate',
							name: 'vatRate',
							type: 'options',
							default: 'receipt',
							options: [{ name: 'As for the Receipt', value: 'receipt' }, ...VAT_OPTIONS],
							description: 'VAT included in the price; As for the Receipt takes the receipt’s VAT Rate',
						},
					],
				},
			],
		},
		{
			displayName: 'Positions (JSON)',
			name: 'positionsJson',
			type: 'json',
			default: '[\n  {\n    "name": "Товар",\n    "code": "SKU-1",\n    "count": 1,\n    "price": 1000,\n    "discount": 0\n  }\n]',
			displayOptions: { show: { positionsSource: ['json'] } },
			description:
				'An array of positions with name, code, count, price (unit price, VAT included), and optionally discount, unitCode (796 = piece by default, 166 = kilogram) and vatRate (a number; 0 for no VAT; empty for the receipt rate)',
		},
		{
			displayName: 'VAT Rate',
			name: 'vatRate',
			type: 'options',
			default: '16',
			options: VAT_OPTIONS,
			description:
				'VAT included in the prices, for every position without its own rate. Choose a rate your organisation is registered for in Webkassa: Webkassa refuses any other (code 9). No VAT if you are not a VAT payer.',
		},
		{
			displayName: 'Payment',
			name: 'paymentMethod',
			type: 'options',
			default: 'card',
			options: [
				{ name: 'Bank Card', value: 'card' },
				{ name: 'Cash', value: 'cash' },
				MOBILE_OPTION,
				{ name: 'Split Between Several Methods', value: 'split' },
			],
		},
		{
			displayName: 'Cash Received',
			name: 'cashReceived',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 2 },
			default: 0,
			displayOptions: { show: { paymentMethod: ['cash'] } },
			description: 'Cash handed over by the buyer; the change is computed. 0 means exactly the total.',
		},
		{
			displayName: 'Payments',
			name: 'payments',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add Payment',
			default: {},
			displayOptions: { show: { paymentMethod: ['split'] } },
			options: [
				{
					displayName: 'Payment',
					name: 'payment',
					values: [
						{ displayName: 'Method', name: 'method', type: 'options', default: 'card', options: PAYMENT_OPTIONS },
						{ displayName: 'Amount', name: 'amount', type: 'number', typeOptions: { minValue: 0, numberPrecision: 2 }, default: 0 },
					],
				},
			],
		},
	];
	if (kind === 'return') {
		properties.push(
			{
				displayName: 'Original Receipt',
				name: 'returnBasisSource',
				type: 'options',
				default: 'externalNumber',
				options: [
					{ name: 'Find by Its External Number', value: 'externalNumber', description: 'The sale’s external number (e.g. kaspi-ORDERCODE-sale); the node reads its details from Webkassa' },
					{ name: 'Enter Its Details', value: 'manual' },
				],
				description: 'A return carries the details of the sale it reverses (ReturnBasisDetails)',
			},
			{
				displayName: 'Original External Number',
				name: 'originalExternalNumber',
				type: 'string',
				default: '',
				placeholder: 'e.g. kaspi-{{ $json.code }}-sale',
				displayOptions: { show: { returnBasisSource: ['externalNumber'] } },
			},
			{
				displayName: 'Original Fiscal Number',
				name: 'originalFiscalNumber',
				type: 'string',
				default: '',
				displayOptions: { show: { returnBasisSource: ['manual'] } },
			},
			{
				displayName: 'Original Cashbox Registration Number',
				name: 'originalRegistrationNumber',
				type: 'string',
				default: '',
				placeholder: 'e.g. 660377756642',
				description: 'The RNM of the cashbox that printed the original receipt (it is on that receipt), which may be another cashbox than this one',
				displayOptions: { show: { returnBasisSource: ['manual'] } },
			},
			{
				displayName: 'Original Date and Time',
				name: 'originalDateTime',
				type: 'dateTime',
				default: '',
				displayOptions: { show: { returnBasisSource: ['manual'] } },
			},
			{
				displayName: 'Original Total',
				name: 'originalTotal',
				type: 'number',
				typeOptions: { numberPrecision: 2 },
				default: 0,
				displayOptions: { show: { returnBasisSource: ['manual'] } },
			},
			{
				displayName: 'Original Was Offline',
				name: 'originalOffline',
				type: 'boolean',
				default: false,
				description: 'Whether the original receipt was made in offline mode',
				displayOptions: { show: { returnBasisSource: ['manual'] } },
			},
		);
	}
	properties.push({
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Buyer E-Mail',
				name: 'customerEmail',
				type: 'string',
				placeholder: 'name@email.com',
				default: '',
				description: 'Webkassa e-mails the electronic receipt to this address',
			},
			{
				displayName: 'Buyer Phone',
				name: 'customerPhone',
				type: 'string',
				default: '',
				placeholder: 'e.g. +7 701 123 45 67',
			},
			{
				displayName: 'Close Shift and Retry After 24 Hours',
				name: 'closeShiftWhenExpired',
				type: 'boolean',
				default: false,
				description:
					'Whether to close the shift (this prints a Z-report) and send the receipt again when Webkassa answers that the shift is open for more than 24 hours (code 11)',
			},
			{
				displayName: 'Order Number',
				name: 'externalOrderNumber',
				type: 'string',
				default: '',
				description: 'Your order number, printed on the receipt (ExternalOrderNumber)',
			},
		],
	});
	return properties;
}

interface PositionInput {
	name: string;
	code?: string;
	count: number;
	price: number;
	discount: number;
	unitCode: number;
	vatRate?: number;
}

function fail(context: IExecuteFunctions, itemIndex: number, message: string, description?: string): never {
	throw new NodeOperationError(context.getNode(), message, { itemIndex, description });
}

/** 'none' and 0 mean no VAT; 'receipt' and empty mean the receipt's rate. Webkassa's `TaxPercent` is a whole number. */
function parseRate(value: unknown): number | undefined {
	if (value === undefined || value === null || value === '' || value === 'receipt') return undefined;
	if (value === 'none') return 0;
	const rate = Number(value);
	return Number.isInteger(rate) && rate >= 0 && rate < 100 ? rate : Number.NaN;
}

/** Webkassa's limits on a position (docs/services/webkassa.md, "Limits"): `Price` up to 999 999 999, `Count` up to 4 294 967.295. */
const MAX_PRICE = 999_999_999;
const MAX_COUNT = 4_294_967.295;
/**
 * The largest position sum taken, in tenge: far above any real sale, and low enough that every sum,
 * tax and total stays an exact whole number of tiyn in a JavaScript number.
 */
const MAX_POSITION_SUM = 9_999_999_999.99;
/** The largest payment amount taken, in tenge, for the same reason. */
const MAX_PAYMENT = 999_999_999_999.99;

function readPositionInputs(context: IExecuteFunctions, itemIndex: number): PositionInput[] {
	let raw: unknown[];
	if (context.getNodeParameter('positionsSource', itemIndex, 'fields') === 'json') {
		let value: unknown = context.getNodeParameter('positionsJson', itemIndex, '[]');
		if (typeof value === 'string') {
			try {
				value = JSON.parse(value) as unknown;
			} catch {
				fail(context, itemIndex, 'Positions (JSON) is not valid JSON');
			}
		}
		raw = Array.isArray(value) ? value : [value];
	} else {
		const collection = context.getNodeParameter('positions', itemIndex, {}) as { position?: IDataObject[] };
		raw = collection.position ?? [];
	}
	if (raw.length === 0) fail(context, itemIndex, 'The receipt has no positions', 'Add at least one position.');
	return raw.map((entry, index) => {
		const record = (typeof entry === 'object' && entry !== null ? entry : {}) as IDataObject;
		const label = `Position ${index + 1}`;
		const name = String(record.name ?? '').trim();
		if (!name) fail(context, itemIndex, `${label}: Name is empty`);
		const number = (field: string, fallback: number) => {
			const value = record[field] === undefined || record[field] === '' ? fallback : Number(record[field]);
			if (!Number.isFinite(value) || value < 0) fail(context, itemIndex, `${label}: ${field} must be a number ≥ 0`, `Got "${String(record[field])}".`);
			return value;
		};
		const vatRate = parseRate(record.vatRate);
		if (Number.isNaN(vatRate)) fail(context, itemIndex, `${label}: vatRate must be a whole percentage such as 16, or 0 for no VAT`);
		// Amounts are kept to the tiyn and counts to the thousandth, as Webkassa keeps them, so the
		// sums computed here are the ones Webkassa computes from the request.
		const rawCount = number('count', 1);
		if (rawCount === 0) fail(context, itemIndex, `${label}: count must be more than 0`);
		const count = toThousandths(rawCount) / 1000;
		if (count === 0) fail(context, itemIndex, `${label}: count must be at least 0.001`);
		if (count > MAX_COUNT) fail(context, itemIndex, `${label}: count must be at most ${MAX_COUNT}`);
		const price = fromTiyn(toTiyn(number('price', Number.NaN)));
		if (price > MAX_PRICE) fail(context, itemIndex, `${label}: price must be at most ${MAX_PRICE}`);
		if (price * count > MAX_POSITION_SUM) {
			fail(context, itemIndex, `${label}: price × count must be at most ${MAX_POSITION_SUM}`);
		}
		const discount = fromTiyn(toTiyn(number('discount', 0)));
		if (discount > positionSum(price, count)) {
			fail(context, itemIndex, `${label}: discount must not be more than price × count`);
		}
		return {
			name: name.slice(0, 255),
			code: record.code === undefined || record.code === '' ? undefined : String(record.code).slice(0, 50),
			count,
			price,
			discount,
			// 0 is not in Webkassa's unit reference: it means "not set", as an empty value does.
			unitCode: number('unitCode', UNIT_PIECE) || UNIT_PIECE,
			vatRate,
		};
	});
}

/** Positions with the VAT computed by Webkassa's formula, and the receipt total. */
export function buildPositions(
	inputs: PositionInput[],
	receiptRate: number,
): { positions: WebkassaPosition[]; total: number } {
	let totalTiyn = 0;
	const positions = inputs.map((input) => {
		const rate = input.vatRate ?? receiptRate;
		const sum = positionSum(input.price, input.count, input.discount);
		totalTiyn += toTiyn(sum);
		const position: WebkassaPosition = {
			Count: input.count,
			Price: input.price,
			Tax: vatIncluded(sum, rate),
			TaxType: rate > 0 ? TAX_TYPE_VAT : TAX_TYPE_NONE,
			PositionName: input.name,
			UnitCode: input.unitCode,
		};
		if (rate > 0) position.TaxPercent = rate;
		if (input.code) position.PositionCode = input.code;
		if (input.discount > 0) position.Discount = input.discount;
		return position;
	});
	return { positions, total: fromTiyn(totalTiyn) };
}

/** Payments (each type at most once) and the change, which only cash can give. */
export function buildPayments(
	total: number,
	method: string,
	entries: Array<{ method: PaymentMethod; amount: number }>,
): { payments: WebkassaPayment[]; change: number } | { error: string } {
	const byType = new Map<PaymentMethod, number>();
	const isMethod = (name: string) => Object.prototype.hasOwnProperty.call(PAYMENT_TYPES, name);
	if (method !== 'split' && !isMethod(method)) return { error: 'Payment must be card, cash, mobile or split' };
	for (const [index, entry] of entries.entries()) {
		const field = method === 'cash' ? 'Cash Received' : `Payment ${index + 1}`;
		if (!isMethod(entry.method)) {
			return { error: `${field}: method must be card, cash or mobile` };
		}
		if (!Number.isFinite(entry.amount) || entry.amount < 0 || entry.amount > MAX_PAYMENT) {
			return { error: `${field}: amount must be a number from 0 to ${MAX_PAYMENT}` };
		}
	}
	if (method === 'split') {
		for (const entry of entries) byType.set(entry.method, (byType.get(entry.method) ?? 0) + toTiyn(entry.amount));
	} else {
		byType.set(method as PaymentMethod, toTiyn(entries[0]?.amount || total));
	}
	const paid = [...byType.values()].reduce((sum, value) => sum + value, 0);
	const change = paid - toTiyn(total);
	if (change < 0) return { error: `The payments (${fromTiyn(paid)}) are less than the total (${total})` };
	if (change > (byType.get('cash') ?? 0)) {
		return { error: `The payments exceed the total by ${fromTiyn(change)}, but only cash can give change` };
	}
	const payments = [...byType.entries()]
		.filter(([, amount]) => amount > 0)
		.map(([type, amount]) => ({ Sum: fromTiyn(amount), PaymentType: PAYMENT_TYPES[type] }));
	return { payments, change: fromTiyn(change) };
}

function readPayments(context: IExecuteFunctions, itemIndex: number, total: number) {
	const method = context.getNodeParameter('paymentMethod', itemIndex, 'card') as string;
	let entries: Array<{ method: PaymentMethod; amount: number }> = [];
	if (method === 'split') {
		const collection = context.getNodeParameter('payments', itemIndex, {}) as { payment?: IDataObject[] };
		entries = (collection.payment ?? []).map((entry) => ({
			method: String(entry.method) as PaymentMethod,
			amount: Number(entry.amount ?? 0),
		}));
		if (entries.length === 0) fail(context, itemIndex, 'Payments is empty', 'Add the amounts paid by each method.');
	} else if (method === 'cash') {
		entries = [{ method: 'cash', amount: Number(context.getNodeParameter('cashReceived', itemIndex, 0)) }];
	}
	const result = buildPayments(total, method, entries);
	if ('error' in result) fail(context, itemIndex, result.error, 'Payments must cover the receipt total.');
	return result;
}

async function readReturnBasis(
	context: IExecuteFunctions,
	itemIndex: number,
	cashbox: string,
): Promise<WebkassaReturnBasis> {
	if (context.getNodeParameter('returnBasisSource', itemIndex, 'externalNumber') === 'manual') {
		const fiscalNumber = String(context.getNodeParameter('originalFiscalNumber', itemIndex, '')).trim();
		const registrationNumber = String(context.getNodeParameter('originalRegistrationNumber', itemIndex, '')).trim();
		const dateTime = toIsoDate(String(context.getNodeParameter('originalDateTime', itemIndex, '')));
		if (!fiscalNumber) fail(context, itemIndex, 'Original Fiscal Number is empty');
		if (!/^\d{1,20}$/.test(registrationNumber)) {
			fail(
				context,
				itemIndex,
				'Original Cashbox Registration Number is empty or not a number',
				'Give the RNM printed on the original receipt: Webkassa matches the return to the cashbox that made the sale.',
			);
		}
		if (!dateTime) fail(context, itemIndex, 'Original Date and Time is empty or not a date');
		return {
			CheckNumber: fiscalNumber,
			DateTime: dateTime,
			RegistrationNumber: registrationNumber,
			Total: Number(context.getNodeParameter('originalTotal', itemIndex, 0)),
			IsOffline: context.getNodeParameter('originalOffline', itemIndex, false) as boolean,
		};
	}
	const original = readExternalNumber(context, itemIndex, 'originalExternalNumber', 'Original External Number');
	const found = await findByExternalNumber(context, cashbox, original, itemIndex);
	if (!found?.fiscalNumber || !found.dateTime) {
		fail(
			context,
			itemIndex,
			`The original receipt "${original}" was not found on this cashbox`,
			'Check the original external number and the cashbox, or enter the original receipt’s details.',
		);
	}
	// The history names the RNM of the cashbox that printed the original; Cashboxes is the fallback.
	const registrationNumber =
		(found.registrationNumber ? String(found.registrationNumber) : undefined) ??
		(await registrationNumberOf(context, cashbox, itemIndex));
	return {
		CheckNumber: String(found.fiscalNumber),
		DateTime: String(found.dateTime),
		RegistrationNumber: registrationNumber ?? '',
		Total: Number(found.total ?? 0),
		IsOffline: found.offline === true,
	};
}

function checkOutput(kind: ReceiptKind, request: WebkassaCheckRequest, total: number, data: WebkassaCheckResponse): IDataObject {
	return {
		operation: kind,
		duplicate: false,
		externalCheckNumber: request.ExternalCheckNumber,
		fiscalNumber: String(data.CheckNumber),
		shiftNumber: data.ShiftNumber,
		checkOrderNumber: data.CheckOrderNumber,
		dateTime: toIsoDate(data.DateTime) ?? data.DateTime,
		total,
		change: request.Change,
		ticketUrl: data.TicketUrl,
		ticketPrintUrl: data.TicketPrintUrl,
		offline: data.OfflineMode === true,
		cashboxUniqueNumber: request.CashboxUniqueNumber,
		registrationNumber: data.Cashbox?.RegistrationNumber ?? null,
	};
}

/** Create Sale and Create Return. */
export async function createReceipt(
	context: IExecuteFunctions,
	itemIndex: number,
	kind: ReceiptKind,
): Promise<IDataObject> {
	const cashbox = readCashbox(context, itemIndex);
	const externalNumber = readExternalNumber(context, itemIndex, 'externalCheckNumber', 'External Number');
	const receiptRate = parseRate(context.getNodeParameter('vatRate', itemIndex, ''));
	// No silent default: a rate the organisation is not registered for fails every receipt.
	if (receiptRate === undefined || Number.isNaN(receiptRate)) {
		fail(
			context,
			itemIndex,
			'VAT Rate is empty or not a rate',
			'Choose the VAT rate your organisation is registered for in Webkassa (none, 5, 10, 12 or 16); in the receipts workflow, set vatRate in Settings.',
		);
	}
	const { positions, total } = buildPositions(readPositionInputs(context, itemIndex), receiptRate);
	const { payments, change } = readPayments(context, itemIndex, total);
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;

	const request: WebkassaCheckRequest = {
		CashboxUniqueNumber: cashbox,
		OperationType: kind === 'sale' ? OPERATION_SALE : OPERATION_SALE_RETURN,
		Positions: positions,
		Payments: payments,
		Change: change,
		RoundType: ROUND_TYPE_NONE,
		ExternalCheckNumber: externalNumber,
	};
	const email = String(options.customerEmail ?? '').trim();
	if (email) {
		if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 50) {
			fail(context, itemIndex, 'Buyer E-Mail is not a valid e-mail address (max 50 characters)');
		}
		request.CustomerEmail = email;
	}
	const rawPhone = String(options.customerPhone ?? '').trim();
	if (rawPhone) {
		const phone = normalisePhone(rawPhone);
		// A masked or invalid number is left out rather than failing a fiscal receipt.
		if (phone.ok) request.CustomerPhone = `+${phone.digits}`;
	}
	const orderNumber = String(options.externalOrderNumber ?? '').trim();
	if (orderNumber) request.ExternalOrderNumber = orderNumber.slice(0, 200);

	if (kind === 'return') request.ReturnBasisDetails = await readReturnBasis(context, itemIndex, cashbox);

	const send = async () =>
		await tryWebkassa<WebkassaCheckResponse>(context, 'check', request as unknown as IDataObject, {
			itemIndex,
			// Safe: a repeat with the same ExternalCheckNumber answers 14, never a second receipt.
			idempotent: true,
		});
	let outcome = await send();
	if (!outcome.ok && outcome.error.Code === CODE_SHIFT_OVER_24H && options.closeShiftWhenExpired === true) {
		await webkassaRequest(context, 'zReport', { CashboxUniqueNumber: cashbox }, { itemIndex });
		outcome = await send();
	}
	if (outcome.ok) return checkOutput(kind, request, total, outcome.data);
	if (outcome.error.Code === CODE_DUPLICATE_EXTERNAL_NUMBER) return duplicateOutput(kind, request, total, outcome);
	if (outcome.error.Code === CODE_VALIDATION) {
		const refused = refusedRate(request, outcome.error);
		if (refused !== undefined) {
			const error = webkassaApiError(context, 'check', outcome.error, itemIndex);
			error.message = `Webkassa error 9: the cashbox's organisation is not registered for VAT rate ${refused}`;
			error.description = `${error.description ?? ''} Choose a VAT rate the organisation is registered for in Webkassa (VAT Rate, or vatRate in the receipts workflow's Settings).`.trim();
			throw error;
		}
	}
	throw webkassaApiError(context, 'check', outcome.error, itemIndex);
}

/**
 * A repeated external number: Webkassa answers code 14 with the original receipt in `Data`, and
 * its text ends with the original's fiscal number, the fallback when `Data` is missing
 * (docs/services/webkassa.md, "Duplicates"). No further lookup is needed.
 */
function duplicateOutput(
	kind: ReceiptKind,
	request: WebkassaCheckRequest,
	total: number,
	outcome: Extract<WebkassaOutcome<WebkassaCheckResponse>, { ok: false }>,
): IDataObject {
	if (outcome.data?.CheckNumber) return { ...checkOutput(kind, request, total, outcome.data), duplicate: true };
	const fiscalNumber = /(\d{6,})\s*\.?\s*$/.exec(String(outcome.error.Text ?? ''))?.[1] ?? null;
	return {
		operation: kind,
		duplicate: true,
		externalCheckNumber: request.ExternalCheckNumber,
		fiscalNumber,
		cashboxUniqueNumber: request.CashboxUniqueNumber,
	};
}

/** The rate Webkassa refused, as "16%" or "no VAT", when code 9 is about a position's VAT rate. */
function refusedRate(request: WebkassaCheckRequest, error: WebkassaError): string | undefined {
	const text = String(error.Text ?? '');
	if (!REFUSED_TAX_RATE.test(text)) return undefined;
	// Webkassa names the position: "Позиция '<name>' содержит неподдерживаемое … значение налоговой ставки".
	const named = /'([^']+)'/.exec(text)?.[1];
	const position = request.Positions.find((entry) => entry.PositionName === named) ?? request.Positions[0];
	return position?.TaxPercent ? `${position.TaxPercent}%` : 'no VAT';
}

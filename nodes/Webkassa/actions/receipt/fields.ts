import type { INodeProperties } from 'n8n-workflow';

import { cashboxRLC } from '../common.descriptions';

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
			placeholder:
				kind === 'sale' ? 'e.g. kaspi-{{ $json.code }}-sale' : 'e.g. kaspi-{{ $json.code }}-return',
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
				{
					name: 'From JSON',
					value: 'json',
					description: 'An array built by an expression, e.g. from the order entries',
				},
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
							description:
								'Code from Webkassa’s unit reference: 796 = piece, 166 = kilogram. 0 or empty means piece.',
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
							description:
								'VAT included in the price; As for the Receipt takes the receipt’s VAT Rate',
						},
					],
				},
			],
		},
		{
			displayName: 'Positions (JSON)',
			name: 'positionsJson',
			type: 'json',
			default:
				'[\n  {\n    "name": "Товар",\n    "code": "SKU-1",\n    "count": 1,\n    "price": 1000,\n    "discount": 0\n  }\n]',
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
			description:
				'Cash handed over by the buyer; the change is computed. 0 means exactly the total.',
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
						{
							displayName: 'Method',
							name: 'method',
							type: 'options',
							default: 'card',
							options: PAYMENT_OPTIONS,
						},
						{
							displayName: 'Amount',
							name: 'amount',
							type: 'number',
							typeOptions: { minValue: 0, numberPrecision: 2 },
							default: 0,
						},
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
					{
						name: 'Find by Its External Number',
						value: 'externalNumber',
						description:
							'The sale’s external number (e.g. kaspi-ORDERCODE-sale); the node reads its details from Webkassa',
					},
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
				description:
					'The RNM of the cashbox that printed the original receipt (it is on that receipt), which may be another cashbox than this one',
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

// @ts-check
/**
 * Webkassa.kz emulator (docs/services/webkassa.md): the cashier API under `/webkassa/api/v4/...` and the legacy
 * `/webkassa/api/...`. Everything is HTTP POST with the token in the JSON body, and business errors
 * are HTTP 200 with `Errors[]`, as the real service does.
 *
 * Written from Webkassa's own sources (docs/services/webkassa.md gives each one), never from the
 * node's code: it imports nothing from `nodes/` or `dist/`.
 *
 * What it enforces: a login invalidates the cashier's previous token (code 2 for it afterwards),
 * the partner key on every v4 call (and on legacy calls when the profile says so), the Check
 * fields with each position rounded as its `RoundType` says and VAT recomputed by
 * `round(sum × p / (100 + p), 2)` (code 9 on a mismatch), only the VAT rates the organisation is
 * registered for (code 9), unit codes from Webkassa's unit reference, payment type 4 only on OFD
 * protocol 2.0.2 or newer, a return's basis matching its original receipt, a unique
 * `ExternalCheckNumber` (code 14 with the original receipt in `Data`), a shift open for more than
 * 24 h (code 11), code 12 for a Z-report after the last shift was closed and 13 when none was ever
 * opened, cash in the drawer for a withdrawal (code 8). Shift history lists shifts oldest first.
 *
 * Control routes (`/_control/webkassa/...`): state and receipts, expire every token, change the
 * password, age a shift, and the fault the real world makes dangerous: answer HTTP 5xx or hang
 * **after** the receipt was stored.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import { Router, controlError, isObject, json } from '../lib/http.mjs';

const PREFIX = '/webkassa';
export const WEBKASSA_DEFAULT_LOGIN = 'cashier@sandbox.kz';
export const WEBKASSA_DEFAULT_PASSWORD = 'sandbox-webkassa-password';
export const WEBKASSA_DEFAULT_API_KEY = 'WKD-sandbox-webkassa-key';
const HOUR = 3_600_000;
const SHIFT_MAX_MS = 24 * HOUR;
const ALMATY_OFFSET_MS = 5 * HOUR;

/** Path families: v4 for integrators, and the older `/api` (Postman collection; WebkassaClient.pas). */
const API_PREFIXES = { v4: '/api/v4', legacy: '/api' };
/** The v4 history API (Postman collection; the iiko adapter's client). */
const HISTORY_PREFIX = '/api-history/v4';
/** LocalServer's limit on `ExternalCheckNumber`. */
const EXTERNAL_NUMBER_MAX = 50;
/** `OperationType`: 0 buy, 1 buy return, 2 sale, 3 sale return (Postman collection; LS `OperationTypeEnum`). */
const OPERATION_BUY_RETURN = 1;
const OPERATION_SALE = 2;
const OPERATION_SALE_RETURN = 3;
/** `TaxType`: 0 none, 100 VAT (LS `TaxTypeEnum`; every Postman example sends 100). */
const TAX_TYPE_NONE = 0;
const TAX_TYPE_VAT = 100;
/** `MoneyOperation` `OperationType`: 0 in, 1 out (Postman collection). */
const MONEY_IN = 0;
const MONEY_OUT = 1;
/** `PaymentType`: 0 cash, 1 card, 2 credit, 3 tare, 4 mobile (LS `PaymentTypeEnum`). */
const PAYMENT_MOBILE = 4;
/** `RoundType`: 0 none, 1 total (legacy), 2 every position (the default), 3 total only (LS `RoundTypeEnum`; Postman). */
const ROUND_DEFAULT = 2;
/** Webkassa's unit reference, `references/RefUnits` as the Postman collection lists it. */
const UNIT_CODES = new Set([
	796, 166, 112, 6, 55, 113, 18, 168, 778, 5114, 356, 792, 5111, 111, 736, 625, 839, 8, 163, 51,
	359, 362, 868, 872, 2, 881, 123, 383, 4, 841, 812, 643, 110, 245, 206, 5110, 5113, 5, 53, 715,
	797, 122, 59, 469, 870, 8751, 876, 879, 704,
]);
/** The rates a VAT payer registered for every rate may use; a profile narrows them per organisation. */
const DEFAULT_ALLOWED_TAX_PERCENTS = [5, 10, 12, 16];
const DEFAULT_OFD_PROTOCOL = '2.0.3';

/** Russian texts as Webkassa words them (docs/services/webkassa.md, "Error codes"). */
const TEXTS = /** @type {Record<number, string>} */ ({
	1: 'Неверный логин и/или пароль',
	2: 'Срок действия сессии истек',
	3: 'Пользователь не авторизован',
	6: 'Касса не найдена',
	8: 'Недостаточно средств в кассе',
	11: 'Продолжительность смены превышает 24 часа',
	12: 'Смена уже закрыта',
	13: 'Не найдена открытая смена',
	14: 'Дублирующийся код системы-источника',
	15: 'Смена не существует',
	16: 'Чек не найден',
	19: 'Чек с данным внешним номером не найден',
});

/**
 * @typedef {object} Shift
 * @property {number} ShiftNumber
 * @property {number} openedAt ms
 * @property {number | null} closedAt ms
 * @property {number} cash Cash in the drawer.
 * @property {number} moneyIn
 * @property {number} moneyOut
 * @property {number} documents
 * @property {number} reportNumber
 */

/**
 * @typedef {object} Receipt
 * @property {string} Number Fiscal number.
 * @property {string} cashbox
 * @property {string} registrationNumber The RNM of the cashbox that printed it.
 * @property {number} ShiftNumber
 * @property {number} OrderNumber
 * @property {number} OperationType
 * @property {string} ExternalCheckNumber
 * @property {string} [ExternalOrderNumber]
 * @property {number} registeredAt ms
 * @property {number} Total
 * @property {number} Change
 * @property {number} Tax
 * @property {any[]} Positions
 * @property {any[]} Payments
 * @property {any} [ReturnBasisDetails]
 * @property {string} [CustomerEmail]
 * @property {string} [CustomerPhone]
 * @property {string} TicketUrl
 * @property {string} TicketPrintUrl
 * @property {any} response The Check answer's `Data`, repeated with code 14 on a duplicate.
 */

/**
 * @typedef {object} Cashbox
 * @property {string} UniqueNumber
 * @property {string} RegistrationNumber
 * @property {string} Name
 * @property {number} CurrentStatus
 * @property {string} ofdProtocol e.g. "2.0.3"; payment type 4 needs 2.0.2 or newer.
 * @property {Shift[]} shifts Oldest first.
 */

/**
 * @typedef {object} AfterStoreFault
 * @property {'http5xx' | 'timeout'} kind
 * @property {number} remaining
 * @property {number} status
 * @property {number} delayMs
 * @property {string} [method] Only this method, e.g. "Check".
 */

/**
 * @typedef {object} WebkassaState
 * @property {{ login: string, password: string, token: string | null, issued: Set<string>, logins: number }} cashier
 * @property {string} apiKey
 * @property {Cashbox[]} cashboxes
 * @property {Receipt[]} receipts
 * @property {Array<{ cashbox: string, OperationType: number, Sum: number, ExternalCheckNumber: string, ShiftNumber: number }>} moneyOperations
 * @property {Set<string>} externalNumbers Receipts' and cash operations' external numbers.
 * @property {AfterStoreFault[]} afterStore
 * @property {number | null} expireAfterCalls The current token expires after this many more calls.
 * @property {number} nextFiscal
 * @property {number[]} allowedTaxPercents VAT rates the organisation is registered for (no VAT is always allowed).
 * @property {boolean} legacyNeedsKey Whether legacy `/api` calls need the partner key too (unconfirmed either way).
 * @property {'second' | 'minute'} basisTimeMatch How exactly a return basis's time must match its original.
 */

/** @param {number} code */
const failure = (code, text = TEXTS[code] ?? 'Ошибка') =>
	json({ Errors: [{ Code: code, Text: text }] });
/** @param {unknown} data */
const success = (data) => json({ Data: data });

/** "dd.MM.yyyy HH:mm:ss" in Almaty time, as Webkassa writes dates. */
function webkassaDate(/** @type {number} */ ms) {
	const d = new Date(ms + ALMATY_OFFSET_MS);
	const p = (/** @type {number} */ n) => String(n).padStart(2, '0');
	return `${p(d.getUTCDate())}.${p(d.getUTCMonth() + 1)}.${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

const round2 = (/** @type {number} */ n) => Math.round(n * 100) / 100;
const tiyn = (/** @type {number} */ n) => Math.round(n * 100);

/** The VAT Webkassa expects inside `sum` at `percent` %. */
export function expectedTax(/** @type {number} */ sum, /** @type {number} */ percent) {
	return Math.round((tiyn(sum) * percent) / (100 + percent)) / 100;
}

/** @param {boolean} seed @returns {Cashbox[]} */
function seedCashboxes(seed) {
	if (!seed) return [];
	return [
		{
			UniqueNumber: 'SWK00000001',
			RegistrationNumber: '600000000001',
			Name: 'Sandbox shop',
			CurrentStatus: 1,
			ofdProtocol: DEFAULT_OFD_PROTOCOL,
			shifts: [],
		},
		{
			UniqueNumber: 'SWK00000002',
			RegistrationNumber: '600000000002',
			Name: 'Sandbox warehouse',
			CurrentStatus: 1,
			ofdProtocol: DEFAULT_OFD_PROTOCOL,
			shifts: [],
		},
	];
}

/** @type {import('../lib/service.mjs').ServiceModule} */
export const webkassaService = {
	name: 'webkassa',
	create({ secret = WEBKASSA_DEFAULT_API_KEY, seed }) {
		/** @type {WebkassaState} */
		const state = {
			cashier: {
				login: WEBKASSA_DEFAULT_LOGIN,
				password: WEBKASSA_DEFAULT_PASSWORD,
				token: null,
				issued: new Set(),
				logins: 0,
			},
			apiKey: secret,
			cashboxes: [],
			receipts: [],
			moneyOperations: [],
			externalNumbers: new Set(),
			afterStore: [],
			expireAfterCalls: null,
			nextFiscal: 1_000_000_001,
			allowedTaxPercents: [...DEFAULT_ALLOWED_TAX_PERCENTS],
			legacyNeedsKey: false,
			basisTimeMatch: 'second',
		};
		const reset = (/** @type {boolean} */ withSeed) => {
			state.cashier = {
				login: WEBKASSA_DEFAULT_LOGIN,
				password: WEBKASSA_DEFAULT_PASSWORD,
				token: null,
				issued: new Set(),
				logins: 0,
			};
			state.cashboxes = seedCashboxes(withSeed);
			state.receipts = [];
			state.moneyOperations = [];
			state.externalNumbers = new Set();
			state.afterStore = [];
			state.expireAfterCalls = null;
			state.nextFiscal = 1_000_000_001;
			state.allowedTaxPercents = [...DEFAULT_ALLOWED_TAX_PERCENTS];
			state.legacyNeedsKey = false;
			state.basisTimeMatch = 'second';
		};
		reset(seed);
		const shutdown = new AbortController();

		return {
			name: 'webkassa',
			prefix: PREFIX,
			contentType: 'application/json; charset=utf-8',
			state,
			// The partner key is checked per route (v4 needs it, legacy not); a wrong one is refused.
			authenticate: (headers) => {
				const key = headers['x-api-key'];
				if (key === undefined || key === '') return 'valid';
				return key === state.apiKey ? 'valid' : 'invalid';
			},
			errorBody: (_status, message) => ({ Errors: [{ Code: -1, Text: message }] }),
			unauthorized: () => json({ Errors: [{ Code: -1, Text: 'Invalid X-API-KEY' }] }, 401),
			api: apiRoutes(state, shutdown.signal),
			control: controlRoutes(state),
			reset,
			async close() {
				shutdown.abort();
			},
		};
	},
};

/**
 * @param {WebkassaState} state
 * @param {string} number
 */
function findCashbox(state, number) {
	return state.cashboxes.find((cashbox) => cashbox.UniqueNumber === String(number ?? ''));
}

/** @param {Cashbox} cashbox */
function openShift(cashbox) {
	const last = cashbox.shifts.at(-1);
	return last && last.closedAt === null ? last : undefined;
}

/** The open shift, opened implicitly by the first operation after a Z-report. @param {Cashbox} cashbox */
function currentShift(cashbox) {
	const open = openShift(cashbox);
	if (open) return open;
	const previous = cashbox.shifts.at(-1);
	/** @type {Shift} */
	const shift = {
		ShiftNumber: (previous?.ShiftNumber ?? 0) + 1,
		openedAt: Date.now(),
		closedAt: null,
		cash: previous?.cash ?? 0,
		moneyIn: 0,
		moneyOut: 0,
		documents: 0,
		reportNumber: (previous?.reportNumber ?? 0) + 1,
	};
	cashbox.shifts.push(shift);
	return shift;
}

/**
 * `Price × Count` in tiyn, rounded as the receipt's `RoundType` says, away from zero: every
 * position to whole tenge for 2 (LS `RoundersFactory`: `Math.Round(item, 0, AwayFromZero)`;
 * OposWebkassa `ReceiptItem.pas`), to the tiyn otherwise.
 * @param {number} price @param {number} count @param {number} roundType
 */
export function positionGrossTiyn(price, count, roundType) {
	const exact = (tiyn(price) * Math.round(count * 1000)) / 1000;
	return roundType === ROUND_DEFAULT ? Math.round(exact / 100) * 100 : Math.round(exact);
}

/**
 * Whether a cashbox's OFD protocol is at least `minimum` ("2.0.2" < "2.0.3").
 * @param {string} protocol @param {string} minimum
 */
function protocolAtLeast(protocol, minimum) {
	const a = protocol.split('.').map(Number);
	const b = minimum.split('.').map(Number);
	for (let index = 0; index < Math.max(a.length, b.length); index++) {
		if ((a[index] ?? 0) !== (b[index] ?? 0)) return (a[index] ?? 0) > (b[index] ?? 0);
	}
	return true;
}

/**
 * The Check rules (docs/services/webkassa.md, "Receipt"); returns Webkassa's validation text, or
 * the receipt's total and VAT.
 * @param {any} body
 * @param {{ allowedTaxPercents: number[], ofdProtocol: string }} rules the organisation's VAT rates and the cashbox's OFD protocol
 * @returns {{ error: string } | { total: number, tax: number }}
 */
export function validateCheck(body, rules) {
	const fail = (/** @type {string} */ error) => ({ error });
	if (![0, 1, OPERATION_SALE, OPERATION_SALE_RETURN].includes(body.OperationType)) {
		return fail('OperationType: Недопустимое значение');
	}
	if (!Array.isArray(body.Positions) || body.Positions.length === 0)
		return fail('Positions: Поле обязательно');
	if (!Array.isArray(body.Payments) || body.Payments.length === 0)
		return fail('Payments: Поле обязательно');
	if (
		typeof body.ExternalCheckNumber === 'string' &&
		body.ExternalCheckNumber.length > EXTERNAL_NUMBER_MAX
	) {
		return fail(`ExternalCheckNumber: Максимальная длина ${EXTERNAL_NUMBER_MAX}`);
	}
	if (
		body.CustomerEmail !== undefined &&
		(typeof body.CustomerEmail !== 'string' ||
			body.CustomerEmail.length > 50 ||
			!/^[^\s@]+@[^\s@]+$/.test(body.CustomerEmail))
	) {
		return fail('CustomerEmail: Неверный формат');
	}
	if (
		body.CustomerPhone !== undefined &&
		(typeof body.CustomerPhone !== 'string' || body.CustomerPhone.length > 20)
	) {
		return fail('CustomerPhone: Максимальная длина 20');
	}
	if (
		body.RoundType !== undefined &&
		body.RoundType !== null &&
		![0, 1, 2, 3].includes(body.RoundType)
	)
		return fail('RoundType: Недопустимое значение');
	const roundType = body.RoundType ?? ROUND_DEFAULT;
	let total = 0;
	let tax = 0;
	for (const [index, position] of body.Positions.entries()) {
		const at = `Positions[${index}]`;
		if (!isObject(position)) return fail(`${at}: Неверный формат`);
		const { Count, Price, Tax, TaxType, TaxPercent, PositionName, UnitCode } = /** @type {any} */ (
			position
		);
		if (typeof Count !== 'number' || Count <= 0 || Count > 4_294_967.295)
			return fail(`${at}.Count: Недопустимое значение`);
		if (typeof Price !== 'number' || Price < 0 || Price > 999_999_999)
			return fail(`${at}.Price: Недопустимое значение`);
		if (typeof Tax !== 'number' || Tax < 0) return fail(`${at}.Tax: Недопустимое значение`);
		if (![TAX_TYPE_NONE, TAX_TYPE_VAT].includes(TaxType))
			return fail(`${at}.TaxType: Недопустимое значение`);
		if (typeof PositionName !== 'string' || PositionName === '' || PositionName.length > 255)
			return fail(`${at}.PositionName: Поле обязательно`);
		if (!Number.isInteger(UnitCode) || !UNIT_CODES.has(UnitCode))
			return fail(`${at}.UnitCode: Единица измерения не найдена в справочнике`);
		const discount = Number(/** @type {any} */ (position).Discount ?? 0);
		const markup = Number(/** @type {any} */ (position).Markup ?? 0);
		const sum = (positionGrossTiyn(Price, Count, roundType) - tiyn(discount) + tiyn(markup)) / 100;
		if (sum < 0) return fail(`${at}.Discount: Скидка больше суммы позиции`);
		if (TaxType === TAX_TYPE_VAT) {
			if (!Number.isInteger(TaxPercent) || TaxPercent <= 0 || TaxPercent >= 100)
				return fail(`${at}.TaxPercent: Недопустимое значение`);
			// LS: a rate outside the organisation's AllowedTaxValues is refused with code 9.
			if (!rules.allowedTaxPercents.includes(TaxPercent)) {
				return fail(
					`Позиция '${PositionName}' содержит неподдерживаемое вашей организацией значение налоговой ставки`,
				);
			}
			const expected = expectedTax(sum, TaxPercent);
			if (Math.abs(tiyn(Tax) - tiyn(expected)) > 1) {
				return fail(`${at}.Tax: Неверная сумма налога (ожидается ${expected.toFixed(2)})`);
			}
		} else if (Tax !== 0) {
			return fail(`${at}.Tax: Налог без ставки НДС должен быть 0`);
		}
		total += tiyn(sum);
		tax += tiyn(Tax);
	}
	const types = new Set();
	let paid = 0;
	for (const [index, payment] of body.Payments.entries()) {
		const { Sum, PaymentType } = /** @type {any} */ (payment ?? {});
		if (![0, 1, 2, 3, 4].includes(PaymentType))
			return fail(`Payments[${index}].PaymentType: Недопустимое значение`);
		if (PaymentType === PAYMENT_MOBILE && !protocolAtLeast(rules.ofdProtocol, '2.0.2')) {
			return fail(`Тип платежа 'Мобильные' недоступен для касс с версией протокола ОФД ниже 2.0.2`);
		}
		if (types.has(PaymentType))
			return fail(`Payments[${index}].PaymentType: Тип оплаты указан дважды`);
		types.add(PaymentType);
		if (typeof Sum !== 'number' || Sum < 0)
			return fail(`Payments[${index}].Sum: Недопустимое значение`);
		paid += tiyn(Sum);
	}
	// RoundType 1 and 3 round the receipt's total to whole tenge (LS `RoundTypeEnum`: Total, TotalOnly).
	if (roundType === 1 || roundType === 3) total = Math.round(total / 100) * 100;
	const change = tiyn(Number(body.Change ?? 0));
	if (change < 0) return fail('Change: Недопустимое значение');
	if (paid - change !== total) {
		return fail(
			`Payments: Сумма оплат за вычетом сдачи (${(paid - change) / 100}) не равна итогу чека (${total / 100})`,
		);
	}
	if (body.OperationType === OPERATION_SALE_RETURN || body.OperationType === OPERATION_BUY_RETURN) {
		const basis = body.ReturnBasisDetails;
		if (
			!isObject(basis) ||
			typeof basis.CheckNumber !== 'string' ||
			typeof basis.DateTime !== 'string' ||
			typeof basis.RegistrationNumber !== 'string' ||
			typeof basis.Total !== 'number'
		) {
			return fail('ReturnBasisDetails: Поле обязательно для возврата');
		}
	}
	return { total: total / 100, tax: tax / 100 };
}

/** Sums of one operation type in a shift, shaped like a Z-report section. */
function reportSection(/** @type {Receipt[]} */ receipts, /** @type {number} */ type) {
	const list = receipts.filter((receipt) => receipt.OperationType === type);
	/** @type {Map<number, number>} */
	const byType = new Map();
	for (const receipt of list) {
		for (const payment of receipt.Payments)
			byType.set(payment.PaymentType, (byType.get(payment.PaymentType) ?? 0) + tiyn(payment.Sum));
	}
	return {
		PaymentsByTypesApiModel: [...byType.entries()].map(([Type, sum]) => ({ Sum: sum / 100, Type })),
		Discount: 0,
		Markup: 0,
		Taken: list.reduce((sum, receipt) => sum + receipt.Total + receipt.Change, 0),
		Change: list.reduce((sum, receipt) => sum + receipt.Change, 0),
		Count: list.length,
		TotalCount: list.length,
		VAT: round2(list.reduce((sum, receipt) => sum + receipt.Tax, 0)),
	};
}

/**
 * @param {WebkassaState} state
 * @param {Cashbox} cashbox
 * @param {Shift} shift
 */
function report(state, cashbox, shift) {
	const receipts = state.receipts.filter(
		(receipt) =>
			receipt.cashbox === cashbox.UniqueNumber && receipt.ShiftNumber === shift.ShiftNumber,
	);
	return {
		ReportNumber: shift.reportNumber,
		TaxPayerName: 'ТОО Sandbox',
		TaxPayerIN: '150740001357',
		CashboxUniqueNumber: cashbox.UniqueNumber,
		CashboxRN: cashbox.RegistrationNumber,
		StartOn: webkassaDate(shift.openedAt),
		ReportOn: webkassaDate(Date.now()),
		CloseOn: shift.closedAt === null ? null : webkassaDate(shift.closedAt),
		CashierName: 'Sandbox Cashier',
		ShiftNumber: shift.ShiftNumber,
		DocumentCount: shift.documents,
		PutMoneySum: shift.moneyIn,
		TakeMoneySum: shift.moneyOut,
		SumInCashbox: shift.cash,
		OfflineMode: false,
		Sell: reportSection(receipts, OPERATION_SALE),
		ReturnSell: reportSection(receipts, OPERATION_SALE_RETURN),
	};
}

/** @param {Receipt} receipt */
function historyView(receipt) {
	return {
		Number: receipt.Number,
		CashboxUniqueNumber: receipt.cashbox,
		CashboxRegistrationNumber: receipt.registrationNumber,
		OrderNumber: receipt.OrderNumber,
		ExternalOrderNumber: receipt.ExternalOrderNumber ?? null,
		ExternalCheckNumber: receipt.ExternalCheckNumber,
		RegistratedOn: webkassaDate(receipt.registeredAt),
		ShiftNumber: receipt.ShiftNumber,
		OperationType: receipt.OperationType,
		Payments: receipt.Payments.map((payment) => ({
			Sum: payment.Sum,
			PaymentTypeName: ['Наличные', 'Банковская карта', 'Кредит', 'Тара', 'Мобильный платеж'][
				payment.PaymentType
			],
		})),
		Total: receipt.Total,
		Change: receipt.Change,
		Tax: receipt.Tax,
		Positions: receipt.Positions,
		IsOffline: false,
		TicketUrl: receipt.TicketUrl,
		TicketPrintUrl: receipt.TicketPrintUrl,
	};
}

/**
 * @param {WebkassaState} state
 * @param {AbortSignal} shutdown
 */
function apiRoutes(state, shutdown) {
	const router = new Router();
	/**
	 * v4 and the history API always need the partner key (Postman collection: "ВАЖНО!! В Headers
	 * необходимо указать ваш API KEY"); legacy `/api` only when the profile says so.
	 * @param {import('../lib/http.mjs').RequestContext} ctx
	 */
	const needsKey = (ctx) =>
		!ctx.path.startsWith(`${API_PREFIXES.legacy}/`) ||
		ctx.path.startsWith(`${API_PREFIXES.v4}/`) ||
		state.legacyNeedsKey;

	/**
	 * A return's basis against the original receipt: OFD protocol 2.0.3 matches it to the receipt
	 * of the cashbox that printed it (Webkassa's print-module note on returns). Webkassa's text.
	 * @param {any} basis
	 * @returns {string | undefined}
	 */
	const basisError = (basis) => {
		const original = state.receipts.find((receipt) => receipt.Number === basis.CheckNumber);
		if (!original) return 'ReturnBasisDetails.CheckNumber: Исходный чек не найден';
		if (basis.RegistrationNumber !== original.registrationNumber)
			return 'ReturnBasisDetails.RegistrationNumber: РНМ не совпадает с кассой исходного чека';
		if (tiyn(basis.Total) !== tiyn(original.Total))
			return 'ReturnBasisDetails.Total: Сумма не совпадает с исходным чеком';
		const unit = state.basisTimeMatch === 'minute' ? 60_000 : 1000;
		const at = Date.parse(basis.DateTime);
		if (Number.isNaN(at) || Math.floor(at / unit) !== Math.floor(original.registeredAt / unit)) {
			return 'ReturnBasisDetails.DateTime: Дата не совпадает с исходным чеком';
		}
		return undefined;
	};

	/**
	 * Token and partner key checks, then the handler; `after` faults apply once it stored its work.
	 * @param {string} method
	 * @param {(body: any, ctx: import('../lib/http.mjs').RequestContext) => import('../lib/http.mjs').Reply} handler
	 */
	const authed =
		(method, handler) => async (/** @type {import('../lib/http.mjs').RequestContext} */ ctx) => {
			if (needsKey(ctx) && !ctx.headers['x-api-key'])
				return json({ Errors: [{ Code: -1, Text: 'X-API-KEY header is required' }] }, 401);
			const body = isObject(ctx.body) ? /** @type {any} */ (ctx.body) : {};
			const token = typeof body.Token === 'string' ? body.Token : '';
			if (token === '' || !state.cashier.issued.has(token)) return failure(3);
			if (token === state.cashier.token && state.expireAfterCalls !== null) {
				if (state.expireAfterCalls <= 0) {
					state.cashier.token = null;
					state.expireAfterCalls = null;
				} else state.expireAfterCalls -= 1;
			}
			if (token !== state.cashier.token) return failure(2);
			const reply = handler(body, ctx);
			const fault = state.afterStore.find(
				(candidate) => candidate.method === undefined || candidate.method === method,
			);
			if (
				!fault ||
				reply.status !== 200 ||
				!isObject(reply.body) ||
				!('Data' in reply.body) ||
				'Errors' in reply.body
			)
				return reply;
			fault.remaining -= 1;
			if (fault.remaining <= 0)
				state.afterStore = state.afterStore.filter((candidate) => candidate !== fault);
			if (fault.kind === 'http5xx')
				return json(
					{ Errors: [{ Code: -1, Text: 'Internal server error (sandbox fault after store)' }] },
					fault.status,
				);
			try {
				await sleep(fault.delayMs, undefined, { signal: shutdown });
			} catch {
				// shutting down
			}
			return reply;
		};

	/** Methods below each path family's prefix (Postman collection; WebkassaClient.pas for legacy). */
	/** @type {Record<string, (ctx: import('../lib/http.mjs').RequestContext) => any>} */
	const methods = {
		Authorize: (ctx) => {
			const body = isObject(ctx.body) ? /** @type {any} */ (ctx.body) : {};
			if (needsKey(ctx) && !ctx.headers['x-api-key']) {
				return json({ Errors: [{ Code: -1, Text: 'X-API-KEY header is required' }] }, 401);
			}
			if (
				String(body.Login ?? '').toLowerCase() !== state.cashier.login ||
				body.Password !== state.cashier.password
			)
				return failure(1);
			const token = randomBytes(16).toString('hex');
			state.cashier.token = token;
			state.cashier.issued.add(token);
			state.cashier.logins += 1;
			return success({ Token: token });
		},
		Check: authed('Check', (body, ctx) => {
			const cashbox = findCashbox(state, body.CashboxUniqueNumber);
			if (!cashbox) return failure(6);
			const external = String(body.ExternalCheckNumber ?? '');
			// A repeat answers the original receipt in Data beside code 14, whose text ends with its
			// fiscal number (LS CheckController; elefanto-webkassa reads Data first).
			const original = external
				? state.receipts.find((receipt) => receipt.ExternalCheckNumber === external)
				: undefined;
			if (original) {
				return json({
					Data: original.response,
					Errors: [
						{
							Code: 14,
							Text: `Чек с внешним номером ${external} уже присутствует в системе: ${original.Number}`,
						},
					],
				});
			}
			if (external && state.externalNumbers.has(external)) return failure(14);
			const valid = validateCheck(body, {
				allowedTaxPercents: state.allowedTaxPercents,
				ofdProtocol: cashbox.ofdProtocol,
			});
			if ('error' in valid) return failure(9, valid.error);
			if (body.OperationType === OPERATION_SALE_RETURN) {
				const refused = basisError(body.ReturnBasisDetails);
				if (refused) return failure(9, refused);
			}
			const open = openShift(cashbox);
			if (open && Date.now() - open.openedAt > SHIFT_MAX_MS) return failure(11);
			const shift = currentShift(cashbox);
			const number = String(state.nextFiscal++);
			const now = Date.now();
			const d = new Date(now + ALMATY_OFFSET_MS).toISOString().replace(/[-:]/g, '').slice(0, 15);
			shift.documents += 1;
			const cashPaid = body.Payments.filter((/** @type {any} */ p) => p.PaymentType === 0).reduce(
				(/** @type {number} */ s, /** @type {any} */ p) => s + p.Sum,
				0,
			);
			const cashDelta = round2(cashPaid - Number(body.Change ?? 0));
			shift.cash = round2(
				shift.cash + (body.OperationType === OPERATION_SALE ? cashDelta : -cashDelta),
			);
			/** @type {Receipt} */
			const receipt = {
				Number: number,
				cashbox: cashbox.UniqueNumber,
				registrationNumber: cashbox.RegistrationNumber,
				ShiftNumber: shift.ShiftNumber,
				OrderNumber: shift.documents,
				OperationType: body.OperationType,
				ExternalCheckNumber: external,
				ExternalOrderNumber: body.ExternalOrderNumber,
				registeredAt: now,
				Total: valid.total,
				Change: Number(body.Change ?? 0),
				Tax: valid.tax,
				Positions: body.Positions,
				Payments: body.Payments,
				ReturnBasisDetails: body.ReturnBasisDetails,
				CustomerEmail: body.CustomerEmail,
				CustomerPhone: body.CustomerPhone,
				TicketUrl: `${ctx.baseUrl}/consumer?i=${number}&f=${cashbox.RegistrationNumber}&s=${valid.total.toFixed(2)}&t=${d}`,
				TicketPrintUrl: `${ctx.baseUrl}/spa-ui/ticket?chb=${cashbox.UniqueNumber}&sh=${shift.ShiftNumber}&extnum=${encodeURIComponent(external)}`,
				response: undefined,
			};
			receipt.response = {
				CheckNumber: number,
				DateTime: webkassaDate(now),
				DateTimeUTC: `${webkassaDate(now)} +05:00`,
				OfflineMode: false,
				CashboxOfflineMode: false,
				Cashbox: {
					UniqueNumber: cashbox.UniqueNumber,
					RegistrationNumber: cashbox.RegistrationNumber,
					IdentityNumber: '1',
					Address: 'г. Алматы, sandbox',
				},
				CheckOrderNumber: receipt.OrderNumber,
				ShiftNumber: shift.ShiftNumber,
				EmployeeName: 'Sandbox Cashier',
				TicketUrl: receipt.TicketUrl,
				TicketPrintUrl: receipt.TicketPrintUrl,
				TicketPrintFormat: [],
			};
			state.receipts.push(receipt);
			if (external) state.externalNumbers.add(external);
			return success(receipt.response);
		}),
		'Check/HistoryByNumber': authed('Check/HistoryByNumber', (body) => {
			const cashbox = findCashbox(state, body.CashboxUniqueNumber);
			if (!cashbox) return failure(6);
			if (!cashbox.shifts.some((shift) => shift.ShiftNumber === Number(body.ShiftNumber)))
				return failure(15);
			const receipt = state.receipts.find(
				(candidate) =>
					candidate.cashbox === cashbox.UniqueNumber &&
					candidate.Number === String(body.Number) &&
					candidate.ShiftNumber === Number(body.ShiftNumber),
			);
			return receipt ? success(historyView(receipt)) : failure(16);
		}),
		'Ticket/PrintFormat': authed('Ticket/PrintFormat', (body) => {
			const cashbox = findCashbox(state, body.CashboxUniqueNumber);
			if (!cashbox) return failure(6);
			// LS TicketPrintFormatRequest: IsDuplicate is Required.Always (property names are case-insensitive).
			if (typeof (body.IsDuplicate ?? body.isDuplicate) !== 'boolean')
				return failure(9, 'IsDuplicate: Поле обязательно');
			const receipt = state.receipts.find(
				(candidate) =>
					candidate.cashbox === cashbox.UniqueNumber &&
					candidate.ExternalCheckNumber === String(body.ExternalCheckNumber ?? ''),
			);
			if (!receipt) return failure(19);
			const lines = [
				{ Order: 1, Type: 0, Value: 'ТОО Sandbox', Style: 1 },
				{
					Order: 2,
					Type: 0,
					Value: receipt.OperationType === OPERATION_SALE ? 'ПРОДАЖА' : 'ВОЗВРАТ ПРОДАЖИ',
					Style: 0,
				},
				...receipt.Positions.map((/** @type {any} */ position, /** @type {number} */ index) => ({
					Order: 3 + index,
					Type: 0,
					Value: `${position.PositionName} ${position.Count} x ${position.Price}`,
					Style: 0,
				})),
				{ Order: 100, Type: 0, Value: `ИТОГО: ${receipt.Total.toFixed(2)}`, Style: 1 },
				{ Order: 101, Type: 0, Value: `ФП: ${receipt.Number}`, Style: 0 },
				{ Order: 102, Type: 2, Value: receipt.TicketUrl, Style: 0 },
			];
			return success({ Lines: lines });
		}),
		ZReport: authed('ZReport', (body) => {
			const cashbox = findCashbox(state, body.CashboxUniqueNumber);
			if (!cashbox) return failure(6);
			const shift = openShift(cashbox);
			// LS ZReportDescription: 12 when the last shift is already closed, 13 when none was ever opened.
			if (!shift) return failure(cashbox.shifts.length > 0 ? 12 : 13);
			shift.closedAt = Date.now();
			return success(report(state, cashbox, shift));
		}),
		XReport: authed('XReport', (body) => {
			const cashbox = findCashbox(state, body.CashboxUniqueNumber);
			if (!cashbox) return failure(6);
			const shift = openShift(cashbox);
			if (!shift) return failure(13);
			return success(report(state, cashbox, shift));
		}),
		'Cashbox/ShiftHistory': authed('Cashbox/ShiftHistory', (body) => {
			const cashbox = findCashbox(state, body.CashboxUniqueNumber);
			if (!cashbox) return failure(6);
			const skip = Math.max(0, Number(body.Skip ?? 0));
			const take = Math.max(1, Math.min(100, Number(body.Take ?? 50)));
			// Oldest first, the open shift last (Postman collection's sample: Skip 0 gives shifts 1…4).
			return success({
				CashboxUniqueNumber: cashbox.UniqueNumber,
				Skip: skip,
				Take: take,
				Total: cashbox.shifts.length,
				Shifts: cashbox.shifts.slice(skip, skip + take).map((shift) => ({
					ShiftNumber: shift.ShiftNumber,
					OpenDate: webkassaDate(shift.openedAt),
					...(shift.closedAt === null ? {} : { CloseDate: webkassaDate(shift.closedAt) }),
				})),
			});
		}),
		Cashboxes: authed('Cashboxes', () =>
			success({
				List: state.cashboxes.map((cashbox) => {
					return {
						UniqueNumber: cashbox.UniqueNumber,
						RegistrationNumber: cashbox.RegistrationNumber,
						IdentificationNumber: '1',
						Name: cashbox.Name,
						Description: '',
						IsOffline: false,
						CurrentStatus: cashbox.CurrentStatus,
						// The current or last shift's number (Postman collection).
						Shift: cashbox.shifts.at(-1)?.ShiftNumber ?? 0,
					};
				}),
			}),
		),
		MoneyOperation: authed('MoneyOperation', (body) => {
			const cashbox = findCashbox(state, body.CashboxUniqueNumber);
			if (!cashbox) return failure(6);
			if (![MONEY_IN, MONEY_OUT].includes(body.OperationType))
				return failure(9, 'OperationType: Недопустимое значение');
			if (typeof body.Sum !== 'number' || body.Sum <= 0)
				return failure(9, 'Sum: Недопустимое значение');
			const external = String(body.ExternalCheckNumber ?? '');
			if (external.length > EXTERNAL_NUMBER_MAX)
				return failure(9, `ExternalCheckNumber: Максимальная длина ${EXTERNAL_NUMBER_MAX}`);
			if (external && state.externalNumbers.has(external)) return failure(14);
			const open = openShift(cashbox);
			if (open && Date.now() - open.openedAt > SHIFT_MAX_MS) return failure(11);
			const shift = currentShift(cashbox);
			if (body.OperationType === MONEY_OUT && tiyn(body.Sum) > tiyn(shift.cash)) return failure(8);
			shift.cash = round2(shift.cash + (body.OperationType === MONEY_IN ? body.Sum : -body.Sum));
			if (body.OperationType === MONEY_IN) shift.moneyIn = round2(shift.moneyIn + body.Sum);
			else shift.moneyOut = round2(shift.moneyOut + body.Sum);
			shift.documents += 1;
			if (external) state.externalNumbers.add(external);
			state.moneyOperations.push({
				cashbox: cashbox.UniqueNumber,
				OperationType: body.OperationType,
				Sum: body.Sum,
				ExternalCheckNumber: external,
				ShiftNumber: shift.ShiftNumber,
			});
			return success({
				OfflineMode: false,
				CashboxOfflineMode: false,
				ShiftNumber: shift.ShiftNumber,
				DateTime: webkassaDate(Date.now()),
				Sum: shift.cash,
				Cashbox: {
					UniqueNumber: cashbox.UniqueNumber,
					RegistrationNumber: cashbox.RegistrationNumber,
				},
			});
		}),
	};
	for (const prefix of Object.values(API_PREFIXES)) {
		for (const [method, handler] of Object.entries(methods))
			router.on('POST', `${prefix}/${method}`, handler);
	}
	// The v4 history API's lookup by external number; it needs the shift number (the iiko adapter's notes).
	router.on(
		'POST',
		`${HISTORY_PREFIX}/Ticket/GetTicketByExternalCheckNumber`,
		authed('GetTicketByExternalCheckNumber', (body) => {
			const cashbox = findCashbox(state, body.CashboxUniqueNumber);
			if (!cashbox) return failure(6);
			if (!Number.isInteger(body.ShiftNumber)) return failure(9, 'ShiftNumber: Поле обязательно');
			const receipt = state.receipts.find(
				(candidate) =>
					candidate.cashbox === cashbox.UniqueNumber &&
					candidate.ExternalCheckNumber === String(body.ExternalCheckNumber ?? '') &&
					candidate.ShiftNumber === body.ShiftNumber,
			);
			return receipt
				? success({ CheckNumber: receipt.Number, ...historyView(receipt) })
				: failure(19);
		}),
	);
	// The buyer's links: plain pages, enough for a WhatsApp message to point at something real.
	const ticketPage = (/** @type {Receipt | undefined} */ receipt) =>
		receipt
			? {
					status: 200,
					body: Buffer.from(
						`Фискальный чек ${receipt.Number}\nИтого: ${receipt.Total.toFixed(2)} ₸\n`,
					),
					headers: { 'content-type': 'text/plain; charset=utf-8' },
				}
			: {
					status: 404,
					body: Buffer.from('Чек не найден\n'),
					headers: { 'content-type': 'text/plain; charset=utf-8' },
				};
	router.on('GET', '/consumer', (ctx) =>
		ticketPage(state.receipts.find((receipt) => receipt.Number === ctx.query.i)),
	);
	router.on('GET', '/spa-ui/ticket', (ctx) =>
		ticketPage(
			state.receipts.find(
				(receipt) =>
					receipt.cashbox === ctx.query.chb && receipt.ExternalCheckNumber === ctx.query.extnum,
			),
		),
	);
	return router;
}

/** @param {WebkassaState} state */
function controlRoutes(state) {
	const cashboxOr404 = (/** @type {string} */ number) => {
		const cashbox = findCashbox(state, number);
		if (!cashbox) throw controlError(`No cashbox ${number}`, 404);
		return cashbox;
	};
	return (
		new Router()
			.on('GET', '/state', () =>
				json({
					login: state.cashier.login,
					logins: state.cashier.logins,
					hasToken: state.cashier.token !== null,
					receipts: state.receipts.length,
					moneyOperations: state.moneyOperations.length,
					cashboxes: state.cashboxes.map((cashbox) => ({
						uniqueNumber: cashbox.UniqueNumber,
						shifts: cashbox.shifts.map((shift) => ({
							shiftNumber: shift.ShiftNumber,
							openedAt: new Date(shift.openedAt).toISOString(),
							closedAt: shift.closedAt === null ? null : new Date(shift.closedAt).toISOString(),
							cash: shift.cash,
						})),
					})),
					afterStoreFaults: state.afterStore,
				}),
			)
			.on('GET', '/receipts', (ctx) =>
				json(
					state.receipts
						.filter(
							(receipt) =>
								ctx.query.externalCheckNumber === undefined ||
								receipt.ExternalCheckNumber === ctx.query.externalCheckNumber,
						)
						.map((receipt) => ({
							...receipt,
							registeredAt: new Date(receipt.registeredAt).toISOString(),
						})),
				),
			)
			.on('GET', '/money-operations', () => json(state.moneyOperations))
			// Every issued token stops working (code 2), as after the daily expiry or a login elsewhere;
			// with {"afterCalls": n}, the current token still serves n calls first (expiry mid-run).
			.on('POST', '/tokens/expire', (ctx) => {
				const body = isObject(ctx.body) ? ctx.body : {};
				if (body.afterCalls !== undefined) {
					if (!Number.isInteger(body.afterCalls) || /** @type {number} */ (body.afterCalls) < 0)
						throw controlError('afterCalls must be an integer ≥ 0');
					state.expireAfterCalls = /** @type {number} */ (body.afterCalls);
					return json({ expiresAfterCalls: state.expireAfterCalls });
				}
				state.cashier.token = null;
				return json({ expired: true });
			})
			.on('POST', '/cashboxes', (ctx) => {
				const body = ctx.body;
				if (
					!isObject(body) ||
					typeof body.uniqueNumber !== 'string' ||
					!/^[A-Z0-9]+$/.test(body.uniqueNumber)
				) {
					throw controlError(
						'Body must be {"uniqueNumber": "SWK…", "registrationNumber"?, "name"?, "currentStatus"?, "ofdProtocol"?: "2.0.1"}',
					);
				}
				if (findCashbox(state, body.uniqueNumber))
					throw controlError(`Cashbox ${body.uniqueNumber} exists`, 409);
				/** @type {Cashbox} */
				const cashbox = {
					UniqueNumber: body.uniqueNumber,
					RegistrationNumber:
						typeof body.registrationNumber === 'string'
							? body.registrationNumber
							: `6${String(state.cashboxes.length + 1).padStart(11, '0')}`,
					Name: typeof body.name === 'string' ? body.name : body.uniqueNumber,
					CurrentStatus: typeof body.currentStatus === 'number' ? body.currentStatus : 1,
					ofdProtocol:
						typeof body.ofdProtocol === 'string' && /^\d+(\.\d+)*$/.test(body.ofdProtocol)
							? body.ofdProtocol
							: DEFAULT_OFD_PROTOCOL,
					shifts: [],
				};
				state.cashboxes.push(cashbox);
				return json(
					{ uniqueNumber: cashbox.UniqueNumber, registrationNumber: cashbox.RegistrationNumber },
					201,
				);
			})
			// Where Webkassa varies by account: the organisation's VAT rates, whether legacy calls need
			// the partner key, how exactly a return basis's time must match (docs/services/webkassa.md).
			.on('POST', '/profile', (ctx) => {
				const body = ctx.body;
				const rates = isObject(body) ? body.allowedTaxPercents : undefined;
				if (
					!isObject(body) ||
					(rates !== undefined &&
						!(
							Array.isArray(rates) &&
							rates.every((rate) => Number.isInteger(rate) && rate > 0 && rate < 100)
						)) ||
					(body.legacyNeedsKey !== undefined && typeof body.legacyNeedsKey !== 'boolean') ||
					(body.basisTimeMatch !== undefined &&
						!['second', 'minute'].includes(/** @type {string} */ (body.basisTimeMatch)))
				) {
					throw controlError(
						'Body must be {"allowedTaxPercents"?: [16], "legacyNeedsKey"?: boolean, "basisTimeMatch"?: "second" | "minute"}',
					);
				}
				if (Array.isArray(rates)) state.allowedTaxPercents = /** @type {number[]} */ (rates);
				if (typeof body.legacyNeedsKey === 'boolean') state.legacyNeedsKey = body.legacyNeedsKey;
				if (body.basisTimeMatch === 'second' || body.basisTimeMatch === 'minute')
					state.basisTimeMatch = body.basisTimeMatch;
				return json({
					allowedTaxPercents: state.allowedTaxPercents,
					legacyNeedsKey: state.legacyNeedsKey,
					basisTimeMatch: state.basisTimeMatch,
				});
			})
			.on('POST', '/cashier', (ctx) => {
				const body = ctx.body;
				if (
					!isObject(body) ||
					(body.password !== undefined && typeof body.password !== 'string') ||
					(body.login !== undefined && typeof body.login !== 'string')
				) {
					throw controlError('Body must be {"login"?: string, "password"?: string}');
				}
				if (typeof body.login === 'string') state.cashier.login = body.login.toLowerCase();
				if (typeof body.password === 'string') state.cashier.password = body.password;
				return json({ login: state.cashier.login });
			})
			// Opens (or back-dates) the cashbox's shift, e.g. {"openedHoursAgo": 25} for code 11.
			.on('POST', '/cashboxes/:number/shift', (ctx) => {
				const cashbox = cashboxOr404(ctx.params.number);
				const body = ctx.body;
				if (!isObject(body) || typeof body.openedHoursAgo !== 'number' || body.openedHoursAgo < 0) {
					throw controlError('Body must be {"openedHoursAgo": number ≥ 0}');
				}
				const shift = currentShift(cashbox);
				shift.openedAt = Date.now() - body.openedHoursAgo * HOUR;
				return json({
					shiftNumber: shift.ShiftNumber,
					openedAt: new Date(shift.openedAt).toISOString(),
				});
			})
			// The double-receipt case: the work is stored, then the answer is a 5xx or never comes in time.
			.on('POST', '/faults/after-store', (ctx) => {
				const body = ctx.body;
				if (
					!isObject(body) ||
					!['http5xx', 'timeout'].includes(/** @type {string} */ (body.kind))
				) {
					throw controlError(
						'Body must be {"kind": "http5xx" | "timeout", "times"?: n, "status"?: 5xx, "delayMs"?: ms, "method"?: "Check"}',
					);
				}
				const times = body.times === undefined ? 1 : body.times;
				if (!Number.isInteger(times) || /** @type {number} */ (times) < 1)
					throw controlError('times must be a positive integer');
				/** @type {AfterStoreFault} */
				const fault = {
					kind: /** @type {'http5xx' | 'timeout'} */ (body.kind),
					remaining: /** @type {number} */ (times),
					status:
						typeof body.status === 'number' && body.status >= 500 && body.status <= 599
							? body.status
							: 502,
					delayMs: typeof body.delayMs === 'number' && body.delayMs >= 0 ? body.delayMs : 60_000,
				};
				if (typeof body.method === 'string') fault.method = body.method;
				state.afterStore.push(fault);
				return json(fault, 201);
			})
			.on('DELETE', '/faults/after-store', () => {
				state.afterStore = [];
				return json({ cleared: true });
			})
	);
}

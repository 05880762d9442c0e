// @ts-check
/**
 * Webkassa.kz emulator (webkassa.md): the cashier API under `/webkassa/api/v4/...` and the legacy
 * `/webkassa/api/...`. Everything is HTTP POST with the token in the JSON body, and business errors
 * are HTTP 200 with `Errors[]`, as the real service does.
 *
 * What it enforces: a login invalidates the cashier's previous token (code 2 for it afterwards),
 * the Check fields of webkassa.md §4 with VAT recomputed by `round(sum × p / (100 + p), 2)` (code
 * 9 on a mismatch), a unique `ExternalCheckNumber` (code 14), a shift open for more than 24 h
 * (code 11), cash in the drawer for a withdrawal (code 8).
 *
 * Control routes (`/_control/webkassa/...`): state and receipts, expire every token, change the
 * password, age a shift, and the fault the real world makes dangerous: answer HTTP 5xx or hang
 * **after** the receipt was stored.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import { Router, controlError, isObject, json } from '../lib/http.mjs';
import { webkassaWire } from '../lib/wire.mjs';

const PREFIX = '/webkassa';
export const WEBKASSA_DEFAULT_LOGIN = 'cashier@sandbox.kz';
export const WEBKASSA_DEFAULT_PASSWORD = 'sandbox-webkassa-password';
export const WEBKASSA_DEFAULT_API_KEY = 'WKD-sandbox-webkassa-key';
const HOUR = 3_600_000;
const SHIFT_MAX_MS = 24 * HOUR;
const ALMATY_OFFSET_MS = 5 * HOUR;

const {
	API_PREFIXES,
	WEBKASSA_METHODS,
	EXTERNAL_NUMBER_MAX,
	OPERATION_SALE,
	OPERATION_SALE_RETURN,
	TAX_TYPE_VAT,
	TAX_TYPE_NONE,
	MONEY_IN,
	MONEY_OUT,
} = webkassaWire;

/** Russian texts as Webkassa words them (webkassa.md §3). */
const TEXTS = /** @type {Record<number, string>} */ ({
	1: 'Неверный логин и/или пароль',
	2: 'Срок действия сессии истек',
	3: 'Пользователь не авторизован',
	6: 'Касса не найдена',
	8: 'Недостаточно средств в кассе',
	11: 'Продолжительность смены превышает 24 часа',
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
 */

/**
 * @typedef {object} Cashbox
 * @property {string} UniqueNumber
 * @property {string} RegistrationNumber
 * @property {string} Name
 * @property {number} CurrentStatus
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
 */

/** @param {number} code */
const failure = (code, text = TEXTS[code] ?? 'Ошибка') => json({ Errors: [{ Code: code, Text: text }] });
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
		{ UniqueNumber: 'SWK00000001', RegistrationNumber: '600000000001', Name: 'Sandbox shop', CurrentStatus: 1, shifts: [] },
		{ UniqueNumber: 'SWK00000002', RegistrationNumber: '600000000002', Name: 'Sandbox warehouse', CurrentStatus: 1, shifts: [] },
	];
}

/** @type {import('../lib/service.mjs').ServiceModule} */
export const webkassaService = {
	name: 'webkassa',
	create({ secret = WEBKASSA_DEFAULT_API_KEY, seed }) {
		/** @type {WebkassaState} */
		const state = {
			cashier: { login: WEBKASSA_DEFAULT_LOGIN, password: WEBKASSA_DEFAULT_PASSWORD, token: null, issued: new Set(), logins: 0 },
			apiKey: secret,
			cashboxes: [],
			receipts: [],
			moneyOperations: [],
			externalNumbers: new Set(),
			afterStore: [],
			expireAfterCalls: null,
			nextFiscal: 1_000_000_001,
		};
		const reset = (/** @type {boolean} */ withSeed) => {
			state.cashier = { login: WEBKASSA_DEFAULT_LOGIN, password: WEBKASSA_DEFAULT_PASSWORD, token: null, issued: new Set(), logins: 0 };
			state.cashboxes = seedCashboxes(withSeed);
			state.receipts = [];
			state.moneyOperations = [];
			state.externalNumbers = new Set();
			state.afterStore = [];
			state.expireAfterCalls = null;
			state.nextFiscal = 1_000_000_001;
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
 * The VAT and money rules of webkassa.md §4; returns Webkassa's validation text or undefined.
 * @param {any} body
 * @returns {{ error: string } | { total: number, tax: number }}
 */
export function validateCheck(body) {
	const fail = (/** @type {string} */ error) => ({ error });
	if (![0, 1, OPERATION_SALE, OPERATION_SALE_RETURN].includes(body.OperationType)) {
		return fail('OperationType: Недопустимое значение');
	}
	if (!Array.isArray(body.Positions) || body.Positions.length === 0) return fail('Positions: Поле обязательно');
	if (!Array.isArray(body.Payments) || body.Payments.length === 0) return fail('Payments: Поле обязательно');
	if (typeof body.ExternalCheckNumber === 'string' && body.ExternalCheckNumber.length > EXTERNAL_NUMBER_MAX) {
		return fail(`ExternalCheckNumber: Максимальная длина ${EXTERNAL_NUMBER_MAX}`);
	}
	if (body.CustomerEmail !== undefined && (typeof body.CustomerEmail !== 'string' || body.CustomerEmail.length > 50 || !/^[^\s@]+@[^\s@]+$/.test(body.CustomerEmail))) {
		return fail('CustomerEmail: Неверный формат');
	}
	if (body.CustomerPhone !== undefined && (typeof body.CustomerPhone !== 'string' || body.CustomerPhone.length > 20)) {
		return fail('CustomerPhone: Максимальная длина 20');
	}
	if (body.RoundType !== undefined && ![0, 1, 2, 3].includes(body.RoundType)) return fail('RoundType: Недопустимое значение');
	let total = 0;
	let tax = 0;
	for (const [index, position] of body.Positions.entries()) {
		const at = `Positions[${index}]`;
		if (!isObject(position)) return fail(`${at}: Неверный формат`);
		const { Count, Price, Tax, TaxType, TaxPercent, PositionName, UnitCode } = /** @type {any} */ (position);
		if (typeof Count !== 'number' || Count <= 0 || Count > 4_294_967.295) return fail(`${at}.Count: Недопустимое значение`);
		if (typeof Price !== 'number' || Price < 0 || Price > 999_999_999) return fail(`${at}.Price: Недопустимое значение`);
		if (typeof Tax !== 'number' || Tax < 0) return fail(`${at}.Tax: Недопустимое значение`);
		if (![TAX_TYPE_NONE, TAX_TYPE_VAT].includes(TaxType)) return fail(`${at}.TaxType: Недопустимое значение`);
		if (typeof PositionName !== 'string' || PositionName === '' || PositionName.length > 255) return fail(`${at}.PositionName: Поле обязательно`);
		if (!Number.isInteger(UnitCode)) return fail(`${at}.UnitCode: Поле обязательно`);
		const discount = Number(/** @type {any} */ (position).Discount ?? 0);
		const markup = Number(/** @type {any} */ (position).Markup ?? 0);
		const sum = (Math.round(tiyn(Price) * Count) - tiyn(discount) + tiyn(markup)) / 100;
		if (sum < 0) return fail(`${at}.Discount: Скидка больше суммы позиции`);
		if (TaxType === TAX_TYPE_VAT) {
			if (!Number.isInteger(TaxPercent) || TaxPercent <= 0 || TaxPercent >= 100) return fail(`${at}.TaxPercent: Недопустимое значение`);
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
		if (![0, 1, 2, 3, 4].includes(PaymentType)) return fail(`Payments[${index}].PaymentType: Недопустимое значение`);
		if (types.has(PaymentType)) return fail(`Payments[${index}].PaymentType: Тип оплаты указан дважды`);
		types.add(PaymentType);
		if (typeof Sum !== 'number' || Sum < 0) return fail(`Payments[${index}].Sum: Недопустимое значение`);
		paid += tiyn(Sum);
	}
	const change = tiyn(Number(body.Change ?? 0));
	if (change < 0) return fail('Change: Недопустимое значение');
	if (paid - change !== total) {
		return fail(`Payments: Сумма оплат за вычетом сдачи (${(paid - change) / 100}) не равна итогу чека (${total / 100})`);
	}
	if (body.OperationType === OPERATION_SALE_RETURN || body.OperationType === 1) {
		const basis = body.ReturnBasisDetails;
		if (!isObject(basis) || typeof basis.CheckNumber !== 'string' || typeof basis.DateTime !== 'string' || typeof basis.RegistrationNumber !== 'string' || typeof basis.Total !== 'number') {
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
		for (const payment of receipt.Payments) byType.set(payment.PaymentType, (byType.get(payment.PaymentType) ?? 0) + tiyn(payment.Sum));
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
	const receipts = state.receipts.filter((receipt) => receipt.cashbox === cashbox.UniqueNumber && receipt.ShiftNumber === shift.ShiftNumber);
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
		OrderNumber: receipt.OrderNumber,
		ExternalOrderNumber: receipt.ExternalOrderNumber ?? null,
		ExternalCheckNumber: receipt.ExternalCheckNumber,
		RegistratedOn: webkassaDate(receipt.registeredAt),
		ShiftNumber: receipt.ShiftNumber,
		OperationType: receipt.OperationType,
		Payments: receipt.Payments.map((payment) => ({ Sum: payment.Sum, PaymentTypeName: ['Наличные', 'Банковская карта', 'Кредит', 'Тара', 'Мобильный платеж'][payment.PaymentType] })),
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
	 * Token and partner key checks, then the handler; `after` faults apply once it stored its work.
	 * @param {string} method
	 * @param {(body: any, ctx: import('../lib/http.mjs').RequestContext) => import('../lib/http.mjs').Reply} handler
	 */
	const authed = (method, handler) => async (/** @type {import('../lib/http.mjs').RequestContext} */ ctx) => {
		const v4 = ctx.path.startsWith(`${API_PREFIXES.v4}/`);
		if (v4 && !ctx.headers['x-api-key']) return json({ Errors: [{ Code: -1, Text: 'X-API-KEY header is required' }] }, 401);
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
		const fault = state.afterStore.find((candidate) => candidate.method === undefined || candidate.method === method);
		if (!fault || reply.status !== 200 || !isObject(reply.body) || !('Data' in reply.body)) return reply;
		fault.remaining -= 1;
		if (fault.remaining <= 0) state.afterStore = state.afterStore.filter((candidate) => candidate !== fault);
		if (fault.kind === 'http5xx') return json({ Errors: [{ Code: -1, Text: 'Internal server error (sandbox fault after store)' }] }, fault.status);
		try {
			await sleep(fault.delayMs, undefined, { signal: shutdown });
		} catch {
			// shutting down
		}
		return reply;
	};

	/** @type {Record<string, (ctx: import('../lib/http.mjs').RequestContext) => any>} */
	const methods = {
		[WEBKASSA_METHODS.authorize]: (ctx) => {
			const body = isObject(ctx.body) ? /** @type {any} */ (ctx.body) : {};
			if (ctx.path.startsWith(`${API_PREFIXES.v4}/`) && !ctx.headers['x-api-key']) {
				return json({ Errors: [{ Code: -1, Text: 'X-API-KEY header is required' }] }, 401);
			}
			if (String(body.Login ?? '').toLowerCase() !== state.cashier.login || body.Password !== state.cashier.password) return failure(1);
			const token = randomBytes(16).toString('hex');
			state.cashier.token = token;
			state.cashier.issued.add(token);
			state.cashier.logins += 1;
			return success({ Token: token });
		},
		[WEBKASSA_METHODS.check]: authed('Check', (body, ctx) => {
			const cashbox = findCashbox(state, body.CashboxUniqueNumber);
			if (!cashbox) return failure(6);
			const valid = validateCheck(body);
			if ('error' in valid) return failure(9, valid.error);
			const external = String(body.ExternalCheckNumber ?? '');
			if (external && state.externalNumbers.has(external)) return failure(14);
			const open = openShift(cashbox);
			if (open && Date.now() - open.openedAt > SHIFT_MAX_MS) return failure(11);
			const shift = currentShift(cashbox);
			const number = String(state.nextFiscal++);
			const now = Date.now();
			const d = new Date(now + ALMATY_OFFSET_MS).toISOString().replace(/[-:]/g, '').slice(0, 15);
			shift.documents += 1;
			const cashPaid = body.Payments.filter((/** @type {any} */ p) => p.PaymentType === 0).reduce((/** @type {number} */ s, /** @type {any} */ p) => s + p.Sum, 0);
			const cashDelta = round2(cashPaid - Number(body.Change ?? 0));
			shift.cash = round2(shift.cash + (body.OperationType === OPERATION_SALE ? cashDelta : -cashDelta));
			/** @type {Receipt} */
			const receipt = {
				Number: number,
				cashbox: cashbox.UniqueNumber,
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
			};
			state.receipts.push(receipt);
			if (external) state.externalNumbers.add(external);
			return success({
				CheckNumber: number,
				DateTime: webkassaDate(now),
				DateTimeUTC: `${webkassaDate(now)} +05:00`,
				OfflineMode: false,
				CashboxOfflineMode: false,
				Cashbox: { UniqueNumber: cashbox.UniqueNumber, RegistrationNumber: cashbox.RegistrationNumber, IdentityNumber: '1', Address: 'г. Алматы, sandbox' },
				CheckOrderNumber: receipt.OrderNumber,
				ShiftNumber: shift.ShiftNumber,
				EmployeeName: 'Sandbox Cashier',
				TicketUrl: receipt.TicketUrl,
				TicketPrintUrl: receipt.TicketPrintUrl,
				TicketPrintFormat: [],
			});
		}),
		[WEBKASSA_METHODS.historyByNumber]: authed('Check/HistoryByNumber', (body) => {
			const cashbox = findCashbox(state, body.CashboxUniqueNumber);
			if (!cashbox) return failure(6);
			if (!cashbox.shifts.some((shift) => shift.ShiftNumber === Number(body.ShiftNumber))) return failure(15);
			const receipt = state.receipts.find((candidate) => candidate.cashbox === cashbox.UniqueNumber && candidate.Number === String(body.Number) && candidate.ShiftNumber === Number(body.ShiftNumber));
			return receipt ? success(historyView(receipt)) : failure(16);
		}),
		[WEBKASSA_METHODS.printFormat]: authed('Ticket/PrintFormat', (body) => {
			const cashbox = findCashbox(state, body.CashboxUniqueNumber);
			if (!cashbox) return failure(6);
			const receipt = state.receipts.find((candidate) => candidate.cashbox === cashbox.UniqueNumber && candidate.ExternalCheckNumber === String(body.ExternalCheckNumber ?? ''));
			if (!receipt) return failure(19);
			const lines = [
				{ Order: 1, Type: 0, Value: 'ТОО Sandbox', Style: 1 },
				{ Order: 2, Type: 0, Value: receipt.OperationType === OPERATION_SALE ? 'ПРОДАЖА' : 'ВОЗВРАТ ПРОДАЖИ', Style: 0 },
				...receipt.Positions.map((/** @type {any} */ position, /** @type {number} */ index) => ({ Order: 3 + index, Type: 0, Value: `${position.PositionName} ${position.Count} x ${position.Price}`, Style: 0 })),
				{ Order: 100, Type: 0, Value: `ИТОГО: ${receipt.Total.toFixed(2)}`, Style: 1 },
				{ Order: 101, Type: 0, Value: `ФП: ${receipt.Number}`, Style: 0 },
				{ Order: 102, Type: 2, Value: receipt.TicketUrl, Style: 0 },
			];
			return success({ Lines: lines });
		}),
		[WEBKASSA_METHODS.zReport]: authed('ZReport', (body) => {
			const cashbox = findCashbox(state, body.CashboxUniqueNumber);
			if (!cashbox) return failure(6);
			const shift = openShift(cashbox);
			if (!shift) return failure(13);
			shift.closedAt = Date.now();
			return success(report(state, cashbox, shift));
		}),
		[WEBKASSA_METHODS.xReport]: authed('XReport', (body) => {
			const cashbox = findCashbox(state, body.CashboxUniqueNumber);
			if (!cashbox) return failure(6);
			const shift = openShift(cashbox);
			if (!shift) return failure(13);
			return success(report(state, cashbox, shift));
		}),
		[WEBKASSA_METHODS.shiftHistory]: authed('Cashbox/ShiftHistory', (body) => {
			const cashbox = findCashbox(state, body.CashboxUniqueNumber);
			if (!cashbox) return failure(6);
			const skip = Math.max(0, Number(body.Skip ?? 0));
			const take = Math.max(1, Math.min(100, Number(body.Take ?? 50)));
			const newestFirst = [...cashbox.shifts].reverse();
			return success({
				CashboxUniqueNumber: cashbox.UniqueNumber,
				Skip: skip,
				Take: take,
				Total: newestFirst.length,
				Shifts: newestFirst.slice(skip, skip + take).map((shift) => ({
					ShiftNumber: shift.ShiftNumber,
					OpenDate: webkassaDate(shift.openedAt),
					...(shift.closedAt === null ? {} : { CloseDate: webkassaDate(shift.closedAt) }),
				})),
			});
		}),
		[WEBKASSA_METHODS.cashboxes]: authed('Cashboxes', () =>
			success({
				List: state.cashboxes.map((cashbox) => {
					const open = openShift(cashbox);
					return {
						UniqueNumber: cashbox.UniqueNumber,
						RegistrationNumber: cashbox.RegistrationNumber,
						IdentificationNumber: '1',
						Name: cashbox.Name,
						Description: '',
						IsOffline: false,
						CurrentStatus: cashbox.CurrentStatus,
						Shift: open ? { ShiftNumber: open.ShiftNumber, OpenDate: webkassaDate(open.openedAt) } : null,
					};
				}),
			}),
		),
		[WEBKASSA_METHODS.moneyOperation]: authed('MoneyOperation', (body) => {
			const cashbox = findCashbox(state, body.CashboxUniqueNumber);
			if (!cashbox) return failure(6);
			if (![MONEY_IN, MONEY_OUT].includes(body.OperationType)) return failure(9, 'OperationType: Недопустимое значение');
			if (typeof body.Sum !== 'number' || body.Sum <= 0) return failure(9, 'Sum: Недопустимое значение');
			const external = String(body.ExternalCheckNumber ?? '');
			if (external.length > EXTERNAL_NUMBER_MAX) return failure(9, `ExternalCheckNumber: Максимальная длина ${EXTERNAL_NUMBER_MAX}`);
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
			state.moneyOperations.push({ cashbox: cashbox.UniqueNumber, OperationType: body.OperationType, Sum: body.Sum, ExternalCheckNumber: external, ShiftNumber: shift.ShiftNumber });
			return success({ OfflineMode: false, CashboxOfflineMode: false, ShiftNumber: shift.ShiftNumber, DateTime: webkassaDate(Date.now()), Sum: shift.cash, Cashbox: { UniqueNumber: cashbox.UniqueNumber, RegistrationNumber: cashbox.RegistrationNumber } });
		}),
	};
	for (const prefix of Object.values(API_PREFIXES)) {
		for (const [method, handler] of Object.entries(methods)) router.on('POST', `${prefix}/${method}`, handler);
	}
	// The buyer's links: plain pages, enough for a WhatsApp message to point at something real.
	const ticketPage = (/** @type {Receipt | undefined} */ receipt) =>
		receipt
			? { status: 200, body: Buffer.from(`Фискальный чек ${receipt.Number}\nИтого: ${receipt.Total.toFixed(2)} ₸\n`), headers: { 'content-type': 'text/plain; charset=utf-8' } }
			: { status: 404, body: Buffer.from('Чек не найден\n'), headers: { 'content-type': 'text/plain; charset=utf-8' } };
	router.on('GET', '/consumer', (ctx) => ticketPage(state.receipts.find((receipt) => receipt.Number === ctx.query.i)));
	router.on('GET', '/spa-ui/ticket', (ctx) =>
		ticketPage(state.receipts.find((receipt) => receipt.cashbox === ctx.query.chb && receipt.ExternalCheckNumber === ctx.query.extnum)),
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
	return new Router()
		.on('GET', '/state', () =>
			json({
				login: state.cashier.login,
				logins: state.cashier.logins,
				hasToken: state.cashier.token !== null,
				receipts: state.receipts.length,
				moneyOperations: state.moneyOperations.length,
				cashboxes: state.cashboxes.map((cashbox) => ({
					uniqueNumber: cashbox.UniqueNumber,
					shifts: cashbox.shifts.map((shift) => ({ shiftNumber: shift.ShiftNumber, openedAt: new Date(shift.openedAt).toISOString(), closedAt: shift.closedAt === null ? null : new Date(shift.closedAt).toISOString(), cash: shift.cash })),
				})),
				afterStoreFaults: state.afterStore,
			}),
		)
		.on('GET', '/receipts', (ctx) =>
			json(
				state.receipts
					.filter((receipt) => ctx.query.externalCheckNumber === undefined || receipt.ExternalCheckNumber === ctx.query.externalCheckNumber)
					.map((receipt) => ({ ...receipt, registeredAt: new Date(receipt.registeredAt).toISOString() })),
			),
		)
		.on('GET', '/money-operations', () => json(state.moneyOperations))
		// Every issued token stops working (code 2), as after the daily expiry or a login elsewhere;
		// with {"afterCalls": n}, the current token still serves n calls first (expiry mid-run).
		.on('POST', '/tokens/expire', (ctx) => {
			const body = isObject(ctx.body) ? ctx.body : {};
			if (body.afterCalls !== undefined) {
				if (!Number.isInteger(body.afterCalls) || /** @type {number} */ (body.afterCalls) < 0) throw controlError('afterCalls must be an integer ≥ 0');
				state.expireAfterCalls = /** @type {number} */ (body.afterCalls);
				return json({ expiresAfterCalls: state.expireAfterCalls });
			}
			state.cashier.token = null;
			return json({ expired: true });
		})
		.on('POST', '/cashboxes', (ctx) => {
			const body = ctx.body;
			if (!isObject(body) || typeof body.uniqueNumber !== 'string' || !/^[A-Z0-9]+$/.test(body.uniqueNumber)) {
				throw controlError('Body must be {"uniqueNumber": "SWK…", "registrationNumber"?, "name"?, "currentStatus"?}');
			}
			if (findCashbox(state, body.uniqueNumber)) throw controlError(`Cashbox ${body.uniqueNumber} exists`, 409);
			/** @type {Cashbox} */
			const cashbox = {
				UniqueNumber: body.uniqueNumber,
				RegistrationNumber: typeof body.registrationNumber === 'string' ? body.registrationNumber : `6${String(state.cashboxes.length + 1).padStart(11, '0')}`,
				Name: typeof body.name === 'string' ? body.name : body.uniqueNumber,
				CurrentStatus: typeof body.currentStatus === 'number' ? body.currentStatus : 1,
				shifts: [],
			};
			state.cashboxes.push(cashbox);
			return json({ uniqueNumber: cashbox.UniqueNumber, registrationNumber: cashbox.RegistrationNumber }, 201);
		})
		.on('POST', '/cashier', (ctx) => {
			const body = ctx.body;
			if (!isObject(body) || (body.password !== undefined && typeof body.password !== 'string') || (body.login !== undefined && typeof body.login !== 'string')) {
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
			return json({ shiftNumber: shift.ShiftNumber, openedAt: new Date(shift.openedAt).toISOString() });
		})
		// The double-receipt case: the work is stored, then the answer is a 5xx or never comes in time.
		.on('POST', '/faults/after-store', (ctx) => {
			const body = ctx.body;
			if (!isObject(body) || !['http5xx', 'timeout'].includes(/** @type {string} */ (body.kind))) {
				throw controlError('Body must be {"kind": "http5xx" | "timeout", "times"?: n, "status"?: 5xx, "delayMs"?: ms, "method"?: "Check"}');
			}
			const times = body.times === undefined ? 1 : body.times;
			if (!Number.isInteger(times) || /** @type {number} */ (times) < 1) throw controlError('times must be a positive integer');
			/** @type {AfterStoreFault} */
			const fault = {
				kind: /** @type {'http5xx' | 'timeout'} */ (body.kind),
				remaining: /** @type {number} */ (times),
				status: typeof body.status === 'number' && body.status >= 500 && body.status <= 599 ? body.status : 502,
				delayMs: typeof body.delayMs === 'number' && body.delayMs >= 0 ? body.delayMs : 60_000,
			};
			if (typeof body.method === 'string') fault.method = body.method;
			state.afterStore.push(fault);
			return json(fault, 201);
		})
		.on('DELETE', '/faults/after-store', () => {
			state.afterStore = [];
			return json({ cleared: true });
		});
}

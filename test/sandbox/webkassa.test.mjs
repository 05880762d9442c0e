// @ts-check
/**
 * The Webkassa emulator's contract: login invalidating the previous token, Check validation with
 * VAT recomputed, codes 14 / 11 / 8, reports, lookups, both path families, and the faults that
 * answer badly after the receipt was stored. Run: node --test test/sandbox/webkassa.test.mjs
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import axios from 'axios';

import { startSandbox } from '../../sandbox/server.mjs';
import {
	WEBKASSA_DEFAULT_API_KEY,
	WEBKASSA_DEFAULT_LOGIN,
	WEBKASSA_DEFAULT_PASSWORD,
	expectedTax,
} from '../../sandbox/services/webkassa.mjs';

const CASHBOX = 'SWK00000001';

/** @type {Awaited<ReturnType<typeof startSandbox>>} */
let sandbox;
/** @type {import('axios').AxiosInstance} */
let api;
/** @type {import('axios').AxiosInstance} */
let control;

before(async () => {
	sandbox = await startSandbox();
	api = axios.create({
		baseURL: sandbox.baseUrls.webkassa,
		headers: { 'X-API-KEY': WEBKASSA_DEFAULT_API_KEY },
		validateStatus: () => true,
	});
	control = axios.create({ baseURL: `${sandbox.url}/_control`, validateStatus: () => true });
});
after(() => sandbox.close());
beforeEach(async () => {
	await control.post('/reset', {});
});

async function login() {
	const { data } = await api.post('/api/v4/Authorize', { Login: WEBKASSA_DEFAULT_LOGIN, Password: WEBKASSA_DEFAULT_PASSWORD });
	return /** @type {string} */ (data.Data.Token);
}

/** @param {string} token @param {Record<string, unknown>} [overrides] */
function check(token, overrides = {}) {
	return {
		Token: token,
		CashboxUniqueNumber: CASHBOX,
		OperationType: 2,
		Positions: [{ Count: 1, Price: 19000, Tax: 2035.71, TaxType: 100, TaxPercent: 12, PositionName: 'Телефон', UnitCode: 796 }],
		Payments: [{ Sum: 20000, PaymentType: 0 }],
		Change: 1000,
		RoundType: 2,
		ExternalCheckNumber: 'kaspi-1-sale',
		...overrides,
	};
}

describe('Webkassa sandbox', () => {
	test('VAT formula matches the sheet', () => {
		assert.equal(expectedTax(500, 12), 53.57);
		assert.equal(expectedTax(19000, 12), 2035.71);
	});

	test('login: wrong password is code 1, a new login kills the old token (code 2), none is code 3', async () => {
		const wrong = await api.post('/api/v4/Authorize', { Login: WEBKASSA_DEFAULT_LOGIN, Password: 'nope' });
		assert.equal(wrong.status, 200);
		assert.equal(wrong.data.Errors[0].Code, 1);
		const first = await login();
		const second = await login();
		assert.notEqual(first, second);
		assert.equal((await api.post('/api/v4/Cashboxes', { Token: first })).data.Errors[0].Code, 2);
		assert.equal((await api.post('/api/v4/Cashboxes', { Token: '' })).data.Errors[0].Code, 3);
		assert.equal((await api.post('/api/v4/Cashboxes', { Token: second })).data.Data.List.length, 2);
		await control.post('/webkassa/tokens/expire');
		assert.equal((await api.post('/api/v4/Cashboxes', { Token: second })).data.Errors[0].Code, 2);
	});

	test('v4 needs the partner key; legacy paths do not', async () => {
		const bare = axios.create({ baseURL: sandbox.baseUrls.webkassa, validateStatus: () => true });
		assert.equal((await bare.post('/api/v4/Authorize', { Login: WEBKASSA_DEFAULT_LOGIN, Password: WEBKASSA_DEFAULT_PASSWORD })).status, 401);
		const legacy = await bare.post('/api/Authorize', { Login: WEBKASSA_DEFAULT_LOGIN, Password: WEBKASSA_DEFAULT_PASSWORD });
		assert.equal(typeof legacy.data.Data.Token, 'string');
		assert.equal((await bare.post('/api/Cashboxes', { Token: legacy.data.Data.Token })).data.Data.List.length, 2);
	});

	test('Check stores a receipt, recomputes VAT (code 9) and refuses a repeated external number (14)', async () => {
		const token = await login();
		const badTax = await api.post('/api/v4/Check', check(token, { Positions: [{ Count: 1, Price: 19000, Tax: 2000, TaxType: 100, TaxPercent: 12, PositionName: 'Телефон', UnitCode: 796 }] }));
		assert.equal(badTax.data.Errors[0].Code, 9);
		assert.match(badTax.data.Errors[0].Text, /^Positions\[0\]\.Tax: .*2035\.71/);
		const short = await api.post('/api/v4/Check', check(token, { Change: 2000 }));
		assert.equal(short.data.Errors[0].Code, 9);
		const noBasis = await api.post('/api/v4/Check', check(token, { OperationType: 3, ExternalCheckNumber: 'r' }));
		assert.match(noBasis.data.Errors[0].Text, /^ReturnBasisDetails/);

		const made = await api.post('/api/v4/Check', check(token));
		assert.equal(made.status, 200);
		const data = made.data.Data;
		assert.equal(data.ShiftNumber, 1);
		assert.match(data.TicketUrl, /consumer\?i=\d+&f=600000000001&s=19000\.00/);
		assert.match(data.TicketPrintUrl, /spa-ui\/ticket\?chb=SWK00000001&sh=1&extnum=kaspi-1-sale/);
		assert.equal((await api.post('/api/v4/Check', check(token))).data.Errors[0].Code, 14);
		const receipts = (await control.get('/webkassa/receipts')).data;
		assert.equal(receipts.length, 1);

		const print = await api.post('/api/v4/Ticket/PrintFormat', { Token: token, CashboxUniqueNumber: CASHBOX, ExternalCheckNumber: 'kaspi-1-sale', PaperKind: 0 });
		const qr = print.data.Data.Lines.find((/** @type {any} */ line) => line.Type === 2);
		assert.equal(qr.Value, data.TicketUrl);
		const history = await api.post('/api/v4/Check/HistoryByNumber', { Token: token, CashboxUniqueNumber: CASHBOX, Number: data.CheckNumber, ShiftNumber: 1 });
		assert.equal(history.data.Data.ExternalCheckNumber, 'kaspi-1-sale');
		assert.equal(history.data.Data.Total, 19000);
		const page = await axios.get(data.TicketPrintUrl);
		assert.match(page.data, /Итого: 19000\.00/);
	});

	test('shift: code 11 after 24 h, Z-report closes it and the next receipt opens a new one', async () => {
		const token = await login();
		await control.post(`/webkassa/cashboxes/${CASHBOX}/shift`, { openedHoursAgo: 25 });
		assert.equal((await api.post('/api/v4/Check', check(token))).data.Errors[0].Code, 11);
		const history = await api.post('/api/v4/Cashbox/ShiftHistory', { Token: token, CashboxUniqueNumber: CASHBOX, Skip: 0, Take: 10 });
		assert.equal(history.data.Data.Shifts[0].CloseDate, undefined);
		const z = await api.post('/api/v4/ZReport', { Token: token, CashboxUniqueNumber: CASHBOX });
		assert.equal(z.data.Data.ShiftNumber, 1);
		assert.equal((await api.post('/api/v4/XReport', { Token: token, CashboxUniqueNumber: CASHBOX })).data.Errors[0].Code, 13);
		const made = await api.post('/api/v4/Check', check(token));
		assert.equal(made.data.Data.ShiftNumber, 2);
		const x = await api.post('/api/v4/XReport', { Token: token, CashboxUniqueNumber: CASHBOX });
		assert.deepEqual(x.data.Data.Sell.PaymentsByTypesApiModel, [{ Sum: 20000, Type: 0 }]);
		assert.equal(x.data.Data.SumInCashbox, 19000);
	});

	test('MoneyOperation: in, out, not enough cash (8), duplicate (14)', async () => {
		const token = await login();
		const money = (/** @type {number} */ type, /** @type {number} */ sum, /** @type {string} */ ext) =>
			api.post('/api/v4/MoneyOperation', { Token: token, CashboxUniqueNumber: CASHBOX, OperationType: type, Sum: sum, ExternalCheckNumber: ext });
		assert.equal((await money(0, 5000, 'in-1')).data.Data.Sum, 5000);
		assert.equal((await money(0, 5000, 'in-1')).data.Errors[0].Code, 14);
		assert.equal((await money(1, 6000, 'out-1')).data.Errors[0].Code, 8);
		assert.equal((await money(1, 2000, 'out-2')).data.Data.Sum, 3000);
	});

	test('after-store faults: the receipt is stored although the answer is a 5xx or late', async () => {
		const token = await login();
		await control.post('/webkassa/faults/after-store', { kind: 'http5xx', method: 'Check' });
		const failed = await api.post('/api/v4/Check', check(token));
		assert.equal(failed.status, 502);
		assert.equal((await control.get('/webkassa/receipts')).data.length, 1);
		assert.equal((await api.post('/api/v4/Check', check(token))).data.Errors[0].Code, 14);

		await control.post('/webkassa/faults/after-store', { kind: 'timeout', delayMs: 5000, method: 'Check' });
		const late = await api.post('/api/v4/Check', check(token, { ExternalCheckNumber: 'kaspi-2-sale' }), { timeout: 300 }).catch((error) => error);
		assert.equal(late.code, 'ECONNABORTED');
		assert.equal((await control.get('/webkassa/receipts', { params: { externalCheckNumber: 'kaspi-2-sale' } })).data.length, 1);
	});
});

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
	const { data } = await api.post('/api/v4/Authorize', {
		Login: WEBKASSA_DEFAULT_LOGIN,
		Password: WEBKASSA_DEFAULT_PASSWORD,
	});
	return /** @type {string} */ (data.Data.Token);
}

/** @param {string} token @param {Record<string, unknown>} [overrides] */
function check(token, overrides = {}) {
	return {
		Token: token,
		CashboxUniqueNumber: CASHBOX,
		OperationType: 2,
		Positions: [
			{
				Count: 1,
				Price: 19000,
				Tax: 2035.71,
				TaxType: 100,
				TaxPercent: 12,
				PositionName: 'Телефон',
				UnitCode: 796,
			},
		],
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
		const wrong = await api.post('/api/v4/Authorize', {
			Login: WEBKASSA_DEFAULT_LOGIN,
			Password: 'nope',
		});
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
		assert.equal(
			(
				await bare.post('/api/v4/Authorize', {
					Login: WEBKASSA_DEFAULT_LOGIN,
					Password: WEBKASSA_DEFAULT_PASSWORD,
				})
			).status,
			401,
		);
		const legacy = await bare.post('/api/Authorize', {
			Login: WEBKASSA_DEFAULT_LOGIN,
			Password: WEBKASSA_DEFAULT_PASSWORD,
		});
		assert.equal(typeof legacy.data.Data.Token, 'string');
		assert.equal(
			(await bare.post('/api/Cashboxes', { Token: legacy.data.Data.Token })).data.Data.List.length,
			2,
		);
	});

	test('Check stores a receipt, recomputes VAT (code 9) and refuses a repeated external number (14)', async () => {
		const token = await login();
		const badTax = await api.post(
			'/api/v4/Check',
			check(token, {
				Positions: [
					{
						Count: 1,
						Price: 19000,
						Tax: 2000,
						TaxType: 100,
						TaxPercent: 12,
						PositionName: 'Телефон',
						UnitCode: 796,
					},
				],
			}),
		);
		assert.equal(badTax.data.Errors[0].Code, 9);
		assert.match(badTax.data.Errors[0].Text, /^Positions\[0\]\.Tax: .*2035\.71/);
		const short = await api.post('/api/v4/Check', check(token, { Change: 2000 }));
		assert.equal(short.data.Errors[0].Code, 9);
		const noBasis = await api.post(
			'/api/v4/Check',
			check(token, { OperationType: 3, ExternalCheckNumber: 'r' }),
		);
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

		const print = await api.post('/api/v4/Ticket/PrintFormat', {
			Token: token,
			CashboxUniqueNumber: CASHBOX,
			ExternalCheckNumber: 'kaspi-1-sale',
			PaperKind: 0,
			IsDuplicate: false,
		});
		const qr = print.data.Data.Lines.find((/** @type {any} */ line) => line.Type === 2);
		assert.equal(qr.Value, data.TicketUrl);
		const history = await api.post('/api/v4/Check/HistoryByNumber', {
			Token: token,
			CashboxUniqueNumber: CASHBOX,
			Number: data.CheckNumber,
			ShiftNumber: 1,
		});
		assert.equal(history.data.Data.ExternalCheckNumber, 'kaspi-1-sale');
		assert.equal(history.data.Data.Total, 19000);
		const page = await axios.get(data.TicketPrintUrl);
		assert.match(page.data, /Итого: 19000\.00/);
	});

	test('shift: code 11 after 24 h, Z-report closes it and the next receipt opens a new one', async () => {
		const token = await login();
		await control.post(`/webkassa/cashboxes/${CASHBOX}/shift`, { openedHoursAgo: 25 });
		assert.equal((await api.post('/api/v4/Check', check(token))).data.Errors[0].Code, 11);
		const history = await api.post('/api/v4/Cashbox/ShiftHistory', {
			Token: token,
			CashboxUniqueNumber: CASHBOX,
			Skip: 0,
			Take: 10,
		});
		assert.equal(history.data.Data.Shifts[0].CloseDate, undefined);
		const z = await api.post('/api/v4/ZReport', { Token: token, CashboxUniqueNumber: CASHBOX });
		assert.equal(z.data.Data.ShiftNumber, 1);
		assert.equal(
			(await api.post('/api/v4/XReport', { Token: token, CashboxUniqueNumber: CASHBOX })).data
				.Errors[0].Code,
			13,
		);
		const made = await api.post('/api/v4/Check', check(token));
		assert.equal(made.data.Data.ShiftNumber, 2);
		const x = await api.post('/api/v4/XReport', { Token: token, CashboxUniqueNumber: CASHBOX });
		assert.deepEqual(x.data.Data.Sell.PaymentsByTypesApiModel, [{ Sum: 20000, Type: 0 }]);
		assert.equal(x.data.Data.SumInCashbox, 19000);
	});

	test('MoneyOperation: in, out, not enough cash (8), duplicate (14)', async () => {
		const token = await login();
		const money = (
			/** @type {number} */ type,
			/** @type {number} */ sum,
			/** @type {string} */ ext,
		) =>
			api.post('/api/v4/MoneyOperation', {
				Token: token,
				CashboxUniqueNumber: CASHBOX,
				OperationType: type,
				Sum: sum,
				ExternalCheckNumber: ext,
			});
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

		await control.post('/webkassa/faults/after-store', {
			kind: 'timeout',
			delayMs: 5000,
			method: 'Check',
		});
		const late = await api
			.post('/api/v4/Check', check(token, { ExternalCheckNumber: 'kaspi-2-sale' }), {
				timeout: 300,
			})
			.catch((error) => error);
		assert.equal(late.code, 'ECONNABORTED');
		assert.equal(
			(await control.get('/webkassa/receipts', { params: { externalCheckNumber: 'kaspi-2-sale' } }))
				.data.length,
			1,
		);
	});

	test('shift history lists shifts oldest first, the open one last; Cashboxes[].Shift is the last shift number', async () => {
		const token = await login();
		for (const n of [1, 2, 3]) {
			await api.post('/api/v4/Check', check(token, { ExternalCheckNumber: `shift-${n}` }));
			if (n < 3) await api.post('/api/v4/ZReport', { Token: token, CashboxUniqueNumber: CASHBOX });
		}
		const first = (
			await api.post('/api/v4/Cashbox/ShiftHistory', {
				Token: token,
				CashboxUniqueNumber: CASHBOX,
				Skip: 0,
				Take: 2,
			})
		).data.Data;
		assert.equal(first.Total, 3);
		assert.deepEqual(
			first.Shifts.map((/** @type {any} */ shift) => shift.ShiftNumber),
			[1, 2],
		);
		const last = (
			await api.post('/api/v4/Cashbox/ShiftHistory', {
				Token: token,
				CashboxUniqueNumber: CASHBOX,
				Skip: 2,
				Take: 5,
			})
		).data.Data;
		assert.deepEqual(
			last.Shifts.map((/** @type {any} */ shift) => [
				shift.ShiftNumber,
				shift.CloseDate === undefined,
			]),
			[[3, true]],
		);
		const list = (await api.post('/api/v4/Cashboxes', { Token: token })).data.Data.List;
		assert.equal(
			list.find((/** @type {any} */ cashbox) => cashbox.UniqueNumber === CASHBOX).Shift,
			3,
		);
	});

	test('RoundType 2 rounds every position to whole tenge; RoundType 0 keeps the tiyn (fractional count and price)', async () => {
		const token = await login();
		const positions = [
			{ Count: 0.5, Price: 999, Tax: 0, TaxType: 0, PositionName: 'Сыр, кг', UnitCode: 166 },
			{ Count: 1.25, Price: 100.99, Tax: 0, TaxType: 0, PositionName: 'Кабель, м', UnitCode: 6 },
		];
		const exact = 499.5 + 126.24;
		const wholeTenge = await api.post(
			'/api/v4/Check',
			check(token, {
				Positions: positions,
				Payments: [{ Sum: exact, PaymentType: 1 }],
				Change: 0,
				RoundType: 2,
				ExternalCheckNumber: 'round-2',
			}),
		);
		assert.equal(wholeTenge.data.Errors[0].Code, 9);
		assert.match(wholeTenge.data.Errors[0].Text, /не равна итогу чека \(626\)/);
		const byDefault = await api.post(
			'/api/v4/Check',
			check(token, {
				Positions: positions,
				Payments: [{ Sum: 626, PaymentType: 1 }],
				Change: 0,
				RoundType: undefined,
				ExternalCheckNumber: 'round-default',
			}),
		);
		assert.equal(
			byDefault.data.Data.CheckNumber.length > 0,
			true,
			'without RoundType Webkassa rounds positions (default 2): 500 + 126',
		);
		const tiyn = await api.post(
			'/api/v4/Check',
			check(token, {
				Positions: positions,
				Payments: [{ Sum: exact, PaymentType: 1 }],
				Change: 0,
				RoundType: 0,
				ExternalCheckNumber: 'round-0',
			}),
		);
		assert.equal(tiyn.data.Errors, undefined, JSON.stringify(tiyn.data.Errors));
		const stored = (
			await control.get('/webkassa/receipts', { params: { externalCheckNumber: 'round-0' } })
		).data[0];
		assert.equal(stored.Total, 625.74);
		const vat = await api.post(
			'/api/v4/Check',
			check(token, {
				Positions: [
					{
						Count: 0.5,
						Price: 999,
						Tax: 68.9,
						TaxType: 100,
						TaxPercent: 16,
						PositionName: 'Сыр, кг',
						UnitCode: 166,
					},
				],
				Payments: [{ Sum: 499.5, PaymentType: 1 }],
				Change: 0,
				RoundType: 2,
				ExternalCheckNumber: 'round-vat-2',
			}),
		);
		assert.match(
			vat.data.Errors[0].Text,
			/Tax: .*68\.97/,
			'with RoundType 2 the VAT is taken from the rounded 500',
		);
	});

	test('Z-report: code 13 when no shift was ever opened, 12 once the last shift is closed', async () => {
		const token = await login();
		assert.equal(
			(await api.post('/api/v4/ZReport', { Token: token, CashboxUniqueNumber: CASHBOX })).data
				.Errors[0].Code,
			13,
		);
		await api.post('/api/v4/Check', check(token));
		assert.equal(
			(await api.post('/api/v4/ZReport', { Token: token, CashboxUniqueNumber: CASHBOX })).data.Data
				.ShiftNumber,
			1,
		);
		assert.equal(
			(await api.post('/api/v4/ZReport', { Token: token, CashboxUniqueNumber: CASHBOX })).data
				.Errors[0].Code,
			12,
		);
	});

	test('a repeated external number answers the original receipt in Data beside code 14 naming its fiscal number', async () => {
		const token = await login();
		const made = (await api.post('/api/v4/Check', check(token))).data.Data;
		const again = (await api.post('/api/v4/Check', check(token))).data;
		assert.deepEqual(again.Data, made);
		assert.equal(again.Errors[0].Code, 14);
		assert.ok(again.Errors[0].Text.endsWith(`: ${made.CheckNumber}`), again.Errors[0].Text);
		assert.equal((await control.get('/webkassa/receipts')).data.length, 1);
	});

	test('VAT rates are per organisation: another rate is refused with code 9 naming the position', async () => {
		const token = await login();
		await control.post('/webkassa/profile', { allowedTaxPercents: [] });
		const refused = await api.post('/api/v4/Check', check(token));
		assert.equal(refused.data.Errors[0].Code, 9);
		assert.match(refused.data.Errors[0].Text, /Позиция 'Телефон' .*налоговой ставки/);
		const noVat = await api.post(
			'/api/v4/Check',
			check(token, {
				Positions: [
					{ Count: 1, Price: 19000, Tax: 0, TaxType: 0, PositionName: 'Телефон', UnitCode: 796 },
				],
				ExternalCheckNumber: 'no-vat',
			}),
		);
		assert.equal(noVat.data.Errors, undefined);
	});

	test('unit codes come from Webkassa’s reference: 0 is refused, 166 (kg) is taken', async () => {
		const token = await login();
		const zero = await api.post(
			'/api/v4/Check',
			check(token, {
				Positions: [
					{
						Count: 1,
						Price: 19000,
						Tax: 2035.71,
						TaxType: 100,
						TaxPercent: 12,
						PositionName: 'Телефон',
						UnitCode: 0,
					},
				],
			}),
		);
		assert.match(zero.data.Errors[0].Text, /^Positions\[0\]\.UnitCode/);
		const kg = await api.post(
			'/api/v4/Check',
			check(token, {
				Positions: [
					{
						Count: 1,
						Price: 19000,
						Tax: 2035.71,
						TaxType: 100,
						TaxPercent: 12,
						PositionName: 'Телефон',
						UnitCode: 166,
					},
				],
			}),
		);
		assert.equal(kg.data.Errors, undefined);
	});

	test('payment type 4 (mobile) is refused on a cashbox with OFD protocol below 2.0.2', async () => {
		await control.post('/webkassa/cashboxes', {
			uniqueNumber: 'SWK00000201',
			ofdProtocol: '2.0.1',
		});
		const token = await login();
		const mobile = { Payments: [{ Sum: 19000, PaymentType: 4 }], Change: 0 };
		const old = await api.post(
			'/api/v4/Check',
			check(token, { ...mobile, CashboxUniqueNumber: 'SWK00000201', ExternalCheckNumber: 'm-old' }),
		);
		assert.match(old.data.Errors[0].Text, /Мобильные.*2\.0\.2/);
		const current = await api.post(
			'/api/v4/Check',
			check(token, { ...mobile, ExternalCheckNumber: 'm-new' }),
		);
		assert.equal(current.data.Errors, undefined);
	});

	test('legacy /api without the key works by default and is refused when the profile requires it', async () => {
		const bare = axios.create({ baseURL: sandbox.baseUrls.webkassa, validateStatus: () => true });
		const body = { Login: WEBKASSA_DEFAULT_LOGIN, Password: WEBKASSA_DEFAULT_PASSWORD };
		assert.equal(typeof (await bare.post('/api/Authorize', body)).data.Data.Token, 'string');
		await control.post('/webkassa/profile', { legacyNeedsKey: true });
		assert.equal((await bare.post('/api/Authorize', body)).status, 401);
		assert.equal(typeof (await api.post('/api/Authorize', body)).data.Data.Token, 'string');
	});

	test('PrintFormat requires IsDuplicate', async () => {
		const token = await login();
		await api.post('/api/v4/Check', check(token));
		const without = await api.post('/api/v4/Ticket/PrintFormat', {
			Token: token,
			CashboxUniqueNumber: CASHBOX,
			ExternalCheckNumber: 'kaspi-1-sale',
			PaperKind: 0,
		});
		assert.match(without.data.Errors[0].Text, /^IsDuplicate/);
		const withIt = await api.post('/api/v4/Ticket/PrintFormat', {
			Token: token,
			CashboxUniqueNumber: CASHBOX,
			ExternalCheckNumber: 'kaspi-1-sale',
			PaperKind: 0,
			IsDuplicate: false,
		});
		assert.ok(withIt.data.Data.Lines.length > 0);
	});

	test('a return basis must match the original receipt: its cashbox RNM, total and time to the second', async () => {
		const token = await login();
		const sale = (await api.post('/api/v4/Check', check(token))).data.Data;
		const saleTime = (await control.get('/webkassa/receipts')).data[0].registeredAt;
		const basis = {
			CheckNumber: sale.CheckNumber,
			DateTime: saleTime,
			RegistrationNumber: '600000000001',
			Total: 19000,
			IsOffline: false,
		};
		const ret = (/** @type {string} */ ext, /** @type {object} */ details) =>
			api.post(
				'/api/v4/Check',
				check(token, { OperationType: 3, ExternalCheckNumber: ext, ReturnBasisDetails: details }),
			);
		assert.match(
			(await ret('r-rnm', { ...basis, RegistrationNumber: '600000000002' })).data.Errors[0].Text,
			/RegistrationNumber/,
		);
		assert.match((await ret('r-total', { ...basis, Total: 18000 })).data.Errors[0].Text, /Total/);
		const secondLater = new Date(Date.parse(saleTime) + 1000).toISOString();
		assert.match(
			(await ret('r-time', { ...basis, DateTime: secondLater })).data.Errors[0].Text,
			/DateTime/,
		);
		assert.equal((await ret('r-ok', basis)).data.Errors, undefined);
		const history = (
			await api.post('/api/v4/Check/HistoryByNumber', {
				Token: token,
				CashboxUniqueNumber: CASHBOX,
				Number: sale.CheckNumber,
				ShiftNumber: 1,
			})
		).data.Data;
		assert.equal(history.CashboxRegistrationNumber, '600000000001');
	});

	test('the v4 history API finds a receipt by external number in a given shift', async () => {
		const token = await login();
		const sale = (await api.post('/api/v4/Check', check(token))).data.Data;
		const lookup = (/** @type {object} */ extra) =>
			api.post('/api-history/v4/Ticket/GetTicketByExternalCheckNumber', {
				Token: token,
				CashboxUniqueNumber: CASHBOX,
				ExternalCheckNumber: 'kaspi-1-sale',
				...extra,
			});
		assert.equal((await lookup({ ShiftNumber: 1 })).data.Data.CheckNumber, sale.CheckNumber);
		assert.equal((await lookup({ ShiftNumber: 2 })).data.Errors[0].Code, 19);
		assert.equal((await lookup({})).data.Errors[0].Code, 9);
	});

	test('imports nothing from nodes/ or dist/', async () => {
		const { readFile } = await import('node:fs/promises');
		const source = await readFile(
			new URL('../../sandbox/services/webkassa.mjs', import.meta.url),
			'utf8',
		);
		const imports = [...source.matchAll(/^import .* from '([^']+)';$/gm)].map((match) => match[1]);
		assert.ok(imports.length > 0);
		assert.deepEqual(
			imports.filter((path) => /nodes\/|dist\/|wire\.mjs/.test(path)),
			[],
		);
	});
});

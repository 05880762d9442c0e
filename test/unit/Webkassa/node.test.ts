import nock from 'nock';
import type { IDataObject, ILoadOptionsFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { WebkassaApi } from '../../../credentials/WebkassaApi.credentials';
import { describeWebkassaError } from '../../../nodes/Webkassa/transport/errors';
import { tryWebkassa } from '../../../nodes/Webkassa/transport';
import { resetSessions } from '../../../nodes/Webkassa/transport/session';
import { positionSum, vatIncluded } from '../../../nodes/Webkassa/helpers/vat';
import { buildPayments } from '../../../nodes/Webkassa/helpers/payments';
import { buildPositions } from '../../../nodes/Webkassa/helpers/positions';
import { searchCashboxes } from '../../../nodes/Webkassa/methods/listSearch';
import { classifyThrown } from '../../../nodes/shared/http';
import { httpRequest, testNode } from '../../helpers/context';
import { errorText, rejectionOf } from '../../helpers/http';
import {
	API_KEY,
	CASHBOX,
	cashboxRL,
	err,
	LOGIN,
	ok,
	PASSWORD,
	reply,
	runWebkassa,
	sale,
	STORED_TOKEN,
	webkassaContext,
	webkassaCredentials,
	wk,
	WK_URL,
} from '../../helpers/webkassa';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual<typeof import('n8n-workflow')>('n8n-workflow');
	return { ...actual, sleep: jest.fn(async () => undefined) };
});

const NEW_TOKEN = 'b'.repeat(32);

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
beforeEach(() => resetSessions());
afterEach(() => {
	const pending = nock.pendingMocks();
	nock.cleanAll();
	expect(pending).toEqual([]);
});

function checkData(overrides: IDataObject = {}): IDataObject {
	return {
		CheckNumber: '1675760809473',
		DateTime: '22.11.2026 14:05:11',
		OfflineMode: false,
		Cashbox: { UniqueNumber: CASHBOX, RegistrationNumber: '660377756642' },
		CheckOrderNumber: 28,
		ShiftNumber: 154,
		TicketUrl: 'http://consumer.test/?i=1675760809473&f=660377756642&s=8500.00&t=20261122T140511',
		TicketPrintUrl: `${WK_URL}/spa-ui/ticket?chb=${CASHBOX}&sh=154&extnum=kaspi-1042-sale`,
		...overrides,
	};
}

function historyReceipt(overrides: IDataObject = {}): IDataObject {
	return {
		Number: '1675760809473',
		ShiftNumber: 154,
		ExternalCheckNumber: 'kaspi-1042-sale',
		RegistratedOn: '22.11.2026 14:05:11',
		OperationType: 2,
		Total: 8500,
		IsOffline: false,
		TicketUrl: 'http://consumer.test/?i=1675760809473&f=660377756642&s=8500.00&t=20261122T140511',
		TicketPrintUrl: `${WK_URL}/spa-ui/ticket?chb=${CASHBOX}&sh=154&extnum=kaspi-1042-sale`,
		...overrides,
	};
}

const printLines = (fiscal: string) =>
	ok({
		Lines: [
			{ Order: 1, Type: 0, Value: 'ТОО Пример', Style: 1 },
			{
				Order: 2,
				Type: 2,
				Value: `http://consumer.test/?i=${fiscal}&f=660377756642&s=8500.00&t=20261122T140511`,
			},
		],
	});

/** Code 14 as Webkassa answers it: the original receipt in Data, its fiscal number in the text. */
const duplicate = () => ({
	Data: checkData(),
	Errors: [
		{
			Code: 14,
			Text: 'Чек с внешним номером kaspi-1042-sale уже присутствует в системе: 1675760809473',
		},
	],
});

const oneShift = ok({
	Total: 1,
	Skip: 0,
	Take: 1,
	Shifts: [{ ShiftNumber: 154, OpenDate: '22.11.2026 09:00:00' }],
});

/** Neither the direct lookup (v4 history API) nor the print form knows the external number. */
function notFoundByExternalNumber() {
	reply('/api/v4/Cashbox/ShiftHistory', [oneShift]);
	reply('/api-history/v4/Ticket/GetTicketByExternalCheckNumber', [err(19, 'Чек не найден')]);
	reply('/api/v4/Ticket/PrintFormat', [err(19, 'Чек не найден')]);
}

describe('Webkassa › VAT arithmetic (docs/services/webkassa.md, "VAT")', () => {
	it.each([
		[500, 12, 53.57],
		[19000, 12, 2035.71],
		[558, 12, 59.79],
		[150, 12, 16.07],
		[5894, 12, 631.5],
		[8500, 16, 1172.41],
		[1000, 0, 0],
	])('VAT inside %p at %p%% is %p', (sum, rate, tax) => {
		expect(vatIncluded(sum, rate)).toBe(tax);
	});

	it('computes the position sum in tiyn', () => {
		expect(positionSum(0.1, 3)).toBe(0.3);
		expect(positionSum(4500, 2, 500)).toBe(8500);
	});

	it('gives each position its own or the receipt rate, TaxType 100 only with VAT', () => {
		const { positions, total } = buildPositions(
			[
				{ name: 'A', count: 1, price: 500, discount: 0, unitCode: 796, vatRate: 12 },
				{ name: 'B', count: 1, price: 19000, discount: 0, unitCode: 796 },
				{ name: 'C', count: 2, price: 100, discount: 0, unitCode: 796, vatRate: 0 },
			],
			12,
		);
		expect(positions.map((p) => [p.Tax, p.TaxType, p.TaxPercent])).toEqual([
			[53.57, 100, 12],
			[2035.71, 100, 12],
			[0, 0, undefined],
		]);
		expect(total).toBe(19700);
	});

	it('splits payments, gives change from cash only, and refuses short payments', () => {
		expect(
			buildPayments(19085, 'split', [
				{ method: 'card', amount: 18235 },
				{ method: 'cash', amount: 1000 },
			]),
		).toEqual({
			payments: [
				{ Sum: 18235, PaymentType: 1 },
				{ Sum: 1000, PaymentType: 0 },
			],
			change: 150,
		});
		expect(buildPayments(100, 'cash', [{ method: 'cash', amount: 0 }])).toEqual({
			payments: [{ Sum: 100, PaymentType: 0 }],
			change: 0,
		});
		expect(buildPayments(100, 'split', [{ method: 'card', amount: 150 }])).toEqual({
			error: 'The payments exceed the total by 50, but only cash can give change',
		});
		expect(
			buildPayments(100, 'split', [
				{ method: 'mobile', amount: 60 },
				{ method: 'mobile', amount: 30 },
			]),
		).toEqual({
			error: 'The payments (90) are less than the total (100)',
		});
	});
});

describe('Webkassa › error codes', () => {
	it.each([
		[1, 'Неверный логин и/или пароль', 'Webkassa error 1: wrong login or password'],
		[2, 'Срок действия сессии истек', 'Webkassa error 2: the session token has expired'],
		[
			11,
			'Продолжительность смены превышает 24 часа',
			'Webkassa error 11: the shift has been open for more than 24 hours',
		],
		[
			14,
			'Дублирующийся код системы-источника',
			'Webkassa error 14: this external number was already used (duplicate receipt)',
		],
		[999, 'Что-то новое', 'Webkassa error 999: unexpected error'],
	])('maps code %p to English and keeps the Russian text', (code, text, message) => {
		const described = describeWebkassaError({ Code: code, Text: text });
		expect(described.message).toBe(message);
		expect(described.description).toContain(`«${text}»`);
	});
});

describe('Webkassa › Receipt › Create Sale', () => {
	it('sends the token in the body, VAT by the formula, TaxType 100, and outputs the receipt', async () => {
		const bodies = reply('/api/v4/Check', [ok(checkData())]);
		const { output } = await runWebkassa({
			parameters: sale({
				options: {
					customerEmail: 'buyer@example.kz',
					customerPhone: '8 701 123 45 67',
					externalOrderNumber: '1042',
				},
			}),
		});
		expect(bodies[0]).toEqual({
			Token: STORED_TOKEN,
			CashboxUniqueNumber: CASHBOX,
			OperationType: 2,
			Positions: [
				{
					Count: 2,
					Price: 4500,
					Discount: 500,
					Tax: 1172.41,
					TaxType: 100,
					TaxPercent: 16,
					PositionName: 'Мышь Logitech M185',
					PositionCode: 'AS-36291',
					UnitCode: 796,
				},
			],
			Payments: [{ Sum: 8500, PaymentType: 1 }],
			Change: 0,
			RoundType: 0,
			ExternalCheckNumber: 'kaspi-1042-sale',
			CustomerEmail: 'buyer@example.kz',
			CustomerPhone: '+77011234567',
			ExternalOrderNumber: '1042',
		});
		expect(output).toEqual([
			{
				json: {
					operation: 'sale',
					duplicate: false,
					externalCheckNumber: 'kaspi-1042-sale',
					fiscalNumber: '1675760809473',
					shiftNumber: 154,
					checkOrderNumber: 28,
					dateTime: '2026-11-22T09:05:11.000Z',
					total: 8500,
					change: 0,
					ticketUrl: checkData().TicketUrl,
					ticketPrintUrl: checkData().TicketPrintUrl,
					offline: false,
					cashboxUniqueNumber: CASHBOX,
					registrationNumber: '660377756642',
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('takes positions from JSON with their own VAT rates and computes cash change', async () => {
		const bodies = reply('/api/v4/Check', [ok(checkData())]);
		await runWebkassa({
			parameters: sale({
				positionsSource: 'json',
				positionsJson: [
					{ name: 'Чехол', code: 'C1', count: 1, price: 500, vatRate: 12 },
					{ name: 'Доставка', count: 1, price: 1000, vatRate: 0, unitCode: 839 },
				],
				vatRate: '16',
				paymentMethod: 'cash',
				cashReceived: 2000,
			}),
		});
		expect(bodies[0].Positions).toEqual([
			{
				Count: 1,
				Price: 500,
				Tax: 53.57,
				TaxType: 100,
				TaxPercent: 12,
				PositionName: 'Чехол',
				PositionCode: 'C1',
				UnitCode: 796,
			},
			{ Count: 1, Price: 1000, Tax: 0, TaxType: 0, PositionName: 'Доставка', UnitCode: 839 },
		]);
		expect(bodies[0].Payments).toEqual([{ Sum: 2000, PaymentType: 0 }]);
		expect(bodies[0].Change).toBe(500);
	});

	it('returns the existing receipt with duplicate: true on code 14', async () => {
		reply('/api/v4/Check', [duplicate()]);
		const { output } = await runWebkassa({ parameters: sale() });
		expect(output[0].json).toMatchObject({
			operation: 'sale',
			duplicate: true,
			fiscalNumber: '1675760809473',
			shiftNumber: 154,
			externalCheckNumber: 'kaspi-1042-sale',
			ticketPrintUrl: checkData().TicketPrintUrl,
			offline: false,
		});
	});

	it.each([
		['a 5xx', () => wk().post('/api/v4/Check').reply(502, 'Bad Gateway')],
		[
			'a timeout wrapped the way n8n wraps it',
			() =>
				wk()
					.post('/api/v4/Check')
					.replyWithError(
						Object.assign(new Error('timeout of 30000ms exceeded'), { code: 'ECONNABORTED' }),
					),
		],
	])(
		'repeats a receipt after %s and returns the stored one as a duplicate, never a second receipt',
		async (_case, lostAnswer) => {
			lostAnswer();
			reply('/api/v4/Check', [duplicate()]);
			const { output } = await runWebkassa({ parameters: sale() });
			expect(output[0].json).toMatchObject({ duplicate: true, fiscalNumber: '1675760809473' });
		},
	);

	it('reads the network code n8n keeps only as httpCode', () => {
		const timeout = new NodeApiError(
			testNode,
			Object.assign(new Error('timeout of 30000ms exceeded'), {
				code: 'ECONNABORTED',
			}) as unknown as JsonObject,
		);
		expect(timeout.message).not.toMatch(/timeout|timed out/i);
		expect(classifyThrown(timeout)).toBe('timeout');
		const refused = new NodeApiError(
			testNode,
			Object.assign(new Error('connect ECONNREFUSED'), {
				code: 'ECONNREFUSED',
			}) as unknown as JsonObject,
		);
		expect(classifyThrown(refused)).toBe('unreachable');
	});

	it('renews an expired token once (code 2), stores it, and retries with it', async () => {
		const checks = reply('/api/v4/Check', [err(2, 'Срок действия сессии истек'), ok(checkData())]);
		const logins = reply('/api/v4/Authorize', [ok({ Token: NEW_TOKEN })]);
		const { output, run } = await runWebkassa({ parameters: sale() });
		expect(logins).toEqual([{ Login: LOGIN, Password: PASSWORD }]);
		expect(checks.map((body) => body.Token)).toEqual([STORED_TOKEN, NEW_TOKEN]);
		expect(run.db.sessionToken).toBe(NEW_TOKEN);
		expect(run.logins).toBe(1);
		expect(output[0].json.fiscalNumber).toBe('1675760809473');
	});

	it('logs in first when no token is stored yet', async () => {
		reply('/api/v4/Authorize', [ok({ Token: NEW_TOKEN })]);
		const checks = reply('/api/v4/Check', [ok(checkData())]);
		const { run } = await runWebkassa({
			parameters: sale(),
			db: webkassaCredentials({ sessionToken: '' }),
		});
		expect(checks[0].Token).toBe(NEW_TOKEN);
		expect(run.db.sessionToken).toBe(NEW_TOKEN);
	});

	it('reports a changed password as a login failure, without the password', async () => {
		reply('/api/v4/Check', [err(2, 'Срок действия сессии истек')]);
		reply('/api/v4/Authorize', [err(1, 'Неверный логин и/или пароль')]);
		const error = await rejectionOf(runWebkassa({ parameters: sale() }));
		expect(error.message).toBe('Webkassa login failed: wrong login or password (code 1)');
		expect(error.description).toContain('«Неверный логин и/или пароль»');
		expect(errorText(error)).not.toContain(PASSWORD);
		expect(errorText(error)).not.toContain(STORED_TOKEN);
	});

	it('does not send a refused password again for a while, but tries a changed one at once', async () => {
		const expired = err(2, 'Срок действия сессии истек');
		reply('/api/v4/Check', [expired, expired, expired, ok(checkData())]);
		const logins = reply('/api/v4/Authorize', [
			err(1, 'Неверный логин и/или пароль'),
			ok({ Token: NEW_TOKEN }),
		]);
		await expect(runWebkassa({ parameters: sale() })).rejects.toThrow('wrong login or password');
		const again = await rejectionOf(runWebkassa({ parameters: sale() }));
		expect(again.message).toBe('Webkassa login failed: wrong login or password (code 1)');
		expect(again.description).toContain('not tried again');
		expect(logins).toHaveLength(1);
		const { output } = await runWebkassa({
			parameters: sale(),
			db: webkassaCredentials({ password: 'fixed-pw' }),
		});
		expect(logins.map((body) => body.Password)).toEqual([PASSWORD, 'fixed-pw']);
		expect(output[0].json.fiscalNumber).toBe('1675760809473');
	});

	it('gives up after one renewal when the new token is refused as well', async () => {
		reply('/api/v4/Check', [
			err(2, 'Срок действия сессии истек'),
			err(2, 'Срок действия сессии истек'),
		]);
		reply('/api/v4/Authorize', [ok({ Token: NEW_TOKEN })]);
		const error = await rejectionOf(runWebkassa({ parameters: sale() }));
		expect(error.message).toBe('Webkassa error 2: the session token has expired');
	});

	it('shares one login between executions that find the token expired together', async () => {
		reply('/api/v4/Cashboxes', [
			err(2, 'Срок действия сессии истек'),
			err(2, 'Срок действия сессии истек'),
			ok({ List: [] }),
			ok({ List: [] }),
		]);
		const logins = reply('/api/v4/Authorize', [ok({ Token: NEW_TOKEN })]);
		const db = webkassaCredentials();
		const first = webkassaContext({ parameters: {}, db });
		const second = webkassaContext({ parameters: {}, db });
		const results = await Promise.all([
			tryWebkassa(first.context, 'cashboxes', {}),
			tryWebkassa(second.context, 'cashboxes', {}),
		]);
		expect(results.every((result) => result.ok)).toBe(true);
		expect(logins).toHaveLength(1);
	});

	it('retries with a token another execution already renewed instead of logging in again', async () => {
		reply('/api/v4/Authorize', [ok({ Token: NEW_TOKEN })]);
		reply('/api/v4/Cashboxes', [ok({ List: [] })]);
		const renewer = webkassaContext({ parameters: {} });
		const stale = webkassaCredentials();
		await tryWebkassa(renewer.context, 'cashboxes', {}, { forceLogin: true });
		// This execution read the credential before the renewal was stored.
		const late = webkassaContext({ parameters: {}, db: stale });
		const bodies = reply('/api/v4/Cashboxes', [
			err(2, 'Срок действия сессии истек'),
			ok({ List: [] }),
		]);
		const result = await tryWebkassa(late.context, 'cashboxes', {});
		expect(result.ok).toBe(true);
		expect(bodies.map((body) => body.Token)).toEqual([STORED_TOKEN, NEW_TOKEN]);
		expect(late.logins).toBe(0);
	});

	it('fails on code 11 by default, with the English message and the Russian text', async () => {
		reply('/api/v4/Check', [err(11, 'Продолжительность смены превышает 24 часа')]);
		const error = await rejectionOf(runWebkassa({ parameters: sale() }));
		expect(error.message).toBe('Webkassa error 11: the shift has been open for more than 24 hours');
		expect(error.description).toContain('«Продолжительность смены превышает 24 часа»');
	});

	it('closes the shift and retries on code 11 when the option is on', async () => {
		reply('/api/v4/Check', [
			err(11, 'Продолжительность смены превышает 24 часа'),
			ok(checkData({ ShiftNumber: 155 })),
		]);
		const z = reply('/api/v4/ZReport', [ok({ ShiftNumber: 154, ReportNumber: 154 })]);
		const { output } = await runWebkassa({
			parameters: sale({ options: { closeShiftWhenExpired: true } }),
		});
		expect(z[0]).toEqual({ Token: STORED_TOKEN, CashboxUniqueNumber: CASHBOX });
		expect(output[0].json.shiftNumber).toBe(155);
	});

	it('maps a validation error (code 9) and honours continueOnFail', async () => {
		reply('/api/v4/Check', [err(9, 'Positions[0].Tax: Неверная сумма налога')]);
		const { output } = await runWebkassa({ parameters: sale(), continueOnFail: true });
		expect(output[0].json).toEqual({
			error: 'Webkassa error 9: the request failed validation',
			description: expect.stringContaining('«Positions[0].Tax: Неверная сумма налога»'),
		});
		expect(output[0].pairedItem).toEqual({ item: 0 });
		// Marked, so "Continue (using error output)" sends it to the error output.
		expect(output[0].error?.message).toBe('Webkassa error 9: the request failed validation');
	});

	it('refuses a missing external number and short payments before calling Webkassa', async () => {
		await expect(runWebkassa({ parameters: sale({ externalCheckNumber: ' ' }) })).rejects.toThrow(
			'External Number is empty',
		);
		await expect(
			runWebkassa({ parameters: sale({ externalCheckNumber: 'x'.repeat(51) }) }),
		).rejects.toThrow('longer than 50');
		await expect(
			runWebkassa({
				parameters: sale({
					paymentMethod: 'split',
					payments: { payment: [{ method: 'card', amount: 100 }] },
				}),
			}),
		).rejects.toThrow('less than the total');
	});

	it('uses the legacy path family', async () => {
		nock(WK_URL).post('/api/Check').reply(200, ok(checkData()));
		await runWebkassa({
			parameters: sale(),
			db: webkassaCredentials({ apiFamily: 'legacy', apiKey: '' }),
		});
	});
});

describe('Webkassa › Receipt › Create Return', () => {
	it('finds the original sale and sends its ReturnBasisDetails', async () => {
		reply('/api/v4/Cashbox/ShiftHistory', [oneShift]);
		reply('/api-history/v4/Ticket/GetTicketByExternalCheckNumber', [err(19, 'Чек не найден')]);
		reply('/api/v4/Ticket/PrintFormat', [printLines('1675760809473')]);
		reply('/api/v4/Cashbox/ShiftHistory', [oneShift]);
		reply('/api/v4/Check/HistoryByNumber', [
			ok(historyReceipt({ CashboxRegistrationNumber: '660377756642' })),
		]);
		const checks = reply('/api/v4/Check', [ok(checkData({ CheckNumber: '999' }))]);
		const { output } = await runWebkassa({
			parameters: sale({
				operation: 'createReturn',
				externalCheckNumber: 'kaspi-1042-return',
				returnBasisSource: 'externalNumber',
				originalExternalNumber: 'kaspi-1042-sale',
			}),
		});
		expect(checks[0].OperationType).toBe(3);
		expect(checks[0].ReturnBasisDetails).toEqual({
			CheckNumber: '1675760809473',
			DateTime: '2026-11-22T09:05:11.000Z',
			RegistrationNumber: '660377756642',
			Total: 8500,
			IsOffline: false,
		});
		expect(output[0].json).toMatchObject({
			operation: 'return',
			fiscalNumber: '999',
			duplicate: false,
		});
	});

	it('says so when the original sale is not found', async () => {
		notFoundByExternalNumber();
		await expect(
			runWebkassa({
				parameters: sale({
					operation: 'createReturn',
					externalCheckNumber: 'kaspi-7-return',
					returnBasisSource: 'externalNumber',
					originalExternalNumber: 'kaspi-7-sale',
				}),
			}),
		).rejects.toThrow('The original receipt "kaspi-7-sale" was not found on this cashbox');
	});
});

describe('Webkassa › Receipt › Get', () => {
	it('gets a receipt by fiscal number in a given shift', async () => {
		const bodies = reply('/api/v4/Check/HistoryByNumber', [ok(historyReceipt())]);
		const { output } = await runWebkassa({
			parameters: {
				resource: 'receipt',
				operation: 'get',
				cashbox: cashboxRL,
				findBy: 'fiscalNumber',
				fiscalNumber: '1675760809473',
				shiftNumber: 154,
			},
		});
		expect(bodies[0]).toEqual({
			Token: STORED_TOKEN,
			CashboxUniqueNumber: CASHBOX,
			Number: '1675760809473',
			ShiftNumber: 154,
		});
		expect(output[0].json).toMatchObject({
			found: true,
			fiscalNumber: '1675760809473',
			total: 8500,
			shiftNumber: 154,
		});
	});

	it('answers found: false for an unknown external number', async () => {
		notFoundByExternalNumber();
		const { output } = await runWebkassa({
			parameters: {
				resource: 'receipt',
				operation: 'get',
				cashbox: cashboxRL,
				findBy: 'externalNumber',
				externalCheckNumber: 'kaspi-0-sale',
			},
		});
		expect(output[0].json).toEqual({
			found: false,
			externalCheckNumber: 'kaspi-0-sale',
			cashboxUniqueNumber: CASHBOX,
		});
	});
});

describe('Webkassa › Shift', () => {
	const report = {
		ReportNumber: 154,
		ShiftNumber: 154,
		StartOn: '22.11.2026 09:00:00',
		CloseOn: '22.11.2026 21:00:00',
		DocumentCount: 12,
		SumInCashbox: 5000,
		Sell: {
			PaymentsByTypesApiModel: [
				{ Sum: 10000, Type: 0 },
				{ Sum: 25000, Type: 1 },
			],
			Count: 10,
			VAT: 4827.59,
		},
		ReturnSell: { PaymentsByTypesApiModel: [{ Sum: 1000, Type: 1 }], Count: 1, VAT: 137.93 },
	};

	it.each([
		['xReport', '/api/v4/XReport', 'X'],
		['zReport', '/api/v4/ZReport', 'Z'],
	])('%s summarises the report', async (operation, path, kind) => {
		reply(path, [ok(report)]);
		const { output } = await runWebkassa({
			parameters: { resource: 'shift', operation, cashbox: cashboxRL },
		});
		expect(output[0].json).toMatchObject({
			report: kind,
			shiftNumber: 154,
			documentCount: 12,
			cashInDrawer: 5000,
			sales: { count: 10, total: 35000, vat: 4827.59 },
			returns: { count: 1, total: 1000 },
		});
	});

	it('lists shifts with how long the open one has been open, page by page', async () => {
		const opened = new Date(Date.now() - 21 * 3_600_000);
		const pad = (n: number) => String(n).padStart(2, '0');
		const almaty = new Date(opened.getTime() + 5 * 3_600_000);
		const openDate = `${pad(almaty.getUTCDate())}.${pad(almaty.getUTCMonth() + 1)}.${almaty.getUTCFullYear()} ${pad(almaty.getUTCHours())}:${pad(almaty.getUTCMinutes())}:${pad(almaty.getUTCSeconds())}`;
		// Oldest first, as Webkassa lists them; the node reads the total, then pages from the end.
		const older = {
			ShiftNumber: 154,
			OpenDate: '22.11.2026 09:00:00',
			CloseDate: '22.11.2026 21:00:00',
		};
		const bodies = reply('/api/v4/Cashbox/ShiftHistory', [
			ok({ Total: 2, Skip: 0, Take: 1, Shifts: [older] }),
			ok({ Total: 2, Skip: 0, Take: 2, Shifts: [older, { ShiftNumber: 155, OpenDate: openDate }] }),
		]);
		const { output } = await runWebkassa({
			parameters: { resource: 'shift', operation: 'history', cashbox: cashboxRL, returnAll: true },
		});
		expect(bodies.map((body) => [body.Skip, body.Take])).toEqual([
			[0, 1],
			[0, 2],
		]);
		expect(output.map((item) => [item.json.shiftNumber, item.json.open])).toEqual([
			[155, true],
			[154, false],
		]);
		expect(output[0].json.openHours).toBeCloseTo(21, 0);
		expect(output[1].json.openHours).toBeNull();
	});
});

describe('Webkassa › Cash', () => {
	it('books money in with its external number', async () => {
		const bodies = reply('/api/v4/MoneyOperation', [
			ok({ OfflineMode: false, ShiftNumber: 154, DateTime: '22.11.2026 09:01:00', Sum: 15000 }),
		]);
		const { output } = await runWebkassa({
			parameters: {
				resource: 'cash',
				operation: 'moneyIn',
				cashbox: cashboxRL,
				amount: 15000,
				externalCheckNumber: 'cash-in-2026-11-22',
			},
		});
		expect(bodies[0]).toEqual({
			Token: STORED_TOKEN,
			CashboxUniqueNumber: CASHBOX,
			OperationType: 0,
			Sum: 15000,
			ExternalCheckNumber: 'cash-in-2026-11-22',
		});
		expect(output[0].json).toMatchObject({
			operation: 'moneyIn',
			duplicate: false,
			cashInDrawer: 15000,
			shiftNumber: 154,
		});
	});

	it('treats a repeated money out (code 14) as done, and maps code 8', async () => {
		const bodies = reply('/api/v4/MoneyOperation', [
			err(14, 'Дублирующийся код системы-источника'),
			err(8, 'Недостаточно средств'),
		]);
		const params = {
			resource: 'cash',
			operation: 'moneyOut',
			cashbox: cashboxRL,
			amount: 500,
			externalCheckNumber: 'cash-out-1',
		};
		const { output } = await runWebkassa({ parameters: params });
		expect(bodies[0].OperationType).toBe(1);
		expect(output[0].json).toMatchObject({ operation: 'moneyOut', duplicate: true });
		await expect(runWebkassa({ parameters: params })).rejects.toThrow(
			'Webkassa error 8: not enough cash in the drawer',
		);
	});
});

describe('Webkassa › Cashbox and Session', () => {
	const list = ok({
		List: [
			{ UniqueNumber: 'SWK2', RegistrationNumber: '2', Name: 'Склад', CurrentStatus: 2 },
			{
				UniqueNumber: CASHBOX,
				RegistrationNumber: '660377756642',
				Name: 'Магазин',
				CurrentStatus: 1,
				IsOffline: false,
			},
		],
	});

	it('gets many cashboxes with a limit', async () => {
		reply('/api/v4/Cashboxes', [list]);
		const { output } = await runWebkassa({
			parameters: { resource: 'cashbox', operation: 'getMany', returnAll: false, limit: 1 },
		});
		expect(output.map((item) => item.json)).toEqual([
			{
				uniqueNumber: 'SWK2',
				registrationNumber: '2',
				name: 'Склад',
				description: null,
				status: 'blocked by the OFD',
				statusCode: 2,
				offline: false,
			},
		]);
	});

	it('offers the cashboxes by name in the picker', async () => {
		reply('/api/v4/Cashboxes', [list]);
		const run = webkassaContext({ parameters: {} });
		const result = await searchCashboxes.call(
			run.context as unknown as ILoadOptionsFunctions,
			'маг',
		);
		expect(result.results).toEqual([{ name: `Магазин (${CASHBOX}, active)`, value: CASHBOX }]);
	});

	it('Renew Token logs in even with a stored token, verifies it, and never outputs it', async () => {
		const logins = reply('/api/v4/Authorize', [ok({ Token: NEW_TOKEN })]);
		const bodies = reply('/api/v4/Cashboxes', [list]);
		const { output, run } = await runWebkassa({
			parameters: { resource: 'session', operation: 'renewToken' },
		});
		expect(logins).toHaveLength(1);
		expect(bodies[0].Token).toBe(NEW_TOKEN);
		expect(run.db.sessionToken).toBe(NEW_TOKEN);
		expect(output[0].json).toMatchObject({
			renewed: true,
			verifiedWith: 'Cashboxes',
			cashboxCount: 2,
		});
		expect(JSON.stringify(output)).not.toContain(NEW_TOKEN);
	});
});

describe('Webkassa API credential', () => {
	const credential = new WebkassaApi();

	it('logs in through preAuthentication and reports code 1 as a wrong login or password', async () => {
		reply('/api/v4/Authorize', [ok({ Token: NEW_TOKEN }), err(1, 'Неверный логин и/или пароль')]);
		const helpers = { helpers: { httpRequest } } as never;
		await expect(
			credential.preAuthentication.call(helpers, webkassaCredentials()),
		).resolves.toEqual({ sessionToken: NEW_TOKEN });
		const error = await rejectionOf(
			credential.preAuthentication.call(helpers, webkassaCredentials()),
		);
		expect(error.message).toBe('Webkassa login failed: wrong login or password (code 1)');
		expect(errorText(error)).not.toContain(PASSWORD);
		// n8n 2.x's credential test shows a wrapped error's `cause.code` instead of its message.
		expect((error as { code?: unknown }).code).toBeUndefined();
	});

	it('puts the token in the body and the partner key in a header only when set', async () => {
		const withKey = await credential.authenticate(webkassaCredentials(), {
			url: '/x',
			method: 'POST',
			body: { A: 1 },
		});
		expect(withKey.body).toEqual({ A: 1, Token: STORED_TOKEN });
		expect(withKey.headers).toEqual({ 'X-API-KEY': API_KEY });
		const without = await credential.authenticate(webkassaCredentials({ apiKey: '' }), {
			url: '/x',
			method: 'POST',
		});
		expect(without.headers).toEqual({});
	});

	it('defaults to production, v4, and a hidden expirable token', () => {
		const field = (name: string) =>
			credential.properties.find((property) => property.name === name);
		expect(field('environment')?.default).toBe('production');
		expect(field('apiFamily')?.default).toBe('v4');
		expect(field('sessionToken')).toMatchObject({
			type: 'hidden',
			typeOptions: { expirable: true },
		});
	});
});

// Found by test/unit/Webkassa/vat.property.test.ts.
describe('Webkassa: receipt arithmetic and its inputs', () => {
	it('multiplies price and count without binary drift', () => {
		// 100 × 1.005 is 100.49999999999999 in binary; the sum is 1.005 ₸, half-up 1.01.
		expect(positionSum(1, 1.005)).toBe(1.01);
		expect(positionSum(0.01, 50.5)).toBe(0.51);
	});

	const jsonSale = (positionsJson: IDataObject[], extra: IDataObject = {}): IDataObject => ({
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
		await expect(runWebkassa({ parameters: jsonSale([position]) })).rejects.toThrow(message);
	});

	it('sends prices and discounts to the tiyn, so its total is the one Webkassa computes', async () => {
		const bodies = reply('/api/v4/Check', [
			ok({ CheckNumber: '1', DateTime: '22.11.2026 14:05:11', ShiftNumber: 1 }),
		]);
		await runWebkassa({
			parameters: jsonSale([{ name: 'A', price: 33.333, count: 3, discount: 0.004 }]),
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

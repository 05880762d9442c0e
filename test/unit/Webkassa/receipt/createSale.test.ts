import nock from 'nock';
import type { IDataObject, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { tryWebkassa } from '../../../../nodes/Webkassa/transport';
import { classifyThrown } from '../../../../nodes/shared/http';
import { testNode } from '../../../helpers/context';
import { errorText, rejectionOf } from '../../../helpers/http';
import {
	CASHBOX,
	checkData,
	duplicate,
	err,
	LOGIN,
	NEW_TOKEN,
	ok,
	PASSWORD,
	reply,
	runWebkassa,
	sale,
	STORED_TOKEN,
	useWebkassaUnit,
	webkassaContext,
	webkassaCredentials,
	wk,
	WK_URL,
} from '../../../helpers/webkassa';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual<typeof import('n8n-workflow')>('n8n-workflow');
	return { ...actual, sleep: jest.fn(async () => undefined) };
});

useWebkassaUnit();

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

// Found by test/unit/Webkassa/vat.property.test.ts.
describe('Webkassa: receipt arithmetic and its inputs', () => {
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
});

import type { ILoadOptionsFunctions } from 'n8n-workflow';
import { WebkassaApi } from '../../../credentials/WebkassaApi.credentials';
import { describeWebkassaError } from '../../../nodes/Webkassa/transport/errors';
import { positionSum, vatIncluded } from '../../../nodes/Webkassa/helpers/vat';
import { buildPayments } from '../../../nodes/Webkassa/helpers/payments';
import { buildPositions } from '../../../nodes/Webkassa/helpers/positions';
import { searchCashboxes } from '../../../nodes/Webkassa/methods/listSearch';
import { httpRequest } from '../../helpers/context';
import { errorText, rejectionOf } from '../../helpers/http';
import {
	API_KEY,
	CASHBOX,
	err,
	NEW_TOKEN,
	ok,
	PASSWORD,
	reply,
	STORED_TOKEN,
	useWebkassaUnit,
	webkassaContext,
	webkassaCredentials,
	cashboxList,
} from '../../helpers/webkassa';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual<typeof import('n8n-workflow')>('n8n-workflow');
	return { ...actual, sleep: jest.fn(async () => undefined) };
});

useWebkassaUnit();

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

describe('Webkassa › Cashbox and Session', () => {
	it('offers the cashboxes by name in the picker', async () => {
		reply('/api/v4/Cashboxes', [cashboxList]);
		const run = webkassaContext({ parameters: {} });
		const result = await searchCashboxes.call(
			run.context as unknown as ILoadOptionsFunctions,
			'маг',
		);
		expect(result.results).toEqual([{ name: `Магазин (${CASHBOX}, active)`, value: CASHBOX }]);
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

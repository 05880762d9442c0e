/**
 * Webkassa as its own sources describe it (docs/services/webkassa.md): shift history oldest
 * first, RoundType, the API key on v4, unit codes, duplicates answering Data with code 14, VAT
 * rates per organisation, a return's basis naming the original cashbox, IsDuplicate, payment type
 * 4, code 505 and the direct lookup by external number.
 */
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { WebkassaApi } from '../../../credentials/WebkassaApi.credentials';
import { Webkassa } from '../../../nodes/Webkassa/Webkassa.node';
import { resetRegistrationNumbers } from '../../../nodes/Webkassa/transport/cashboxes';
import { resetSessions } from '../../../nodes/Webkassa/transport/session';
import { httpRequest } from '../../helpers/context';
import { rejectionOf } from '../../helpers/http';
import {
	CASHBOX,
	cashboxRL,
	err,
	ok,
	reply,
	runWebkassa,
	sale,
	webkassaCredentials,
	wk,
	WK_URL,
} from '../../helpers/webkassa';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual<typeof import('n8n-workflow')>('n8n-workflow');
	return { ...actual, sleep: jest.fn(async () => undefined) };
});

const FISCAL = '1675760809473';
const RNM = '660377756642';
const TICKET_URL = `http://consumer.test/?i=${FISCAL}&f=${RNM}&s=8500.00&t=20261122T140511`;

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
beforeEach(() => {
	resetSessions();
	resetRegistrationNumbers();
});
afterEach(() => {
	const pending = nock.pendingMocks();
	nock.cleanAll();
	expect(pending).toEqual([]);
});

/**
 * A cashbox with `total` shifts, numbered from 1, answered oldest first with the open one last, as
 * the Postman collection's sample shows. Returns the bodies it got.
 */
function shiftHistory(total: number, openHoursAgo = 2): Array<Record<string, unknown>> {
	const bodies: Array<Record<string, unknown>> = [];
	const pad = (n: number) => String(n).padStart(2, '0');
	const almaty = (ms: number) => {
		const d = new Date(ms + 5 * 3_600_000);
		return `${pad(d.getUTCDate())}.${pad(d.getUTCMonth() + 1)}.${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
	};
	const shifts = Array.from({ length: total }, (_, index) => {
		const number = index + 1;
		const opened = Date.now() - (total - number) * 86_400_000 - openHoursAgo * 3_600_000;
		return number === total
			? { ShiftNumber: number, OpenDate: almaty(opened) }
			: {
					ShiftNumber: number,
					OpenDate: almaty(opened),
					CloseDate: almaty(opened + 12 * 3_600_000),
				};
	});
	wk()
		.post('/api/v4/Cashbox/ShiftHistory')
		.times(20)
		.reply(200, (_uri, body) => {
			const { Skip, Take } = body as { Skip: number; Take: number };
			bodies.push(body as Record<string, unknown>);
			return ok({
				CashboxUniqueNumber: CASHBOX,
				Skip,
				Take,
				Total: total,
				Shifts: shifts.slice(Skip, Skip + Take),
			});
		});
	return bodies;
}

/** Drops the ShiftHistory interceptor's unused repeats so the pending check sees only real misses. */
function settleShiftHistory() {
	nock.removeInterceptor({
		hostname: 'webkassa.test',
		path: '/api/v4/Cashbox/ShiftHistory',
		method: 'POST',
		proto: 'http',
	});
}

function historyReceipt(overrides: IDataObject = {}): IDataObject {
	return {
		Number: FISCAL,
		ShiftNumber: 7,
		ExternalCheckNumber: 'kaspi-1042-sale',
		CashboxRegistrationNumber: RNM,
		RegistratedOn: '22.11.2026 14:05:11',
		OperationType: 2,
		Total: 8500,
		IsOffline: false,
		TicketUrl: TICKET_URL,
		...overrides,
	};
}

const checkData = (overrides: IDataObject = {}): IDataObject => ({
	CheckNumber: FISCAL,
	DateTime: '22.11.2026 14:05:11',
	OfflineMode: false,
	Cashbox: { UniqueNumber: CASHBOX, RegistrationNumber: RNM },
	CheckOrderNumber: 28,
	ShiftNumber: 7,
	TicketUrl: TICKET_URL,
	TicketPrintUrl: `${WK_URL}/spa-ui/ticket?chb=${CASHBOX}&sh=7&extnum=kaspi-1042-sale`,
	...overrides,
});

describe('Webkassa › 1. shift history comes oldest first', () => {
	it('Get by fiscal number without a shift searches the newest three shifts, not the first three', async () => {
		const asked = shiftHistory(7);
		const lookups = reply('/api/v4/Check/HistoryByNumber', [
			(body) => (body.ShiftNumber === 7 ? ok(historyReceipt()) : err(16, 'Чек не найден')),
		]);
		const { output } = await runWebkassa({
			parameters: {
				resource: 'receipt',
				operation: 'get',
				cashbox: cashboxRL,
				findBy: 'fiscalNumber',
				fiscalNumber: FISCAL,
				shiftNumber: 0,
			},
		});
		settleShiftHistory();
		expect(lookups[0]).toMatchObject({ Number: FISCAL, ShiftNumber: 7 });
		expect(asked.at(-1)).toMatchObject({ Skip: 4, Take: 3 });
		expect(output[0].json).toMatchObject({ found: true, fiscalNumber: FISCAL, shiftNumber: 7 });
	});

	it('Get History with limit 1 returns the open, newest shift; with more, newest first', async () => {
		shiftHistory(5, 21);
		const { output } = await runWebkassa({
			parameters: {
				resource: 'shift',
				operation: 'history',
				cashbox: cashboxRL,
				returnAll: false,
				limit: 1,
			},
		});
		expect(output.map((item) => [item.json.shiftNumber, item.json.open])).toEqual([[5, true]]);
		expect(output[0].json.openHours).toBeCloseTo(21, 0);
		const { output: all } = await runWebkassa({
			parameters: { resource: 'shift', operation: 'history', cashbox: cashboxRL, returnAll: true },
		});
		settleShiftHistory();
		expect(all.map((item) => item.json.shiftNumber)).toEqual([5, 4, 3, 2, 1]);
	});
});

describe('Webkassa › 2. RoundType', () => {
	it('sends RoundType 0 (two decimals, away from zero) so fractional counts and prices are paid to the tiyn', async () => {
		const bodies = reply('/api/v4/Check', [ok(checkData())]);
		await runWebkassa({
			parameters: sale({
				positions: {
					position: [
						{ name: 'Сыр', count: 0.5, price: 999, discount: 0, unitCode: 166, vatRate: 'receipt' },
						{
							name: 'Кабель',
							count: 1.25,
							price: 100.99,
							discount: 0,
							unitCode: 6,
							vatRate: 'receipt',
						},
					],
				},
			}),
		});
		expect(bodies[0].RoundType).toBe(0);
		// 0.5 × 999 = 499.50 and 1.25 × 100.99 = 126.2375 → 126.24; RoundType 2 would make them 500 and 126.
		expect(bodies[0].Payments).toEqual([{ Sum: 625.74, PaymentType: 1 }]);
		expect((bodies[0].Positions as IDataObject[]).map((position) => position.Tax)).toEqual([
			68.9, 17.41,
		]);
	});
});

describe('Webkassa › 4. the API key on v4', () => {
	const credential = new WebkassaApi();

	it('refuses to log in to v4 without a key, before calling Webkassa, and says where the key comes from', async () => {
		const error = await rejectionOf(
			credential.preAuthentication.call(
				{ helpers: { httpRequest } } as never,
				webkassaCredentials({ apiKey: '', sessionToken: '' }),
			),
		);
		expect(error.message).toBe('Webkassa login failed: the API key (X-API-KEY) is empty');
		expect(error.description).toMatch(/Webkassa support/);
	});

	it('marks the key required for v4 and says legacy accounts may need it too', () => {
		const keys = credential.properties.filter((property) => property.name === 'apiKey');
		expect(keys.find((key) => key.displayOptions?.show?.apiFamily?.includes('v4'))?.required).toBe(
			true,
		);
		expect(
			keys.find((key) => key.displayOptions?.show?.apiFamily?.includes('legacy'))?.description,
		).toMatch(/legacy API too/);
	});

	it('still sends the key on the legacy API when it is set', async () => {
		nock(WK_URL, { reqheaders: { 'x-api-key': 'WKD-unit-key' } })
			.post('/api/Check')
			.reply(200, ok(checkData()));
		await runWebkassa({ parameters: sale(), db: webkassaCredentials({ apiFamily: 'legacy' }) });
	});
});

describe('Webkassa › 5. UnitCode 0 is unset', () => {
	it('sends 796 (piece) for a position with unit code 0 or none, and keeps 166 (kilogram)', async () => {
		const bodies = reply('/api/v4/Check', [ok(checkData())]);
		await runWebkassa({
			parameters: sale({
				positions: {
					position: [
						{ name: 'A', count: 1, price: 100, discount: 0, unitCode: 0, vatRate: 'receipt' },
						{ name: 'B', count: 1, price: 100, discount: 0, vatRate: 'receipt' },
						{ name: 'C', count: 1, price: 100, discount: 0, unitCode: 166, vatRate: 'receipt' },
					],
				},
			}),
		});
		expect((bodies[0].Positions as IDataObject[]).map((position) => position.UnitCode)).toEqual([
			796, 796, 166,
		]);
	});
});

describe('Webkassa › 6. a repeated external number answers Data and code 14', () => {
	const text = `Чек с внешним номером kaspi-1042-sale уже присутствует в системе: ${FISCAL}`;

	it('uses Data when present, with no further lookup', async () => {
		wk()
			.post('/api/v4/Check')
			.reply(200, { Data: checkData(), Errors: [{ Code: 14, Text: text }] });
		const { output } = await runWebkassa({ parameters: sale() });
		expect(output[0].json).toMatchObject({
			operation: 'sale',
			duplicate: true,
			fiscalNumber: FISCAL,
			shiftNumber: 7,
			ticketUrl: TICKET_URL,
			registrationNumber: RNM,
		});
	});

	it('falls back to the fiscal number in the text when Data is missing, with no further lookup', async () => {
		reply('/api/v4/Check', [err(14, text)]);
		const { output } = await runWebkassa({ parameters: sale() });
		expect(output[0].json).toEqual({
			operation: 'sale',
			duplicate: true,
			externalCheckNumber: 'kaspi-1042-sale',
			fiscalNumber: FISCAL,
			cashboxUniqueNumber: CASHBOX,
		});
	});
});

describe('Webkassa › 7. VAT rates are per organisation', () => {
	it('refuses an empty VAT rate instead of silently sending none', async () => {
		const error = await rejectionOf(runWebkassa({ parameters: sale({ vatRate: '' }) }));
		expect(error.message).toBe('VAT Rate is empty or not a rate');
		expect(error.description).toMatch(/registered for/);
	});

	it('turns code 9 about the tax rate into an error naming the refused rate', async () => {
		reply('/api/v4/Check', [
			err(
				9,
				"Позиция 'Мышь Logitech M185' содержит неподдерживаемое вашей организацией значение налоговой ставки",
			),
		]);
		const error = await rejectionOf(runWebkassa({ parameters: sale() }));
		expect(error.message).toBe(
			"Webkassa error 9: the cashbox's organisation is not registered for VAT rate 16%",
		);
		expect(error.description).toMatch(/«Позиция 'Мышь Logitech M185'/);
	});
});

describe('Webkassa › 8. a return names the original receipt’s cashbox', () => {
	const manual = (extra: IDataObject = {}) =>
		sale({
			operation: 'createReturn',
			externalCheckNumber: 'kaspi-1042-return',
			returnBasisSource: 'manual',
			originalFiscalNumber: FISCAL,
			originalDateTime: '2026-11-22T09:05:11.000Z',
			originalTotal: 8500,
			...extra,
		});

	it('in manual mode sends the RNM given for the original cashbox, without listing cashboxes', async () => {
		const checks = reply('/api/v4/Check', [ok(checkData({ CheckNumber: '999' }))]);
		await runWebkassa({ parameters: manual({ originalRegistrationNumber: '111222333444' }) });
		expect(checks[0].ReturnBasisDetails).toEqual({
			CheckNumber: FISCAL,
			DateTime: '2026-11-22T09:05:11.000Z',
			RegistrationNumber: '111222333444',
			Total: 8500,
			IsOffline: false,
		});
	});

	it('in manual mode asks for the RNM', async () => {
		const error = await rejectionOf(
			runWebkassa({ parameters: manual({ originalRegistrationNumber: '' }) }),
		);
		expect(error.message).toBe('Original Cashbox Registration Number is empty or not a number');
	});

	it('by external number takes the RNM from the receipt history (no Cashboxes call), found by the direct lookup', async () => {
		shiftHistory(3);
		const direct = reply('/api-history/v4/Ticket/GetTicketByExternalCheckNumber', [
			ok({ CheckNumber: FISCAL, ShiftNumber: 3 }),
		]);
		reply('/api/v4/Check/HistoryByNumber', [ok(historyReceipt({ ShiftNumber: 3 }))]);
		const checks = reply('/api/v4/Check', [ok(checkData({ CheckNumber: '999' }))]);
		await runWebkassa({
			parameters: sale({
				operation: 'createReturn',
				externalCheckNumber: 'kaspi-1042-return',
				returnBasisSource: 'externalNumber',
				originalExternalNumber: 'kaspi-1042-sale',
			}),
		});
		settleShiftHistory();
		expect(direct[0]).toMatchObject({
			CashboxUniqueNumber: CASHBOX,
			ExternalCheckNumber: 'kaspi-1042-sale',
			ShiftNumber: 3,
		});
		expect(checks[0].ReturnBasisDetails).toMatchObject({
			CheckNumber: FISCAL,
			RegistrationNumber: RNM,
			DateTime: '2026-11-22T09:05:11.000Z',
		});
	});
});

describe('Webkassa › 9. smaller points', () => {
	it('falls back to the print form (with IsDuplicate: false) when the account has no direct lookup (HTTP 404)', async () => {
		shiftHistory(1);
		wk().post('/api-history/v4/Ticket/GetTicketByExternalCheckNumber').reply(404, 'Not Found');
		const print = reply('/api/v4/Ticket/PrintFormat', [
			ok({ Lines: [{ Order: 1, Type: 2, Value: TICKET_URL }] }),
		]);
		reply('/api/v4/Check/HistoryByNumber', [ok(historyReceipt({ ShiftNumber: 1 }))]);
		const { output } = await runWebkassa({
			parameters: {
				resource: 'receipt',
				operation: 'get',
				cashbox: cashboxRL,
				findBy: 'externalNumber',
				externalCheckNumber: 'kaspi-1042-sale',
			},
		});
		settleShiftHistory();
		expect(print[0]).toMatchObject({
			ExternalCheckNumber: 'kaspi-1042-sale',
			PaperKind: 0,
			IsDuplicate: false,
		});
		expect(output[0].json).toMatchObject({ found: true, fiscalNumber: FISCAL });
	});

	it('says in the option and in the error that mobile payment needs OFD protocol 2.0.2', async () => {
		reply('/api/v4/Check', [
			err(9, "Тип платежа 'Мобильные' недоступен для касс с версией протокола ОФД ниже 2.0.2"),
		]);
		const error = await rejectionOf(runWebkassa({ parameters: sale({ paymentMethod: 'mobile' }) }));
		expect(error.description).toMatch(/OFD protocol 2\.0\.2 or newer/);
		const payment = new Webkassa().description.properties.find(
			(property) => property.name === 'paymentMethod',
		);
		const mobile = payment?.options?.find(
			(option) => 'value' in option && option.value === 'mobile',
		) as { description?: string };
		expect(mobile.description).toMatch(/2\.0\.2/);
	});

	it('names the host Webkassa points to on code 505', async () => {
		wk().post('/api/v4/Check').reply(200, err(505, 'Сервис временно недоступен'), {
			AlternativeDomainNames: 'kkm2.webkassa.kz',
		});
		const error = await rejectionOf(runWebkassa({ parameters: sale() }));
		expect(error.message).toBe(
			'Webkassa error 505: Webkassa is temporarily unavailable on this host; use kkm2.webkassa.kz',
		);
	});

	it('takes the RNM from Cashboxes only once when the history lacks it', async () => {
		const lists = reply('/api/v4/Cashboxes', [
			ok({ List: [{ UniqueNumber: CASHBOX, RegistrationNumber: RNM }] }),
		]);
		for (const n of [1, 2]) {
			shiftHistory(1);
			reply('/api-history/v4/Ticket/GetTicketByExternalCheckNumber', [ok({ CheckNumber: FISCAL })]);
			reply('/api/v4/Check/HistoryByNumber', [
				ok(historyReceipt({ ShiftNumber: 1, CashboxRegistrationNumber: undefined })),
			]);
			const checks = reply('/api/v4/Check', [ok(checkData({ CheckNumber: `99${n}` }))]);
			await runWebkassa({
				parameters: sale({
					operation: 'createReturn',
					externalCheckNumber: `kaspi-104${n}-return`,
					returnBasisSource: 'externalNumber',
					originalExternalNumber: 'kaspi-1042-sale',
				}),
			});
			settleShiftHistory();
			expect(checks[0].ReturnBasisDetails).toMatchObject({ RegistrationNumber: RNM });
		}
		settleShiftHistory();
		expect(lists).toHaveLength(1);
	});
});

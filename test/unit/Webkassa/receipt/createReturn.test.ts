import {
	checkData,
	err,
	historyReceipt,
	notFoundByExternalNumber,
	ok,
	oneShift,
	printLines,
	reply,
	runWebkassa,
	sale,
	useWebkassaUnit,
} from '../../../helpers/webkassa';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual<typeof import('n8n-workflow')>('n8n-workflow');
	return { ...actual, sleep: jest.fn(async () => undefined) };
});

useWebkassaUnit();

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

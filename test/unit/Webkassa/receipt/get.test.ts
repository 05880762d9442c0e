import {
	CASHBOX,
	cashboxRL,
	historyReceipt,
	notFoundByExternalNumber,
	ok,
	reply,
	runWebkassa,
	STORED_TOKEN,
	useWebkassaUnit,
} from '../../../helpers/webkassa';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual<typeof import('n8n-workflow')>('n8n-workflow');
	return { ...actual, sleep: jest.fn(async () => undefined) };
});

useWebkassaUnit();

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

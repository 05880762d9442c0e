import {
	CASHBOX,
	cashboxRL,
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
});

import { cashboxRL, err, reply, runWebkassa, useWebkassaUnit } from '../../../helpers/webkassa';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual<typeof import('n8n-workflow')>('n8n-workflow');
	return { ...actual, sleep: jest.fn(async () => undefined) };
});

useWebkassaUnit();

describe('Webkassa › Cash', () => {
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

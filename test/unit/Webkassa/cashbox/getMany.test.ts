import { reply, runWebkassa, useWebkassaUnit, cashboxList } from '../../../helpers/webkassa';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual<typeof import('n8n-workflow')>('n8n-workflow');
	return { ...actual, sleep: jest.fn(async () => undefined) };
});

useWebkassaUnit();

describe('Webkassa › Cashbox and Session', () => {
	it('gets many cashboxes with a limit', async () => {
		reply('/api/v4/Cashboxes', [cashboxList]);
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
});

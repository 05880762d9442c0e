import nock from 'nock';

import { AMO, amoContext, runAmo, useAmoUnit } from '../../../helpers/amocrm';
import { rejectionOf } from '../../../helpers/http';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	return { ...actual, sleep: jest.fn(async () => undefined) };
});
useAmoUnit();

describe('deal operations', () => {
	it('Update patches the deal and refuses an empty change', async () => {
		nock(AMO).patch('/api/v4/leads/41', { price: 10 }).reply(200, { id: 41, updated_at: 1 });
		await expect(
			runAmo(
				amoContext({
					resource: 'deal',
					operation: 'update',
					dealId: '41',
					updateFields: { price: 10 },
				}),
			),
		).resolves.toEqual([{ id: 41, updated_at: 1 }]);
		const error = await rejectionOf(
			runAmo(amoContext({ resource: 'deal', operation: 'update', dealId: '41', updateFields: {} })),
		);
		expect(error.message).toMatch(/Update Fields is empty/);
	});
});

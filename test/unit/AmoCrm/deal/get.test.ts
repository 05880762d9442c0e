import nock from 'nock';

import { AMO, amoContext, runAmo, useAmoUnit } from '../../../helpers/amocrm';
import { rejectionOf } from '../../../helpers/http';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	return { ...actual, sleep: jest.fn(async () => undefined) };
});
useAmoUnit();

describe('deal operations', () => {
	it('Get reads one deal, and a bad ID is an error naming the field', async () => {
		nock(AMO)
			.get('/api/v4/leads/41')
			.query({ with: 'contacts,catalog_elements' })
			.reply(200, { id: 41 });
		await expect(
			runAmo(amoContext({ resource: 'deal', operation: 'get', dealId: '41', withLinks: true })),
		).resolves.toEqual([{ id: 41 }]);
		const error = await rejectionOf(
			runAmo(amoContext({ resource: 'deal', operation: 'get', dealId: 'abc' })),
		);
		expect(error.message).toBe('Deal ID must be a positive number');
	});
});

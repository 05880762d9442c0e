import nock from 'nock';

import { AMO, amoContext, runAmo, useAmoUnit } from '../../../helpers/amocrm';
import {} from '../../../helpers/http';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	return { ...actual, sleep: jest.fn(async () => undefined) };
});
useAmoUnit();

describe('note and product operations', () => {
	it('Note Add posts a common note to the deal', async () => {
		nock(AMO)
			.post('/api/v4/leads/41/notes', [{ note_type: 'common', params: { text: 'Hello' } }])
			.reply(200, { _embedded: { notes: [{ id: 9, entity_id: 41 }] } });
		await expect(
			runAmo(amoContext({ resource: 'note', operation: 'add', dealId: '41', text: 'Hello' })),
		).resolves.toEqual([{ id: 9, entity_id: 41 }]);
	});
});

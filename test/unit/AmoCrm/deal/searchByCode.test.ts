import nock from 'nock';

import { AMO, amoContext, FIELD_ID, runAmo, useAmoUnit } from '../../../helpers/amocrm';
import {} from '../../../helpers/http';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	return { ...actual, sleep: jest.fn(async () => undefined) };
});
useAmoUnit();

describe('deal operations', () => {
	it('Search by Order Code keeps only deals whose field equals the code', async () => {
		const field = (value: string) => [{ field_id: FIELD_ID, values: [{ value }] }];
		nock(AMO)
			.get('/api/v4/leads')
			.query({ query: '512', limit: '50' })
			.reply(200, {
				_embedded: {
					leads: [
						{ id: 1, custom_fields_values: field('5123') },
						{ id: 2, custom_fields_values: field('512') },
					],
				},
			});
		const out = await runAmo(
			amoContext({
				resource: 'deal',
				operation: 'searchByCode',
				orderCode: '512',
				orderCodeField: { __rl: true, mode: 'id', value: String(FIELD_ID) },
			}),
		);
		expect(out.map((deal) => deal.id)).toEqual([2]);
	});
});

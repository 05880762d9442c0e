import nock from 'nock';

import { AMO, amoContext, FIELD_ID, runAmo, useAmoUnit } from '../../../helpers/amocrm';
import {} from '../../../helpers/http';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	return { ...actual, sleep: jest.fn(async () => undefined) };
});
useAmoUnit();

describe('deal operations', () => {
	it('Create posts one deal with custom fields, tags and a contact', async () => {
		let body: unknown;
		nock(AMO)
			.post('/api/v4/leads', (sent) => {
				body = sent;
				return true;
			})
			.reply(200, { _embedded: { leads: [{ id: 41, request_id: '0' }] } });
		const out = await runAmo(
			amoContext({
				resource: 'deal',
				operation: 'create',
				name: 'Kaspi order 1',
				additionalFields: {
					price: 4590.4,
					pipeline: { __rl: true, mode: 'list', value: '7000001' },
					statusId: 7100001,
					tags: 'kaspi, vip',
					contactId: '77',
					customFields: { field: [{ fieldId: FIELD_ID, value: '1' }] },
				},
			}),
		);
		expect(out).toEqual([{ id: 41, request_id: '0' }]);
		expect(body).toEqual([
			{
				name: 'Kaspi order 1',
				price: 4590,
				pipeline_id: 7000001,
				status_id: 7100001,
				tags_to_add: [{ name: 'kaspi' }, { name: 'vip' }],
				custom_fields_values: [{ field_id: FIELD_ID, values: [{ value: '1' }] }],
				_embedded: { contacts: [{ id: 77, is_main: true }] },
			},
		]);
	});
});

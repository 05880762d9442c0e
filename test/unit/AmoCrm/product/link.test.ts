import nock from 'nock';

import { AMO, amoContext, CATALOG_ID, runAmo, useAmoUnit } from '../../../helpers/amocrm';
import {} from '../../../helpers/http';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	return { ...actual, sleep: jest.fn(async () => undefined) };
});
useAmoUnit();

describe('note and product operations', () => {
	it('Product Link sends quantity and catalog id', async () => {
		nock(AMO)
			.post('/api/v4/leads/41/link', [
				{
					to_entity_id: 7,
					to_entity_type: 'catalog_elements',
					metadata: { catalog_id: CATALOG_ID, quantity: 3 },
				},
			])
			.reply(200, { _embedded: { links: [{ entity_id: 41, to_entity_id: 7 }] } });
		await expect(
			runAmo(
				amoContext({
					resource: 'product',
					operation: 'link',
					dealId: '41',
					productId: '7',
					catalogId: CATALOG_ID,
					quantity: 3,
				}),
			),
		).resolves.toEqual([{ entity_id: 41, to_entity_id: 7 }]);
	});
});

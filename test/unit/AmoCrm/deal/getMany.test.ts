import nock from 'nock';

import { AMO, amoContext, runAmo, useAmoUnit } from '../../../helpers/amocrm';
import { recordRequest } from '../../../helpers/http';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	return { ...actual, sleep: jest.fn(async () => undefined) };
});
useAmoUnit();

describe('deal operations', () => {
	it('Get Many with Return All pages through 250 at a time and stops at a 204', async () => {
		const queries: Record<string, string>[] = [];
		nock(AMO)
			.get('/api/v4/leads')
			.query(true)
			.times(3)
			.reply((uri) => {
				const { query } = recordRequest({ path: uri, headers: {} }, '');
				queries.push(query);
				if (query.page === '3') return [204, ''];
				return [
					200,
					{ _links: { next: { href: 'n' } }, _embedded: { leads: [{ id: Number(query.page) }] } },
				];
			});
		const out = await runAmo(
			amoContext({
				resource: 'deal',
				operation: 'getMany',
				returnAll: true,
				filters: { query: 'abc', pipeline: '7000001' },
			}),
		);
		expect(out).toEqual([{ id: 1 }, { id: 2 }]);
		expect(queries[0]).toMatchObject({
			query: 'abc',
			'filter[pipeline_id]': '7000001',
			limit: '250',
			page: '1',
		});
	});

	it('Get Many returns nothing for an empty account (204)', async () => {
		nock(AMO).get('/api/v4/leads').query(true).reply(204);
		await expect(
			runAmo(
				amoContext({
					resource: 'deal',
					operation: 'getMany',
					returnAll: false,
					limit: 10,
					filters: {},
				}),
			),
		).resolves.toEqual([]);
	});
});

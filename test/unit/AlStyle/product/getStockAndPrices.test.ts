/**
 * Al-Style's product Get Stock and Prices: the whole catalogue in one quantity-price call.
 */
import nock from 'nock';

import { BASE, FAKE_ACCESS, runAlStyle, useAlStyleUnit } from '../../../helpers/alstyle';

useAlStyleUnit();

describe('Al-Style node', () => {
	it('gets the whole catalogue stock in one quantity-price call', async () => {
		const scope = nock(BASE)
			.get('/api/quantity-price')
			.query({ 'access-token': FAKE_ACCESS, exclude_missing: '0' })
			.reply(200, {
				20908: { quantity: '>50', price1: 8434, price2: 11490, warehouse: 'panfilov' },
				20909: { quantity: 0, price1: 1, price2: 1 },
			});
		const out = await runAlStyle({
			resource: 'product',
			operation: 'getStockAndPrices',
			articles: '',
			inStockOnly: false,
		});
		expect(out.map((item) => item.json)).toEqual([
			{
				article: 20908,
				quantity: 50,
				quantityIsLowerBound: true,
				quantityIsUpperBound: false,
				price1: 8434,
				price2: 11490,
				warehouse: 'panfilov',
			},
			{
				article: 20909,
				quantity: 0,
				quantityIsLowerBound: false,
				quantityIsUpperBound: false,
				price1: null,
				price2: null,
			},
		]);
		expect(scope.isDone()).toBe(true);
	});
});

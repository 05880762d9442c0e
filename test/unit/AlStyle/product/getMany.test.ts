/**
 * Al-Style's product Get Many: the token as access-token, pages of
 * elements-pagination with Return All, the category filter and the limit.
 */
import nock from 'nock';

import type { RecordedRequest } from '../../../helpers/http';
import { BASE, FAKE_ACCESS, record, runAlStyle, useAlStyleUnit } from '../../../helpers/alstyle';

useAlStyleUnit();

/** Answers every product-page request with `page(offset)` and returns the requests as they come. */
function servePages(page: (offset: number) => object): RecordedRequest[] {
	const requests: RecordedRequest[] = [];
	nock(BASE)
		.get('/api/elements-pagination')
		.query(true)
		.reply(function (uri, body) {
			record(requests).call(this, uri, body);
			return [200, page(Number(new URL(uri, BASE).searchParams.get('offset')))];
		})
		.persist();
	return requests;
}

/** A category tree where 3472 and 3638 are leaves, so they are sent as they are. */
function serveLeafCategories() {
	nock(BASE)
		.get('/api/categories')
		.query(true)
		.reply(200, [
			{ id: 3400, name: 'Root', level: 1, left: 1, right: 6, elements: 0 },
			{ id: 3472, name: 'Speakers', level: 2, left: 2, right: 3, elements: 5 },
			{ id: 3638, name: 'Mice', level: 2, left: 4, right: 5, elements: 2 },
		]);
}

describe('Al-Style node', () => {
	it('sends the token as access-token and pages through elements-pagination with Return All', async () => {
		const page = (offset: number, count: number) => ({
			elements: Array.from({ length: count }, (_, i) => ({
				article: offset + i,
				name: `p${offset + i}`,
				category: 1,
				price1: 10,
				price2: 1,
				quantity: '>50',
			})),
			pagination: {
				totalCount: 300,
				totalPages: 2,
				currentPage: offset / 250 + 1,
				limit: 250,
				offset,
			},
		});
		const requests = servePages((offset) => page(offset, offset === 0 ? 250 : 50));
		serveLeafCategories();
		const out = await runAlStyle({
			resource: 'product',
			operation: 'getMany',
			returnAll: true,
			additionalFields: ['brand', 'images'],
			filters: { category: '3472, 3638', inStockOnly: true, brand: 'g-1' },
		});
		expect(out).toHaveLength(300);
		expect(out[0].json).toMatchObject({
			article: 0,
			price2: null,
			quantity: 50,
			quantityIsLowerBound: true,
			images: [],
		});
		expect(requests.map((r) => r.query)).toEqual([
			{
				category: '3472,3638',
				brand: 'g-1',
				exclude_missing: '1',
				additional_fields: 'brand,images',
				limit: '250',
				offset: '0',
				'access-token': FAKE_ACCESS,
			},
			{
				category: '3472,3638',
				brand: 'g-1',
				exclude_missing: '1',
				additional_fields: 'brand,images',
				limit: '250',
				offset: '250',
				'access-token': FAKE_ACCESS,
			},
		]);
	});

	it('sends the categories chosen from the list as one comma-separated filter', async () => {
		const requests = servePages(() => ({
			elements: [],
			pagination: { totalCount: 0, totalPages: 0, currentPage: 1, limit: 50, offset: 0 },
		}));
		serveLeafCategories();
		await runAlStyle({
			resource: 'product',
			operation: 'getMany',
			returnAll: false,
			limit: 50,
			additionalFields: [],
			filters: { category: [3472, 3638] },
		});
		expect(requests.map((r) => r.query.category)).toEqual(['3472,3638']);
	});

	it('stops at the limit', async () => {
		const requests = servePages(() => ({
			elements: [{ article: 1, name: 'a', category: 1, price1: 5, price2: 6, quantity: 1 }],
			pagination: { totalCount: 9, totalPages: 9, currentPage: 1, limit: 1, offset: 0 },
		}));
		const out = await runAlStyle({
			resource: 'product',
			operation: 'getMany',
			returnAll: false,
			limit: 1,
			additionalFields: [],
			filters: {},
		});
		expect(out).toHaveLength(1);
		expect(requests).toHaveLength(1);
		expect(requests[0].query.limit).toBe('1');
	});
});

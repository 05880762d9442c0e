/**
 * Al-Style's product Get by Articles: articles asked in batches of 50.
 */
import nock from 'nock';

import type { RecordedRequest } from '../../../helpers/http';
import { BASE, record, runAlStyle, useAlStyleUnit } from '../../../helpers/alstyle';

useAlStyleUnit();

describe('Al-Style node', () => {
	it('gets articles in batches of 50', async () => {
		const requests: RecordedRequest[] = [];
		nock(BASE)
			.get('/api/element-info')
			.query(true)
			.reply(function (uri, body) {
				record(requests).call(this, uri, body);
				const articles = new URL(uri, BASE).searchParams.get('article')!.split(',');
				return [
					200,
					articles.map((a) => ({
						article: Number(a),
						name: a,
						category: 1,
						price1: 2,
						price2: 3,
						quantity: 0,
					})),
				];
			})
			.persist();
		const articles = Array.from({ length: 120 }, (_, i) => String(1000 + i)).join(', ');
		const out = await runAlStyle({
			resource: 'product',
			operation: 'getByArticles',
			articles,
			additionalFields: ['detailText'],
		});
		expect(out).toHaveLength(120);
		expect(requests.map((r) => r.query.article.split(',').length)).toEqual([50, 50, 20]);
		expect(requests[0].query.additional_fields).toBe('detailText');
	});
});

/**
 * Al-Style's two failure answers in the fault matrix: 403 "too fast" (wait, ask again, lose
 * nothing) and 500 to an unknown name in `additional_fields` (say which name, do not retry).
 */
import nock from 'nock';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { AlStyle } from '../../../nodes/AlStyle/AlStyle.node';
import { resetQueues, unknownAdditionalFields } from '../../../nodes/AlStyle/transport';
import { fakeContext } from '../../helpers/context';
import { rejectionOf, useNock } from '../../helpers/http';

const HOST = 'https://alstyle-faults.test';
const TOKEN = 'not-a-real-token-faults';
const TOO_FAST = { status: false, message: 'Доступ запрещен: слишком частые запросы' };

useNock();
beforeEach(() => resetQueues());

/** Runs the node once; `interval` is the credential's minimum interval in seconds. */
async function execute(parameters: IDataObject, interval = 0.005) {
	const { context } = fakeContext({
		parameters,
		credentials: {
			alStyleApi: { accessToken: TOKEN, baseUrl: HOST, minIntervalSeconds: interval },
		},
	});
	const [items] = await new AlStyle().execute.call(context as unknown as IExecuteFunctions);
	return items.map((item) => item.json);
}

/** `count` products from article `first` on, as elements-pagination returns them. */
function elements(first: number, count: number) {
	return Array.from({ length: count }, (_, index) => ({
		article: first + index,
		name: `Product ${first + index}`,
		price1: 1000,
		price2: 1200,
		quantity: 5,
	}));
}

describe('403 "too fast"', () => {
	it('waits and asks again for the same page, and Return All ends with every product once', async () => {
		const offsets: string[] = [];
		const page = (offset: number, count: number) => ({
			elements: elements(30000 + offset, count),
			pagination: {
				totalCount: 600,
				totalPages: 3,
				currentPage: offset / 250 + 1,
				limit: 250,
				offset,
			},
		});
		// Three pages and three refusals: six calls, not one more.
		const scope = nock(HOST)
			.get('/api/elements-pagination')
			.query(true)
			.times(6)
			.reply((uri) => {
				const offset = Number(new URL(uri, HOST).searchParams.get('offset'));
				offsets.push(String(offset));
				// The second page is refused twice in a row (the most a call waits out), the third once.
				const asked = offsets.filter((seen) => seen === String(offset)).length;
				if ((offset === 250 && asked <= 2) || (offset === 500 && asked <= 1)) {
					return [403, TOO_FAST];
				}
				return [200, page(offset, offset === 500 ? 100 : 250)];
			});

		const products = await execute({
			resource: 'product',
			operation: 'getMany',
			returnAll: true,
			filters: {},
			additionalFields: [],
		});

		expect(scope.isDone()).toBe(true);
		expect(offsets).toEqual(['0', '250', '250', '250', '500', '500']);
		const articles = products.map((product) => product.article);
		expect(articles).toHaveLength(600);
		expect(new Set(articles).size).toBe(600);
	});
});

describe('500 on an unknown additional field', () => {
	it('names the unknown field, lists the known ones, and does not retry', async () => {
		const calls = nock(HOST)
			.get('/api/element-info')
			.query((query) => query.additional_fields === 'brand,colour')
			.once()
			.reply(500, { name: 'Internal Server Error', message: 'Server error', status: 500 });

		const error = await rejectionOf(
			execute({
				resource: 'product',
				operation: 'getByArticles',
				articles: '20000',
				additionalFields: ['brand', 'colour'],
			}),
		);

		expect(calls.isDone()).toBe(true);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(
			'Al-Style failed with 500 on Additional Fields "colour": a name it may not know',
		);
		expect(error.description).toContain('"colour", or remove it from Additional Fields');
		expect(error.description).toContain('brand, description, images');
		expect(JSON.stringify(error)).not.toContain(TOKEN);
	});

	it('still retries a 500 when every field is known (Al-Style overloaded)', async () => {
		nock(HOST)
			.get('/api/element-info')
			.query(true)
			.reply(500, 'Server error')
			.get('/api/element-info')
			.query(true)
			.reply(200, [{ article: 20000, name: 'Kettle', price1: 1, price2: 1, quantity: 0 }]);
		const products = await execute({
			resource: 'product',
			operation: 'getByArticles',
			articles: '20000',
			additionalFields: ['brand'],
		});
		expect(products.map((product) => product.article)).toEqual([20000]);
	});

	it('tells the unknown names apart from the known ones', () => {
		expect(unknownAdditionalFields('brand, images,colour,,detailText,size')).toEqual([
			'colour',
			'size',
		]);
		expect(unknownAdditionalFields(undefined)).toEqual([]);
	});
});

/**
 * Smaller points of issue 13 outside Sync Orders: the Stage list and the credential test's URL.
 * docs/services/amocrm.md, "Conformance".
 */
import nock from 'nock';
import type {
	IDataObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeExecutionData,
	INodeTypes,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { router } from '../../nodes/AmoCrm/actions/router';
import { getStatuses } from '../../nodes/AmoCrm/methods/loadOptions';
import { accountBaseUrl, BASE_URL_EXPRESSION } from '../../nodes/AmoCrm/transport/host';
import { AMO, amoContext, longLived, useFakeLimiterClock } from '../helpers/amocrm';
import { fakeContext } from '../helpers/context';
import { recordRequest, useNock } from '../helpers/http';

useNock();
useFakeLimiterClock();

describe('Stage list', () => {
	it('hides the system Incoming stage (type 1), which takes only unsorted leads', async () => {
		nock(AMO)
			.get('/api/v4/leads/pipelines')
			.query(true)
			.reply(200, {
				_embedded: {
					pipelines: [
						{
							id: 7000001,
							name: 'Kaspi',
							is_main: true,
							_embedded: {
								statuses: [
									{ id: 7100000, name: 'Неразобранное', type: 1, pipeline_id: 7000001 },
									{ id: 7100001, name: 'Новый заказ', type: 0, pipeline_id: 7000001 },
									{ id: 142, name: 'Успешно реализовано', type: 0, pipeline_id: 7000001 },
								],
							},
						},
					],
				},
			});
		const { context } = fakeContext({
			parameters: {},
			credentials: { amoCrmLongLivedApi: longLived },
		});
		const parameters: Record<string, unknown> = {
			authentication: 'longLivedToken',
			pipeline: { __rl: true, mode: 'list', value: '7000001' },
		};
		const loadOptions = Object.assign(context, {
			getCurrentNodeParameter: (name: string) => parameters[name],
		}) as unknown as ILoadOptionsFunctions;
		const options = await getStatuses.call(loadOptions);
		expect(options.map((option) => option.value)).toEqual([7100001, 142]);
	});
});

describe('credential test URL', () => {
	/** The credential test's base URL, as n8n's own expression engine resolves it. */
	function testUrl(credentials: Record<string, string>): unknown {
		const nodeTypes = {
			getByName: () => ({ description: { properties: [] } }),
			getByNameAndVersion: () => ({ description: { properties: [] } }),
			getKnownTypes: () => ({}),
		} as unknown as INodeTypes;
		const workflow = new Workflow({ nodes: [], connections: {}, active: false, nodeTypes });
		return workflow.expression.getSimpleParameterValue(
			{ name: 'credential test', parameters: {} } as never,
			BASE_URL_EXPRESSION,
			'manual',
			{ $credentials: credentials } as never,
		);
	}

	it('normalises the Subdomain as the node does, so a pasted account address passes the test', () => {
		for (const [platform, subdomain] of [
			['amocrm.ru', 'shop'],
			['amocrm.ru', 'shop.amocrm.ru'],
			['kommo.com', ' https://Shop.kommo.com/ '],
			['kommo.com', 'shop.amocrm.com'],
		]) {
			expect(testUrl({ platform, subdomain })).toBe(accountBaseUrl({ platform, subdomain }));
		}
		expect(testUrl({ platform: 'custom', baseUrl: 'http://127.0.0.1:4010/amocrm/' })).toBe(
			'http://127.0.0.1:4010/amocrm',
		);
	});
});

async function run(context: IExecuteFunctions): Promise<IDataObject[]> {
	const [output] = await router.call(context);
	return output.map((item: INodeExecutionData) => item.json);
}

describe('Get Many re-checks filter results on our side', () => {
	const lead = (id: number, pipeline: number, status: number, created: number) => ({
		id,
		pipeline_id: pipeline,
		status_id: status,
		created_at: created,
		updated_at: created,
	});
	/** An account without filter access: every filter is ignored, newest first. */
	function ignoringFilters(leads: IDataObject[]) {
		const queries: Record<string, string>[] = [];
		nock(AMO)
			.persist()
			.get('/api/v4/leads')
			.query(true)
			.reply((uri) => {
				const { query } = recordRequest({ path: uri, headers: {} }, '');
				queries.push(query);
				const size = Number(query.limit);
				const page = leads.slice((Number(query.page) - 1) * size, Number(query.page) * size);
				const next = Number(query.page) * size < leads.length ? { next: { href: 'n' } } : {};
				return page.length ? [200, { _links: next, _embedded: { leads: page } }] : [204, ''];
			});
		return queries;
	}

	it('drops the deals amoCRM returned against the pipeline, stage and date filters', async () => {
		const from = Date.parse('2026-11-20T00:00:00Z') / 1000;
		const queries = ignoringFilters([
			lead(1, 7000001, 7100001, from + 300),
			lead(2, 7000002, 7100001, from + 200),
			lead(3, 7000001, 7100002, from + 100),
			lead(4, 7000001, 7100001, from - 100),
		]);
		const out = await run(
			amoContext({
				resource: 'deal',
				operation: 'getMany',
				returnAll: false,
				limit: 10,
				filters: {
					pipeline: { __rl: true, mode: 'list', value: '7000001' },
					statusId: 7100001,
					createdAfter: '2026-11-20T00:00:00Z',
				},
			}),
		);
		expect(out.map((deal) => deal.id)).toEqual([1]);
		expect(queries[0]).toMatchObject({
			'filter[statuses][0][pipeline_id]': '7000001',
			'filter[statuses][0][status_id]': '7100001',
			'filter[created_at][from]': String(from),
			'order[created_at]': 'desc',
		});
	});

	it('with a Limit, reads on until it has that many matching deals, and stops at the first deal older than the date filter', async () => {
		const from = 2_000_000;
		const leads = Array.from({ length: 600 }, (_, index) =>
			lead(index + 1, index % 2 ? 7000001 : 7000002, 7100001, from + 1000 - index * 2),
		);
		const queries = ignoringFilters(leads);
		const limited = await run(
			amoContext({
				resource: 'deal',
				operation: 'getMany',
				returnAll: false,
				limit: 200,
				filters: { pipeline: '7000001' },
			}),
		);
		expect(limited).toHaveLength(200);
		expect(limited.every((deal) => deal.pipeline_id === 7000001)).toBe(true);
		expect(queries.map((query) => query.page)).toEqual(['1', '2']);
		queries.length = 0;
		const all = await run(
			amoContext({
				resource: 'deal',
				operation: 'getMany',
				returnAll: true,
				filters: { updatedAfter: new Date(from * 1000).toISOString() },
			}),
		);
		expect(all).toHaveLength(501);
		expect(queries.map((query) => query.page)).toEqual(['1', '2', '3']);
		expect(queries[0]['order[updated_at]']).toBe('desc');
	});
});

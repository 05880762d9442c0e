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

import { clearFieldCache } from '../../../nodes/AmoCrm/helpers/customFields';
import { router } from '../../../nodes/AmoCrm/actions/router';
import { searchLeadFields } from '../../../nodes/AmoCrm/methods/listSearch';
import { getStatuses } from '../../../nodes/AmoCrm/methods/loadOptions';
import { accountBaseUrl, BASE_URL_EXPRESSION } from '../../../nodes/AmoCrm/transport/host';
import {
	AMO,
	amoContext,
	FakeAmo,
	FIELD_ID,
	kaspiOrder,
	longLived,
	syncContext,
	useFakeLimiterClock,
} from '../../helpers/amocrm';
import { fakeContext } from '../../helpers/context';
import { recordRequest, useNock } from '../../helpers/http';

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

describe('field types: the order code only in text fields, custom fields sent typed', () => {
	beforeEach(() => clearFieldCache());
	const field = (id: number, type: string, name: string, extra: IDataObject = {}) =>
		nock(AMO)
			.get(`/api/v4/leads/custom_fields/${id}`)
			.reply(200, { id, name, type, code: null, ...extra });

	it('the Order Code Field list offers only text and textarea fields', async () => {
		nock(AMO)
			.get('/api/v4/leads/custom_fields')
			.query(true)
			.reply(200, {
				_embedded: {
					custom_fields: [
						{ id: 1, name: 'Код заказа', type: 'text', code: null },
						{ id: 2, name: 'Номер', type: 'numeric', code: null },
						{ id: 3, name: 'Комментарий', type: 'textarea', code: null },
						{ id: 4, name: 'Ссылка', type: 'url', code: null },
					],
				},
			});
		const { context } = fakeContext({
			parameters: {},
			credentials: { amoCrmLongLivedApi: longLived },
		});
		const loadOptions = Object.assign(context, {
			getCurrentNodeParameter: (name: string) =>
				name === 'authentication' ? 'longLivedToken' : undefined,
		}) as unknown as ILoadOptionsFunctions;
		const { results } = await searchLeadFields.call(loadOptions);
		expect(results.map((result) => result.value)).toEqual(['1', '3']);
	});

	it('Sync Orders refuses a numeric Order Code Field, naming it, before any write; Continue On Fail gives each item the error', async () => {
		const fake = new FakeAmo().install();
		field(FIELD_ID, 'numeric', 'Номер заказа');
		const orders = [kaspiOrder('012345', '+77010000001'), kaspiOrder('012346', '+77010000002')];
		const context = syncContext(orders);
		const error = await router.call(context).then(
			() => undefined,
			(thrown: unknown) => thrown as Error,
		);
		expect(error?.constructor.name).toBe('NodeOperationError');
		expect(error?.message).toBe(
			`Order Code Field "Номер заказа" (${FIELD_ID}) is a numeric field: pick a text or textarea field`,
		);
		expect(fake.requests).toEqual([]);

		const [output] = await router.call(syncContext(orders, {}, { continueOnFail: true }));
		expect(output.map((item) => [item.json.action, item.json.orderCode, item.pairedItem])).toEqual([
			['error', '012345', { item: 0 }],
			['error', '012346', { item: 1 }],
		]);
		expect(String(output[0].json.error)).toContain('"Номер заказа"');
		expect(fake.requests).toEqual([]);
	});

	it('a field amoCRM will not describe (404 on an older proxy) is asked once a process, and the sync goes on', async () => {
		const fake = new FakeAmo().install();
		let asked = 0;
		nock(AMO)
			.persist()
			.get(`/api/v4/leads/custom_fields/${FIELD_ID}`)
			.reply(() => {
				asked++;
				return [404, { title: 'Not Found', status: 404 }];
			});
		const orders = [kaspiOrder('012347', '+77010000003')];
		for (let run = 0; run < 2; run++) {
			const [output] = await router.call(syncContext(orders));
			expect(output[0].json.action).toBe(run === 0 ? 'created' : 'unchanged');
		}
		expect(asked).toBe(1);
		expect(fake.leads.size).toBe(1);
	});

	it('Search by Order Code refuses a url field, naming it', async () => {
		field(FIELD_ID, 'url', 'Ссылка на заказ');
		await expect(
			run(
				amoContext({
					resource: 'deal',
					operation: 'searchByCode',
					orderCode: '512345678',
					orderCodeField: { __rl: true, mode: 'id', value: String(FIELD_ID) },
				}),
			),
		).rejects.toThrow(`Order Code Field "Ссылка на заказ" (${FIELD_ID}) is a url field`);
	});

	it('Create Deal sends numbers, booleans, Unix seconds and enum ids as the fields’ types ask', async () => {
		field(11, 'numeric', 'Вес');
		field(12, 'checkbox', 'Оплачен');
		field(13, 'date', 'Дата доставки');
		field(14, 'select', 'Источник', {
			enums: [
				{ id: 501, value: 'Kaspi', sort: 1 },
				{ id: 502, value: 'Сайт', sort: 2 },
			],
		});
		field(15, 'multiselect', 'Каналы', {
			enums: [
				{ id: 601, value: 'WhatsApp', sort: 1 },
				{ id: 602, value: 'Звонок', sort: 2 },
			],
		});
		field(16, 'text', 'Код');
		let body: unknown;
		nock(AMO)
			.post('/api/v4/leads', (sent) => {
				body = sent;
				return true;
			})
			.reply(200, { _embedded: { leads: [{ id: 41 }] } });
		await run(
			amoContext({
				resource: 'deal',
				operation: 'create',
				name: 'Kaspi order 1',
				additionalFields: {
					customFields: {
						field: [
							{ fieldId: 11, value: '2,5' },
							{ fieldId: 12, value: 'да' },
							{ fieldId: 13, value: '2026-12-03T00:00:00Z' },
							{ fieldId: 14, value: 'kaspi' },
							{ fieldId: 15, value: 'WhatsApp, Звонок, Почта' },
							{ fieldId: 16, value: '007' },
						],
					},
				},
			}),
		);
		expect((body as IDataObject[])[0].custom_fields_values).toEqual([
			{ field_id: 11, values: [{ value: 2.5 }] },
			{ field_id: 12, values: [{ value: true }] },
			{ field_id: 13, values: [{ value: Date.parse('2026-12-03T00:00:00Z') / 1000 }] },
			{ field_id: 14, values: [{ enum_id: 501 }] },
			{ field_id: 15, values: [{ enum_id: 601 }, { enum_id: 602 }, { value: 'Почта' }] },
			{ field_id: 16, values: [{ value: '007' }] },
		]);
	});

	it('Update Deal refuses a value its field cannot take, naming the field, and sends nothing', async () => {
		field(12, 'checkbox', 'Оплачен');
		await expect(
			run(
				amoContext({
					resource: 'deal',
					operation: 'update',
					dealId: '41',
					updateFields: { customFields: { field: [{ fieldId: 12, value: 'maybe' }] } },
				}),
			),
		).rejects.toThrow('Custom field "Оплачен" (12) is a checkbox field and takes true or false');
	});
});

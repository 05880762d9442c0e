/**
 * Smaller points of issue 13 outside Sync Orders: the Stage list and the credential test's URL.
 * docs/services/amocrm.md, "Conformance".
 */
import nock from 'nock';
import type { ILoadOptionsFunctions, INodeTypes } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { getStatuses } from '../../nodes/AmoCrm/methods/loadOptions';
import { accountBaseUrl, BASE_URL_EXPRESSION } from '../../nodes/AmoCrm/transport/host';
import { AMO, longLived, useFakeLimiterClock } from '../helpers/amocrm';
import { fakeContext } from '../helpers/context';
import { useNock } from '../helpers/http';

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

import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class AlStyleApi implements ICredentialType {
	name = 'alStyleApi';

	displayName = 'Al-Style API';

	icon: Icon = {
		light: 'file:../nodes/AlStyle/alStyle.svg',
		dark: 'file:../nodes/AlStyle/alStyle.dark.svg',
	};

	documentationUrl = 'https://github.com/kz-commerce/n8n-nodes-kz-commerce#al-style-api';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The dealer API token from the Al-Style cabinet, section API. It is sent as the access-token query parameter and never shown in errors. Testing the connection asks Al-Style for one catalogue item, outside the queue the Al-Style nodes share: during a running sync the test may get 403 ("too fast"). That is harmless: the sync waits and repeats its call, and a test a few seconds later passes.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.al-style.kz',
			required: true,
			description: 'Where the Al-Style API answers, without /api',
		},
		{
			displayName: 'Minimum Interval Between Calls (Seconds)',
			name: 'minIntervalSeconds',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 1 },
			default: 5,
			description:
				'Al-Style allows about one call per 5 seconds per token and answers 403 when called faster. Every Al-Style node in this n8n shares one queue per token at this pace.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { qs: { 'access-token': '={{$credentials.accessToken}}' } },
	};

	/**
	 * One catalogue item, which surely needs a valid token (whether `/api/date` checks it is
	 * unknown). n8n sends this request itself, so it cannot wait in the nodes' per-token queue
	 * (docs/services/alstyle.md, "Connection").
	 */
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/api/elements-pagination',
			qs: { limit: 1 },
		},
	};
}

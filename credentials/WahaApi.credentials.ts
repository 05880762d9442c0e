import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class WahaApi implements ICredentialType {
	name = 'wahaApi';

	displayName = 'WAHA API';

	icon: Icon = { light: 'file:../nodes/Waha/waha.svg', dark: 'file:../nodes/Waha/waha.dark.svg' };

	documentationUrl = 'https://github.com/kz-commerce/n8n-nodes-kz-commerce#waha-whatsapp';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'http://localhost:3000',
			required: true,
			description: 'Where your WAHA server answers, without /api',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'The WAHA_API_KEY your WAHA server was started with (WAHA prints a generated one in its log when none is set)',
		},
		{
			displayName: 'Webhook HMAC Secret',
			name: 'webhookSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Optional. When set, the WAHA Trigger registers its webhook with this HMAC key and rejects events whose X-Webhook-Hmac signature does not match.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { 'X-Api-Key': '={{$credentials.apiKey}}' } },
	};

	test: ICredentialTestRequest = {
		// The node strips a pasted Swagger address's `/api` (transport/index.ts); so does the test.
		request: {
			baseURL: '={{$credentials.baseUrl.trim().replace(/\\/+$/, "").replace(/\\/api$/, "")}}',
			url: '/api/sessions',
		},
	};
}

import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { BASE_URL_EXPRESSION } from '../nodes/AmoCrm/transport/host';
import { accountProperties } from '../nodes/AmoCrm/transport/credentialFields';

export class AmoCrmLongLivedApi implements ICredentialType {
	name = 'amoCrmLongLivedApi';

	displayName = 'amoCRM Long-Lived Token API';

	icon: Icon = {
		light: 'file:../nodes/AmoCrm/amocrm.svg',
		dark: 'file:../nodes/AmoCrm/amocrm.dark.svg',
	};

	documentationUrl = 'https://github.com/kz-commerce/n8n-nodes-kz-commerce#amocrm-long-lived-token';

	properties: INodeProperties[] = [
		...accountProperties,
		{
			displayName: 'Long-Lived Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Private integrations only: amoCRM → Settings → Integrations → your private integration → Keys and scopes → Generate long-lived token (valid 1 day to 5 years, shown once)',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.accessToken}}' } },
	};

	test: ICredentialTestRequest = {
		request: { baseURL: BASE_URL_EXPRESSION, url: '/api/v4/account' },
	};
}

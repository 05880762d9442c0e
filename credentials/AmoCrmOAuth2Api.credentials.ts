import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	Icon,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { accountProperties } from '../nodes/AmoCrm/transport/credentialFields';
import { BASE_URL_EXPRESSION } from '../nodes/AmoCrm/transport/host';
import { obtainTokens } from '../nodes/AmoCrm/transport/oauth';

/**
 * amoCRM's authorization-code flow with the refresh amoCRM documents: a JSON body with
 * `redirect_uri`, and a refresh token that rotates on every use (docs/services/amocrm.md,
 * "OAuth2").
 *
 * Not built on n8n's generic `oAuth2Api`: its refresh never sends `redirect_uri`, and n8n 1.x
 * refreshes only on a thrown 401 with no lock (docs/services/amocrm.md, "OAuth2"). Here
 * `preAuthentication` exchanges the code or spends the refresh token, and n8n stores what it
 * returns (the rotated pair) in the credential. Inside one n8n process the exchange is
 * single-flight and remembered, so two executions never spend the same refresh token; across
 * queue-mode workers nothing coordinates it.
 */
export class AmoCrmOAuth2Api implements ICredentialType {
	name = 'amoCrmOAuth2Api';

	displayName = 'amoCRM OAuth2 API';

	icon: Icon = {
		light: 'file:../nodes/AmoCrm/amocrm.svg',
		dark: 'file:../nodes/AmoCrm/amocrm.dark.svg',
	};

	documentationUrl = 'https://github.com/kz-commerce/n8n-nodes-kz-commerce#amocrm-oauth2';

	properties: INodeProperties[] = [
		...accountProperties,
		{
			// n8n's credential form labels a clientId field "Client ID" whatever it is declared as.
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description:
				'The integration ID (client_id): Settings → Integrations → your integration → Keys and scopes',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The integration’s secret key (client_secret): Settings → Integrations → your integration → Keys and scopes',
		},
		{
			displayName: 'Redirect URI',
			name: 'redirectUri',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. https://n8n.example.com/rest/oauth2-credential/callback',
			description:
				'Exactly as set in the integration; amoCRM checks it on the code exchange and on every refresh',
		},
		{
			displayName: 'Authorization Code',
			name: 'authorizationCode',
			type: 'string',
			default: '',
			description:
				'Used once, on the first call: copy it from the integration’s Keys and scopes tab, or from the code parameter amoCRM added to the redirect URI. It lives 20 minutes. Paste a new one to reconnect.',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'Refresh Token',
			name: 'refreshToken',
			type: 'hidden',
			typeOptions: { password: true },
			default: '',
		},
		{
			displayName: 'Expires At',
			name: 'expiresAt',
			type: 'hidden',
			default: 0,
		},
	];

	async preAuthentication(
		this: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
	): Promise<IDataObject> {
		const tokens = await obtainTokens(async (url, body) => {
			const options: IHttpRequestOptions = {
				method: 'POST',
				url,
				body,
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			};
			const response = (await this.helpers.httpRequest(options)) as {
				statusCode: number;
				body: unknown;
			};
			if (response.statusCode < 200 || response.statusCode >= 300) {
				const problem = (response.body ?? {}) as IDataObject;
				const reason = String(problem.hint ?? problem.detail ?? problem.title ?? '').slice(0, 200);
				throw new Error(
					`amoCRM token endpoint: HTTP ${response.statusCode}${reason ? ` (${reason})` : ''}`,
				);
			}
			return response.body;
		}, credentials);
		return { ...tokens, authorizationCode: '' };
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.accessToken}}' } },
	};

	/**
	 * n8n runs `preAuthentication` before this test; with a live access token that spends no
	 * grant (see `obtainTokens`).
	 */
	test: ICredentialTestRequest = {
		request: { baseURL: BASE_URL_EXPRESSION, url: '/api/v4/account' },
	};
}

import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { authorize, BASE_URLS, TOKEN_FIELD } from '../nodes/Webkassa/transport/session';

/**
 * The cashier's login. The session token is a hidden, expirable field: n8n fills it through
 * `preAuthentication` (the same `authorize` the node uses to renew it) and stores it, so the user
 * never types it and every workflow using this credential shares it. See
 * nodes/Webkassa/transport/session.ts for the renewal on Webkassa's code 2/3.
 */
export class WebkassaApi implements ICredentialType {
	name = 'webkassaApi';

	displayName = 'Webkassa API';

	icon: Icon = {
		light: 'file:../nodes/Webkassa/webkassa.svg',
		dark: 'file:../nodes/Webkassa/webkassa.dark.svg',
	};

	documentationUrl = 'https://github.com/kz-commerce/n8n-nodes-kz-commerce#webkassa-api';

	properties: INodeProperties[] = [
		{
			displayName: 'Session Token',
			name: TOKEN_FIELD,
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'Login (Cashier E-Mail)',
			name: 'login',
			type: 'string',
			placeholder: 'name@email.com',
			default: '',
			required: true,
			description: 'The e-mail the cashier logs in to Webkassa with',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			default: 'production',
			options: [
				{ name: 'Production (kkm.webkassa.kz)', value: 'production' },
				{ name: 'Test (devkkm.webkassa.kz)', value: 'test' },
				{ name: 'Local Sandbox (127.0.0.1:4010)', value: 'sandbox' },
				{ name: 'Custom URL', value: 'custom' },
			],
		},
		{
			displayName: 'Base URL',
			name: 'customBaseUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. http://127.0.0.1:4010/webkassa',
			displayOptions: { show: { environment: ['custom'] } },
			description:
				'The address before /api, e.g. another Webkassa host or the pack’s sandbox on another port',
		},
		{
			displayName: 'API Path Family',
			name: 'apiFamily',
			type: 'options',
			default: 'v4',
			options: [
				{ name: 'V4 (/api/v4, for Integrators)', value: 'v4' },
				{ name: 'Legacy (/api)', value: 'legacy' },
			],
		},
		// v4 refuses every call without the key, login included (docs/services/webkassa.md, "API key").
		{
			displayName: 'API Key (X-API-KEY)',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { apiFamily: ['v4'] } },
			description:
				'Required for the v4 API. Webkassa issues it to integrators: ask Webkassa support or your Webkassa manager for an API key (it looks like WKD-…).',
		},
		// Whether legacy accounts still work without a key is not confirmed: the key is sent when set.
		{
			displayName: 'API Key (X-API-KEY)',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { apiFamily: ['legacy'] } },
			description:
				'Older accounts may work without it, but Webkassa may require it on the legacy API too. Webkassa issues it to integrators: ask Webkassa support or your Webkassa manager for an API key (it looks like WKD-…).',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		return { [TOKEN_FIELD]: await authorize(this.helpers.httpRequest, credentials) };
	}

	/** The token travels in the JSON body, the partner key in a header (only when set). */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const body =
			typeof requestOptions.body === 'object' &&
			requestOptions.body !== null &&
			!Array.isArray(requestOptions.body)
				? (requestOptions.body as IDataObject)
				: {};
		const apiKey = String(credentials.apiKey ?? '').trim();
		return {
			...requestOptions,
			headers: { ...(requestOptions.headers ?? {}), ...(apiKey ? { 'X-API-KEY': apiKey } : {}) },
			body: { ...body, Token: String(credentials[TOKEN_FIELD] ?? '') },
		};
	}

	// n8n logs in first (preAuthentication), so a wrong login or password is reported by the login
	// itself ("Webkassa login failed: wrong login or password (code 1)"); the cashbox list then
	// proves the token and the partner key.
	test: ICredentialTestRequest = {
		request: {
			method: 'POST',
			baseURL: `={{ $credentials.environment === "custom" ? $credentials.customBaseUrl.replace(/\\/+$/, "") : ({ production: "${BASE_URLS.production}", test: "${BASE_URLS.test}", sandbox: "${BASE_URLS.sandbox}" })[$credentials.environment] }}`,
			url: '={{ $credentials.apiFamily === "legacy" ? "/api/Cashboxes" : "/api/v4/Cashboxes" }}',
			headers: { 'Content-Type': 'application/json; charset=UTF-8' },
			body: {},
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'Errors[0].Code',
					value: 1,
					message: 'Wrong login or password (Webkassa code 1)',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'Errors[0].Code',
					value: 2,
					message: 'Webkassa did not accept the new token (code 2)',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'Errors[0].Code',
					value: 3,
					message: 'Webkassa did not accept the new token (code 3)',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'Errors[0].Code',
					value: 4,
					message: 'The cashier has no right to list cashboxes (Webkassa code 4)',
				},
			},
		],
	};
}

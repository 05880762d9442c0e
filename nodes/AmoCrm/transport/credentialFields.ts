import type { ICredentialDataDecryptedObject, INodeProperties } from 'n8n-workflow';

import { REQUESTS_PER_SECOND } from './limiter';

/**
 * The account-host fields both amoCRM credentials start with (docs/services/amocrm.md,
 * "Account hosts").
 */
export const accountProperties: INodeProperties[] = [
	{
		displayName: 'Platform',
		name: 'platform',
		type: 'options',
		options: [
			{ name: 'amoCRM (amocrm.ru)', value: 'amocrm.ru' },
			{ name: 'Kommo (kommo.com)', value: 'kommo.com' },
			{ name: 'Custom Base URL', value: 'custom' },
		],
		default: 'amocrm.ru',
		description:
			'Where the account lives. AmoCRM and Kommo are separate platforms; legacy {sub}.amocrm.com accounts now live on kommo.com.',
	},
	{
		displayName: 'Subdomain',
		name: 'subdomain',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. shop',
		description: 'The first part of the account address: "shop" for https://shop.amocrm.ru',
		displayOptions: { show: { platform: ['amocrm.ru', 'kommo.com'] } },
	},
	{
		displayName: 'Base URL',
		name: 'baseUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. http://127.0.0.1:4010/amocrm',
		description: 'The account address without /api/v4: a proxy, or the pack’s local sandbox',
		displayOptions: { show: { platform: ['custom'] } },
	},
	{
		displayName: 'Requests Per Second Per Process',
		name: 'requestsPerSecond',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: REQUESTS_PER_SECOND },
		default: REQUESTS_PER_SECOND,
		description:
			'The pack keeps each n8n process under this many calls per second to the account; amoCRM allows 7 and blocks an account that keeps exceeding it. In queue mode every worker counts on its own: set 7 divided by the number of workers (e.g. 3 with two workers).',
	},
];

/** The credential's per-process rate, within amoCRM's ceiling (older credentials lack the field). */
export function requestsPerSecond(credentials: ICredentialDataDecryptedObject): number {
	const configured = Math.floor(Number(credentials.requestsPerSecond ?? REQUESTS_PER_SECOND));
	return Number.isFinite(configured)
		? Math.min(REQUESTS_PER_SECOND, Math.max(1, configured))
		: REQUESTS_PER_SECOND;
}

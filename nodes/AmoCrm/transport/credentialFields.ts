import type { INodeProperties } from 'n8n-workflow';

/** The account-host fields both amoCRM credentials start with (amocrm.md §1). */
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
];

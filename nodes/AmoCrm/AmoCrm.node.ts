import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as contact from './actions/contact/Contact.resource';
import * as deal from './actions/deal/Deal.resource';
import * as note from './actions/note/Note.resource';
import * as product from './actions/product/Product.resource';
import { router } from './actions/router';
import { listSearch, loadOptions } from './methods';

/**
 * Programmatic: every call goes through one limiter per account host (amoCRM blocks clients that
 * break 7 requests per second), phone matching re-checks what the full-text search returns, and
 * Sync Orders batches a whole input of Kaspi orders into a few calls per 50 orders.
 */
export class AmoCrm implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'amoCRM',
		name: 'amoCrm',
		icon: { light: 'file:amocrm.svg', dark: 'file:amocrm.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			'Deals, contacts, notes and products in amoCRM or Kommo, and a batched Kaspi order sync',
		defaults: { name: 'amoCRM' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'amoCrmOAuth2Api',
				required: true,
				displayOptions: { show: { authentication: ['oAuth2'] } },
			},
			{
				name: 'amoCrmLongLivedApi',
				required: true,
				displayOptions: { show: { authentication: ['longLivedToken'] } },
			},
		],
		properties: [
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				options: [
					{ name: 'OAuth2', value: 'oAuth2' },
					{ name: 'Long-Lived Token', value: 'longLivedToken' },
				],
				default: 'oAuth2',
			},
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Contact', value: 'contact' },
					{ name: 'Deal', value: 'deal' },
					{ name: 'Note', value: 'note' },
					{ name: 'Product', value: 'product' },
				],
				default: 'deal',
			},
			...deal.description,
			...contact.description,
			...note.description,
			...product.description,
		],
	};

	methods = { listSearch, loadOptions };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}

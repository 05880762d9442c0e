/* eslint-disable n8n-nodes-base/node-filename-against-convention */
import { NodeConnectionTypes, type INodeTypeDescription } from 'n8n-workflow';

import * as order from './order/Order.resource';

export const versionDescription: INodeTypeDescription = {
	displayName: 'Kaspi',
	name: 'kaspi',
	icon: { light: 'file:../kaspi.svg', dark: 'file:../kaspi.dark.svg' },
	group: ['transform'],
	version: 1,
	subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
	description: 'Read and accept Kaspi.kz marketplace orders through the Kaspi Shop API',
	defaults: { name: 'Kaspi' },
	usableAsTool: true,
	inputs: [NodeConnectionTypes.Main],
	outputs: [NodeConnectionTypes.Main],
	credentials: [{ name: 'kaspiApi', required: true }],
	properties: [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: [{ name: 'Order', value: 'order' }],
			default: 'order',
		},
		...order.description,
	],
};

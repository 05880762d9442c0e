import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as order from './actions/order/Order.resource';
import { router } from './actions/router';

/**
 * Programmatic rather than declarative: listing orders splits date ranges into Kaspi's 14-day
 * windows and pages through each, and accepting re-reads the order before and after the change.
 */
export class Kaspi implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Kaspi',
		name: 'kaspi',
		icon: { light: 'file:kaspi.svg', dark: 'file:kaspi.dark.svg' },
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

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}

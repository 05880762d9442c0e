import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as brand from './actions/brand/Brand.resource';
import * as category from './actions/category/Category.resource';
import * as product from './actions/product/Product.resource';
import { router } from './actions/router';
import { loadOptions } from './methods';

/**
 * Al-Style (al-style.kz) dealer API: products, stock and prices, categories and brands. Al-Style
 * allows about one call per 5 s per token, so every call waits in one process-wide queue per token.
 */
export class AlStyle implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Al-Style',
		name: 'alStyle',
		icon: { light: 'file:alStyle.svg', dark: 'file:alStyle.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			'Read products, stock and prices from the Al-Style distributor API, paced to its rate limit',
		defaults: { name: 'Al-Style' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'alStyleApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Brand', value: 'brand' },
					{ name: 'Category', value: 'category' },
					{ name: 'Product', value: 'product' },
				],
				default: 'product',
			},
			...product.description,
			...category.description,
			...brand.description,
		],
	};

	methods = { loadOptions };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}

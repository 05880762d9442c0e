import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as priceList from './actions/priceList/PriceList.resource';
import { router } from './actions/router';

/**
 * Builds and validates the Kaspi XML price list (`kaspi_catalog`) offline. The validator is
 * generated from `schemas/kaspishopping.xsd` at build time, because Kaspi's schema URL times out
 * and nodes may not read files; Validate sends invalid lists to a second output.
 */
export class KaspiPriceList implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Kaspi Price List',
		name: 'kaspiPriceList',
		icon: { light: 'file:kaspiPriceList.svg', dark: 'file:kaspiPriceList.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": price list" }}',
		description:
			'Build a Kaspi.kz XML price list from items and validate it against the Kaspi schema, offline',
		defaults: { name: 'Kaspi Price List' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: `={{ $parameter["operation"] === "validate" ? [{ type: "${NodeConnectionTypes.Main}", displayName: "Valid" }, { type: "${NodeConnectionTypes.Main}", displayName: "Invalid" }] : ["${NodeConnectionTypes.Main}"] }}`,
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Price List', value: 'priceList' }],
				default: 'priceList',
			},
			...priceList.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}

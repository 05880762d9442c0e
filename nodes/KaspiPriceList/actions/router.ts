import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { KaspiPriceListType } from './node.type';
import * as priceList from './priceList/PriceList.resource';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const nodeData = {
		resource: this.getNodeParameter('resource', 0),
		operation: this.getNodeParameter('operation', 0),
	} as KaspiPriceListType;

	if (nodeData.resource === 'priceList') {
		// Build turns all items into one; Validate answers per item on a Valid and an Invalid output.
		if (nodeData.operation === 'build') return await priceList.build.execute.call(this);
		if (nodeData.operation === 'validate') return await priceList.validate.execute.call(this);
	}
	throw new NodeOperationError(
		this.getNode(),
		`The operation "${nodeData.operation}" of resource "${nodeData.resource}" is not known`,
	);
}

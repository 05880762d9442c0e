import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { runForEachItem } from '../../shared/execute';
import type { KaspiType } from './node.type';
import * as order from './order/Order.resource';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const kaspiNodeData = {
		resource: this.getNodeParameter('resource', 0),
		operation: this.getNodeParameter('operation', 0),
	} as KaspiType;

	switch (kaspiNodeData.resource) {
		case 'order':
			return [await runForEachItem.call(this, order[kaspiNodeData.operation].execute)];
		default:
			throw new NodeOperationError(
				this.getNode(),
				`The resource "${kaspiNodeData.resource}" is not known`,
			);
	}
}

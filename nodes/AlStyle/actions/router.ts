import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { runForEachItem, type ItemOperation } from '../../shared/execute';
import * as brand from './brand/Brand.resource';
import * as category from './category/Category.resource';
import type { AlStyleType } from './node.type';
import * as product from './product/Product.resource';

const resources: Record<string, Record<string, unknown> | undefined> = { brand, category, product };

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const nodeData = {
		resource: this.getNodeParameter('resource', 0),
		operation: this.getNodeParameter('operation', 0),
	} as AlStyleType;

	const operation = resources[nodeData.resource]?.[nodeData.operation] as { execute?: ItemOperation } | undefined;
	if (typeof operation?.execute !== 'function') {
		throw new NodeOperationError(this.getNode(), `The operation "${nodeData.operation}" of resource "${nodeData.resource}" is not known`);
	}
	return [await runForEachItem.call(this, operation.execute)];
}

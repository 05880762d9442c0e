import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { runForEachItem, type ItemOperation } from '../../shared/execute';
import * as contact from './contact/Contact.resource';
import * as deal from './lead/Lead.resource';
import type { AmoCrmType } from './node.type';
import * as note from './note/Note.resource';
import * as product from './product/Product.resource';

const resources: Record<string, Record<string, unknown> | undefined> = {
	contact,
	deal,
	note,
	product,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const amoNodeData = {
		resource: this.getNodeParameter('resource', 0),
		operation: this.getNodeParameter('operation', 0),
	} as AmoCrmType;

	if (amoNodeData.resource === 'deal' && amoNodeData.operation === 'syncOrders') {
		return [await deal.syncOrders.executeBatch.call(this)];
	}
	const operation = resources[amoNodeData.resource]?.[amoNodeData.operation] as
		| { execute?: ItemOperation }
		| undefined;
	if (typeof operation?.execute !== 'function') {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${amoNodeData.operation}" of resource "${amoNodeData.resource}" is not known`,
		);
	}
	return [await runForEachItem.call(this, operation.execute)];
}

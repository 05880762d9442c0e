import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { runForEachItem, type ItemOperation } from '../../shared/execute';
import * as cash from './cash/Cash.resource';
import * as cashbox from './cashbox/Cashbox.resource';
import type { WebkassaType } from './node.type';
import * as receipt from './receipt/Receipt.resource';
import * as session from './session/Session.resource';
import * as shift from './shift/Shift.resource';

const resources: Record<string, Record<string, unknown> | undefined> = {
	cash,
	cashbox,
	receipt,
	session,
	shift,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const webkassaNodeData = {
		resource: this.getNodeParameter('resource', 0),
		operation: this.getNodeParameter('operation', 0),
	} as WebkassaType;

	const operation = resources[webkassaNodeData.resource]?.[webkassaNodeData.operation] as
		| { execute?: ItemOperation }
		| undefined;
	if (typeof operation?.execute !== 'function') {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${webkassaNodeData.operation}" of resource "${webkassaNodeData.resource}" is not known`,
		);
	}
	return [await runForEachItem.call(this, operation.execute)];
}

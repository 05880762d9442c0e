import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { runForEachItem, type ItemOperation } from '../../shared/execute';
import * as chat from './chat/Chat.resource';
import * as contact from './contact/Contact.resource';
import * as message from './message/Message.resource';
import type { WahaType } from './node.type';
import * as session from './session/Session.resource';

/** Each resource module exports its operations by value, e.g. `message.sendText.execute`. */
const resources: Record<string, Record<string, unknown> | undefined> = {
	chat,
	contact,
	message,
	session,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const wahaNodeData = {
		resource: this.getNodeParameter('resource', 0),
		operation: this.getNodeParameter('operation', 0),
	} as WahaType;

	const operation = resources[wahaNodeData.resource]?.[wahaNodeData.operation] as
		| { execute?: ItemOperation }
		| undefined;
	if (typeof operation?.execute !== 'function') {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${wahaNodeData.operation}" of resource "${wahaNodeData.resource}" is not known`,
		);
	}
	return [await runForEachItem.call(this, operation.execute)];
}

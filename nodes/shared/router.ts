import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { runForEachItem, type ItemOperation } from './execute';

/** Whole-batch operations read all input items themselves and return one array per node output. */
export type BatchOperation = (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>;

/** An operation run once per input item, by `runForEachItem` (pairedItem, continueOnFail). */
export interface ItemOperationModule {
	readonly batch?: false;
	execute: ItemOperation;
}

/** An operation that takes the whole input at once: its module exports `batch = true`. */
export interface BatchOperationModule {
	readonly batch: true;
	execute: BatchOperation;
}

export type OperationModule = ItemOperationModule | BatchOperationModule;

/**
 * A node's operation map: resource → the union of its operation values, the same map its
 * `node.type.ts` feeds to n8n's `AllEntities`.
 */
export type OperationMap = Record<string, string>;

/**
 * What the router needs for an operation map: every resource, and under it every operation, as
 * an operation module. Resource modules (`import * as deal from './deal/Deal.resource'`) fit as
 * they are; a missing or misspelt operation is a type error.
 */
export type Routes<M extends OperationMap> = {
	[R in keyof M]: { [O in M[R]]: OperationModule };
};

function own(object: object, key: string): unknown {
	return Object.prototype.hasOwnProperty.call(object, key)
		? (object as Record<string, unknown>)[key]
		: undefined;
}

/**
 * The one router of the pack: reads `resource` and `operation`, then runs a per-item operation
 * through `runForEachItem` (one output) or hands a batch operation the whole input.
 */
export function createRouter<M extends OperationMap>(routes: Routes<M>) {
	return async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const resource = String(this.getNodeParameter('resource', 0));
		const operation = String(this.getNodeParameter('operation', 0));
		const resourceModule = own(routes, resource);
		const operationModule =
			typeof resourceModule === 'object' && resourceModule !== null
				? (own(resourceModule, operation) as Partial<OperationModule> | undefined)
				: undefined;
		if (typeof operationModule?.execute !== 'function') {
			throw new NodeOperationError(
				this.getNode(),
				`The operation "${operation}" of resource "${resource}" is not known`,
			);
		}
		if (operationModule.batch === true) {
			return await (operationModule.execute as BatchOperation).call(this);
		}
		return [await runForEachItem.call(this, operationModule.execute as ItemOperation)];
	};
}

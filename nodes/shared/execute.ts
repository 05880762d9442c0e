import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { maskPhonesInText } from './phone';

/** What an operation returns for one input item. */
type OperationResult = IDataObject | IDataObject[] | INodeExecutionData[];

export type ItemOperation = (
	this: IExecuteFunctions,
	itemIndex: number,
) => Promise<OperationResult>;

function isExecutionData(value: unknown): value is INodeExecutionData {
	return typeof value === 'object' && value !== null && 'json' in value;
}

function toExecutionData(result: OperationResult, itemIndex: number): INodeExecutionData[] {
	const list = Array.isArray(result) ? result : [result];
	return list.map((entry) =>
		isExecutionData(entry)
			? { ...entry, pairedItem: entry.pairedItem ?? { item: itemIndex } }
			: { json: entry as IDataObject, pairedItem: { item: itemIndex } },
	);
}

/**
 * The per-item loop every action node of the pack runs: one operation call per input item,
 * `pairedItem` on every output, `continueOnFail` honoured, and errors tied to their item.
 */
export async function runForEachItem(
	this: IExecuteFunctions,
	operation: ItemOperation,
): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			output.push(...toExecutionData(await operation.call(this, itemIndex), itemIndex));
		} catch (error) {
			const wrapped = asNodeError(this, error, itemIndex);
			if (this.continueOnFail()) {
				output.push({
					json: {
						error: wrapped.message,
						...(wrapped.description ? { description: wrapped.description } : {}),
					},
					// `error` on the item is what routes it to the error output when the node is set to
					// "On Error: Continue (using error output)".
					error: wrapped,
					pairedItem: { item: itemIndex },
				});
				continue;
			}
			throw wrapped;
		}
	}
	return output;
}

/** Keeps n8n errors as they are (with their item) and wraps anything else, masking phone numbers. */
export function asNodeError(
	context: Pick<IExecuteFunctions, 'getNode'>,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(context.getNode(), maskPhonesInText(message), { itemIndex });
}

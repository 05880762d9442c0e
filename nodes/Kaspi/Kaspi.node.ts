import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { router } from './actions/router';
import { versionDescription } from './actions/versionDescription';

/**
 * Programmatic rather than declarative: listing orders splits date ranges into Kaspi's 14-day
 * windows and pages through each, and accepting re-reads the order before and after the change.
 */
export class Kaspi implements INodeType {
	description: INodeTypeDescription = versionDescription;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}

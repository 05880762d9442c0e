/**
 * The Kaspi node's Get Many as the fuzz tests and the tests of their findings run it: one day up to
 * the helpers' NOW, state NEW, every page, entries included.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { Kaspi } from '../../../nodes/Kaspi/Kaspi.node';
import { KASPI_PRODUCTION, kaspiContext, NOW } from '../../helpers/kaspi';

export function getManyParameters(statuses: readonly string[]): IDataObject {
	return {
		resource: 'order',
		operation: 'getMany',
		createdAfter: new Date(NOW - 86_400_000).toISOString(),
		createdBefore: new Date(NOW).toISOString(),
		states: ['NEW'],
		statuses: [...statuses],
		returnAll: true,
		limit: 50,
		options: {},
	};
}

/** Runs the Kaspi node once against the production URL (intercepted by nock). */
export async function runKaspi(parameters: IDataObject): Promise<INodeExecutionData[]> {
	const { context } = kaspiContext(KASPI_PRODUCTION, { parameters });
	const [output] = await new Kaspi().execute.call(context as unknown as IExecuteFunctions);
	return output;
}

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { listCashboxes } from '../../transport/cashboxes';

const properties: INodeProperties[] = [];

export const description = updateDisplayOptions(
	{ show: { resource: ['session'], operation: ['renewToken'] } },
	properties,
);

/**
 * Logs in afresh (n8n stores the new token in the credential for every workflow) and proves the
 * token works with the cashbox list. The token itself is never output.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const cashboxes = await listCashboxes(this, itemIndex, { forceLogin: true });
	return {
		renewed: true,
		verifiedWith: 'Cashboxes',
		renewedAt: new Date().toISOString(),
		cashboxCount: cashboxes.length,
		cashboxes,
	};
}

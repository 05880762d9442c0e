import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { listCashboxes } from '../transport/cashboxes';

/** The cashier's cashboxes by name, with the unique number (ЗНК) as the value. */
export async function searchCashboxes(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const needle = filter?.trim().toLowerCase() ?? '';
	const cashboxes = await listCashboxes(this);
	return {
		results: cashboxes
			.map((cashbox) => ({
				name: `${String(cashbox.name ?? cashbox.uniqueNumber)} (${String(cashbox.uniqueNumber)}, ${String(cashbox.status)})`,
				value: String(cashbox.uniqueNumber),
			}))
			.filter((entry) => entry.name.toLowerCase().includes(needle))
			.sort((a, b) => a.name.localeCompare(b.name)),
	};
}

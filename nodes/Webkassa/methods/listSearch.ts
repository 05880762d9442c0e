import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { listSearchResult } from '../../shared/listSearch';
import { listCashboxes } from '../transport/cashboxes';

/** The cashier's cashboxes by name, with the unique number (ЗНК) as the value. */
export async function searchCashboxes(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const cashboxes = await listCashboxes(this);
	const label = (cashbox: (typeof cashboxes)[number]) =>
		`${String(cashbox.name ?? cashbox.uniqueNumber)} (${String(cashbox.uniqueNumber)}, ${String(cashbox.status)})`;
	return listSearchResult(
		cashboxes,
		filter,
		(cashbox) => ({ name: label(cashbox), value: String(cashbox.uniqueNumber) }),
		{ sortBy: label },
	);
}

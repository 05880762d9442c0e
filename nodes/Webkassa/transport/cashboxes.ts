import type { IDataObject } from 'n8n-workflow';

import type { ApiContext } from '../../shared/http';
import { webkassaRequest, type WebkassaCallOptions } from './index';
import type { WebkassaCashboxListItem } from './types';

/** `CurrentStatus` labels (webkassa.md §7, DOC numbering). */
const STATUSES: Record<number, string> = {
	0: 'created',
	1: 'active',
	2: 'blocked by the OFD',
	3: 'data integrity violated',
	4: 'blocked by the tax inspector',
	5: 'deregistered',
};

export function cashboxOutput(cashbox: WebkassaCashboxListItem): IDataObject {
	const status = Number(cashbox.CurrentStatus ?? -1);
	return {
		uniqueNumber: cashbox.UniqueNumber,
		registrationNumber: cashbox.RegistrationNumber,
		name: cashbox.Name ?? null,
		description: cashbox.Description ?? null,
		status: STATUSES[status] ?? `status ${status}`,
		statusCode: status,
		offline: cashbox.IsOffline === true,
	};
}

/** The cashier's cashboxes. Webkassa support asks not to call this routinely: pickers and checks only. */
export async function listCashboxes(
	context: ApiContext,
	itemIndex?: number,
	options: Omit<WebkassaCallOptions, 'itemIndex'> = {},
): Promise<IDataObject[]> {
	const data = await webkassaRequest<{ List?: WebkassaCashboxListItem[] }>(context, 'cashboxes', {}, {
		itemIndex,
		idempotent: true,
		...options,
	});
	return (data.List ?? []).map(cashboxOutput);
}

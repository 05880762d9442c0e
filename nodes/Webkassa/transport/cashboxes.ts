import type { IDataObject } from 'n8n-workflow';

import type { ApiContext } from '../../shared/http';
import { webkassaRequest, WEBKASSA_CREDENTIAL, type WebkassaCallOptions } from './index';
import { connectionOf } from './session';
import type { WebkassaCashboxListItem } from './types';

/** `CurrentStatus` labels (docs/services/webkassa.md, "Cashbox status": DOC's numbering). */
const STATUSES: Record<number, string> = {
	0: 'created',
	1: 'active',
	2: 'blocked by the OFD',
	3: 'data integrity violated',
	4: 'blocked by the tax inspector',
	5: 'deregistered',
};

function cashboxOutput(cashbox: WebkassaCashboxListItem): IDataObject {
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
	const data = await webkassaRequest<{ List?: WebkassaCashboxListItem[] }>(
		context,
		'cashboxes',
		{},
		{
			itemIndex,
			idempotent: true,
			...options,
		},
	);
	return (data.List ?? []).map(cashboxOutput);
}

/** RNMs already read, by host and cashbox: a cashbox's registration number does not change. */
const registrationNumbers = new Map<string, string>();

/**
 * The cashbox's registration number (RNM), read from `Cashboxes` once per process. Webkassa's
 * support asks integrators not to call `Cashboxes` routinely (docs/services/webkassa.md), so this
 * is only the fallback when the receipt history did not carry the RNM.
 */
export async function registrationNumberOf(
	context: ApiContext,
	cashbox: string,
	itemIndex?: number,
): Promise<string | undefined> {
	const { baseUrl } = connectionOf(await context.getCredentials(WEBKASSA_CREDENTIAL, itemIndex));
	const key = `${baseUrl}|${cashbox}`;
	if (!registrationNumbers.has(key)) {
		for (const entry of await listCashboxes(context, itemIndex)) {
			registrationNumbers.set(
				`${baseUrl}|${String(entry.uniqueNumber)}`,
				String(entry.registrationNumber),
			);
		}
	}
	return registrationNumbers.get(key);
}

/** Tests only: forget the RNMs read. */
export function resetRegistrationNumbers(): void {
	registrationNumbers.clear();
}

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { webkassaRequest } from '../../transport';
import type { WebkassaShift, WebkassaShiftHistory } from '../../transport/types';
import { toIsoDate } from '../receipt/lookup';
import { cashboxRLC, listControls, readCashbox } from '../common.descriptions';

const PAGE = 50;

const properties: INodeProperties[] = [cashboxRLC, ...listControls('shift', 'history')];

export const description = updateDisplayOptions(
	{ show: { resource: ['shift'], operation: ['history'] } },
	properties,
);

/** One shift, with how long an open one has been open (a shift must close within 24 h). */
export function shiftOutput(shift: WebkassaShift, cashbox: string, now = Date.now()): IDataObject {
	const openedAt = toIsoDate(shift.OpenDate);
	const closedAt = toIsoDate(shift.CloseDate ?? undefined);
	const open = !shift.CloseDate;
	return {
		cashboxUniqueNumber: cashbox,
		shiftNumber: shift.ShiftNumber,
		open,
		openedAt: openedAt ?? shift.OpenDate,
		closedAt: closedAt ?? null,
		openHours: open && openedAt ? Math.round(((now - Date.parse(openedAt)) / 3_600_000) * 10) / 10 : null,
	};
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const cashbox = readCashbox(this, itemIndex);
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? Number.POSITIVE_INFINITY : (this.getNodeParameter('limit', itemIndex, 50) as number);
	const shifts: WebkassaShift[] = [];
	for (let skip = 0; shifts.length < limit; skip += PAGE) {
		const page = await webkassaRequest<WebkassaShiftHistory>(
			this,
			'shiftHistory',
			{ CashboxUniqueNumber: cashbox, Skip: skip, Take: Math.min(PAGE, limit - shifts.length) },
			{ itemIndex, idempotent: true },
		);
		const batch = page.Shifts ?? [];
		shifts.push(...batch);
		if (batch.length === 0 || skip + batch.length >= Number(page.Total ?? 0)) break;
	}
	return shifts.slice(0, limit).map((shift) => shiftOutput(shift, cashbox));
}

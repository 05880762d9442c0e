import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { latestShifts } from '../../transport/shifts';
import type { WebkassaShift } from '../../transport/types';
import { toIsoDate } from '../receipt/lookup';
import { cashboxRLC, listControls, readCashbox } from '../common.descriptions';

const properties: INodeProperties[] = [cashboxRLC, ...listControls('shift', 'history')];

export const description = updateDisplayOptions(
	{ show: { resource: ['shift'], operation: ['history'] } },
	properties,
);

/** One shift, with how long an open one has been open (a shift must close within 24 h). */
function shiftOutput(shift: WebkassaShift, cashbox: string, now = Date.now()): IDataObject {
	const openedAt = toIsoDate(shift.OpenDate);
	const closedAt = toIsoDate(shift.CloseDate ?? undefined);
	const open = !shift.CloseDate;
	return {
		cashboxUniqueNumber: cashbox,
		shiftNumber: shift.ShiftNumber,
		open,
		openedAt: openedAt ?? shift.OpenDate,
		closedAt: closedAt ?? null,
		openHours:
			open && openedAt ? Math.round(((now - Date.parse(openedAt)) / 3_600_000) * 10) / 10 : null,
	};
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const cashbox = readCashbox(this, itemIndex);
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll
		? Number.POSITIVE_INFINITY
		: (this.getNodeParameter('limit', itemIndex, 50) as number);
	// Newest first, so "limit 1" is the current shift (the token-rotation workflow's check).
	const shifts = await latestShifts(this, cashbox, limit, itemIndex);
	return shifts.map((shift) => shiftOutput(shift, cashbox));
}

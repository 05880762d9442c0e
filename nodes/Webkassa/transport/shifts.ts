import type { ApiContext } from '../../shared/http';
import { webkassaRequest } from './index';
import type { WebkassaShift, WebkassaShiftHistory } from './types';

/** Shifts per `Cashbox/ShiftHistory` call. */
const PAGE = 50;

/**
 * A cashbox's newest shifts, newest first. `Cashbox/ShiftHistory` lists shifts oldest first, the
 * open one last (docs/services/webkassa.md, "Shift history"), so `Skip: 0` would be the cashbox's
 * very first shifts: a first one-shift call learns `Total`, then pages are read from the end.
 * Each page is sorted by number as well, so the result does not rest on the order within a page.
 */
export async function latestShifts(
	context: ApiContext,
	cashbox: string,
	limit: number,
	itemIndex?: number,
): Promise<WebkassaShift[]> {
	const read = async (skip: number, take: number) =>
		await webkassaRequest<WebkassaShiftHistory>(
			context,
			'shiftHistory',
			{ CashboxUniqueNumber: cashbox, Skip: skip, Take: take },
			{ itemIndex, idempotent: true },
		);
	const first = await read(0, 1);
	let end = Number(first.Total ?? 0);
	if (end <= 1) return (first.Shifts ?? []).slice(0, limit);
	const shifts: WebkassaShift[] = [];
	while (end > 0 && shifts.length < limit) {
		const take = Math.min(PAGE, end, limit - shifts.length);
		const skip = end - take;
		const batch = [...((await read(skip, take)).Shifts ?? [])].sort(
			(a, b) => b.ShiftNumber - a.ShiftNumber,
		);
		if (batch.length === 0) break;
		shifts.push(...batch);
		end = skip;
	}
	return shifts.slice(0, limit);
}

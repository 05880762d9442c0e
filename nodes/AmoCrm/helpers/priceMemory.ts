import type { IDataObject } from 'n8n-workflow';

/**
 * The Kaspi total Sync Orders last wrote to each order's deal, kept in the node's workflow static
 * data so a later run can tell Kaspi's total moving from an operator's edit of the budget
 * (docs/services/amocrm.md, "Deal price"). Bounded: an order not seen for `MAX_AGE_MS` is forgotten,
 * and at most `MAX_ENTRIES` orders are kept, the most recently seen.
 */
export const PRICE_MEMORY_KEY = 'amoCrmLastTotals';
export const MAX_ENTRIES = 3000;
export const MAX_AGE_MS = 30 * 24 * 3600 * 1000;

interface Stored {
	host: string;
	/** Order code → [total, last seen (ms since 1970)]. */
	totals: Record<string, [number, number]>;
}

function stored(staticData: IDataObject, host: string): Stored['totals'] {
	const value = staticData[PRICE_MEMORY_KEY] as Stored | undefined;
	// Another account's deals are not this one's: start over when the host changed.
	if (!value || value.host !== host || typeof value.totals !== 'object' || !value.totals) return {};
	return value.totals;
}

export function loadTotals(staticData: IDataObject, host: string): Map<string, number> {
	const totals = new Map<string, number>();
	for (const [code, entry] of Object.entries(stored(staticData, host))) {
		if (Array.isArray(entry) && Number.isFinite(entry[0])) totals.set(code, entry[0]);
	}
	return totals;
}

/** Writes `totals` back, marking `seen` orders as seen now, and drops old and excess entries. */
export function saveTotals(
	staticData: IDataObject,
	host: string,
	totals: Map<string, number>,
	seen: Iterable<string>,
	now = Date.now(),
): void {
	const previous = stored(staticData, host);
	const seenNow = new Set(seen);
	const entries: Array<[string, [number, number]]> = [];
	for (const [code, total] of totals) {
		const at = seenNow.has(code) ? now : (previous[code]?.[1] ?? now);
		if (now - at <= MAX_AGE_MS) entries.push([code, [total, at]]);
	}
	entries.sort((a, b) => b[1][1] - a[1][1]);
	staticData[PRICE_MEMORY_KEY] = {
		host,
		totals: Object.fromEntries(entries.slice(0, MAX_ENTRIES)),
	} as unknown as IDataObject;
}

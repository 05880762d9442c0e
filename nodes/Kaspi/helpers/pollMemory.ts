import type { KaspiOrder } from './mapper';

/**
 * What the Kaspi Trigger remembers between polls, stored in workflow static data.
 * `seen` maps an order code to its last state and creation date, for orders inside the window.
 */
export interface TriggerMemory {
	version: 1;
	/** Upper bound of the last successful poll, epoch ms. */
	watermark: number;
	seen: Record<string, [state: string, creationDate: number]>;
}

export interface TriggerEvent {
	order: KaspiOrder;
	event: 'new' | 'stateChanged';
	previousState?: string;
}

export interface PollSettings {
	now: number;
	/** How far before the watermark each poll looks again, for orders that appear late. */
	overlapMs: number;
	/** How long an order is watched for state changes; 0 when changes are not emitted. */
	trackMs: number;
}

export interface PollPlan {
	/** Start of the creation-date range to query, epoch ms. */
	from: number;
	/** Decides what to emit for the orders found, and the memory to keep. */
	apply(
		orders: KaspiOrder[],
		emitStateChanges: boolean,
	): { memory: TriggerMemory; events: TriggerEvent[] };
}

/**
 * Plans one poll. Without a memory (the first poll after activation) the orders found are only
 * recorded, not emitted: activating a workflow must not replay the shop's history.
 */
export function planPoll(previous: TriggerMemory | undefined, settings: PollSettings): PollPlan {
	const { now, overlapMs, trackMs } = settings;
	const lookback = Math.max(overlapMs, trackMs);
	const from = previous ? Math.min(previous.watermark - overlapMs, now - trackMs) : now - lookback;

	return {
		from: Math.min(from, now),
		apply(orders, emitStateChanges) {
			const events: TriggerEvent[] = [];
			const seen: TriggerMemory['seen'] = {};
			const keepAfter = now - lookback;
			for (const [code, entry] of Object.entries(previous?.seen ?? {})) {
				if (entry[1] >= keepAfter) seen[code] = entry;
			}
			for (const order of [...orders].sort((a, b) => a.creationDate - b.creationDate)) {
				const before = previous?.seen[order.code];
				if (previous && !before) {
					events.push({ order, event: 'new' });
				} else if (previous && before && emitStateChanges && before[0] !== order.state) {
					events.push({ order, event: 'stateChanged', previousState: before[0] });
				}
				seen[order.code] = [order.state, order.creationDate];
			}
			return { memory: { version: 1, watermark: now, seen }, events };
		},
	};
}

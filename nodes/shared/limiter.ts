import { clock } from './clock';

/** A service's pace: at most `limit` calls in any `windowMs`, per key (an account host, a token). */
interface RatePolicy {
	limit: number;
	windowMs: number;
}

/** One call: `at` is when it left, then when its answer came; `Infinity` while in flight. */
interface Slot {
	at: number;
}

interface KeyState {
	/** The calls of the last window, and those in flight. */
	slots: Slot[];
	/** Calls wait in line per key, so a burst is spread evenly rather than raced. */
	tail?: Promise<void>;
	/** Told (by a 429) to hold off until this time. */
	pausedUntil: number;
	/** Callers waiting for a call in flight to be answered. */
	waiting: Array<() => void>;
}

/**
 * One windowed limiter per key, for the whole n8n process. A call is counted from when it left
 * until its answer is in, and from then on for a full window: the (limit + 1)th call leaves only
 * after the first one's answer is a window old, so no more than `limit` calls can arrive within
 * one window, whatever the latency. Calls are admitted in arrival order. `marginMs` is added to
 * every wait, for clocks that do not agree to the millisecond. Time is the pack's clock.
 */
export class RateLimiter {
	private readonly keys = new Map<string, KeyState>();

	constructor(private readonly marginMs = 0) {}

	private state(key: string): KeyState {
		let state = this.keys.get(key);
		if (!state) {
			state = { slots: [], pausedUntil: 0, waiting: [] };
			this.keys.set(key, state);
		}
		return state;
	}

	private async admit(state: KeyState, { limit, windowMs }: RatePolicy): Promise<Slot> {
		for (;;) {
			const now = clock.now();
			const pause = state.pausedUntil - now;
			if (pause > 0) {
				await clock.sleep(pause);
				continue;
			}
			state.slots = state.slots.filter((slot) => now - slot.at < windowMs);
			if (state.slots.length < limit) {
				const slot = { at: Infinity };
				state.slots.push(slot);
				return slot;
			}
			const oldest = Math.min(...state.slots.map((slot) => slot.at));
			if (Number.isFinite(oldest)) await clock.sleep(windowMs - (now - oldest) + this.marginMs);
			else await new Promise<void>((resolve) => state.waiting.push(resolve));
		}
	}

	/**
	 * Waits until a call for `key` keeps within the policy, then records the call. Call the returned
	 * function when the answer is in (once; later calls do nothing).
	 */
	async acquire(key: string, policy: RatePolicy): Promise<() => void> {
		const state = this.state(key);
		const mine = (state.tail ?? Promise.resolve()).then(
			async () => await this.admit(state, policy),
		);
		const tail = mine.then(
			() => undefined,
			() => undefined,
		);
		state.tail = tail;
		const slot = await mine;
		if (state.tail === tail) state.tail = undefined;
		let released = false;
		return () => {
			if (released) return;
			released = true;
			slot.at = clock.now();
			const waiting = state.waiting.splice(0);
			for (const wake of waiting) wake();
		};
	}

	/** Every caller for `key` waits `ms` before its next call. */
	pause(key: string, ms: number): void {
		const state = this.state(key);
		state.pausedUntil = Math.max(state.pausedUntil, clock.now() + ms);
	}

	/** How long `key` stays paused, in ms (0 when it is not). */
	pausedFor(key: string): number {
		return Math.max(0, (this.keys.get(key)?.pausedUntil ?? 0) - clock.now());
	}

	/** Forgets every key (tests). */
	reset(): void {
		this.keys.clear();
	}
}

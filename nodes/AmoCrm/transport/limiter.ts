import { clock } from '../../shared/clock';

/** amoCRM's documented ceiling (docs/services/amocrm.md, "Rate limit and blocking"). */
export const REQUESTS_PER_SECOND = 7;
/**
 * amoCRM counts a call when it arrives, somewhere between when it left and when its answer came
 * back. A call is therefore counted from when it left until its answer is in, and from then on
 * for a full second: the eighth call leaves only after the first one's answer is a second old, so
 * no eight calls can arrive within one second, whatever the latency or a pause of the process.
 */
const WINDOW_MS = 1000 + 10;

/** One call: `at` is when it left, then when its answer came; `Infinity` while in flight. */
interface Slot {
	at: number;
}

/**
 * The calls of the last second (and those in flight), per account host. Module state: shared by
 * every workflow, execution and node of this n8n process, and only of this process — queue-mode
 * workers each have their own, so N workers calling one account can together reach N × 7 rps.
 * amoCRM counts the 7 per second per IP and blocks the IP (docs/services/amocrm.md, "Rate limit
 * and blocking"): two accounts, or two workers, behind one n8n IP share one budget, so lower the
 * credential's Requests Per Second Per Process for each.
 */
const windows = new Map<string, Slot[]>();
/** Calls wait in line per host, so a burst is spread evenly rather than raced. */
const queues = new Map<string, Promise<void>>();
/** Hosts told by a 429 to hold off until this time. */
const pausedUntil = new Map<string, number>();
/** When each host last answered 429: a 403 soon after is a block, not missing rights. */
const limitedAt = new Map<string, number>();

/** How long to wait before a slot frees up; a slot in flight frees up once it is answered. */
const IN_FLIGHT_RECHECK_MS = 20;

async function admit(host: string, limit: number): Promise<Slot> {
	for (;;) {
		const now = clock.now();
		const pause = (pausedUntil.get(host) ?? 0) - now;
		if (pause > 0) {
			await clock.sleep(pause);
			continue;
		}
		const recent = (windows.get(host) ?? []).filter((slot) => now - slot.at < WINDOW_MS);
		windows.set(host, recent);
		if (recent.length < limit) {
			const slot = { at: Infinity };
			recent.push(slot);
			return slot;
		}
		const oldest = Math.min(...recent.map((slot) => slot.at));
		await clock.sleep(
			Number.isFinite(oldest) ? WINDOW_MS - (now - oldest) + 1 : IN_FLIGHT_RECHECK_MS,
		);
	}
}

/**
 * Waits until a call to `host` keeps it within `limit` calls in any one-second window (counted as
 * above), then records the call. Calls are admitted in arrival order. Call the returned function
 * when the answer is in.
 */
export async function acquire(host: string, limit = REQUESTS_PER_SECOND): Promise<() => void> {
	const previous = queues.get(host) ?? Promise.resolve();
	const mine = previous.then(async () => await admit(host, limit));
	const tail = mine.then(
		() => undefined,
		() => undefined,
	);
	queues.set(host, tail);
	const slot = await mine;
	if (queues.get(host) === tail) queues.delete(host);
	return () => {
		slot.at = clock.now();
	};
}

/** After a 429: every caller for the host waits `seconds` before its next call. */
export function pauseHost(host: string, seconds: number): void {
	const now = clock.now();
	limitedAt.set(host, now);
	pausedUntil.set(host, Math.max(pausedUntil.get(host) ?? 0, now + seconds * 1000));
}

/** How long the host stays paused by a 429, in ms (0 when it is not). */
export function pausedFor(host: string): number {
	return Math.max(0, (pausedUntil.get(host) ?? 0) - clock.now());
}

/** Whether the host answered 429 within the last `withinMs`. */
export function limitedRecently(host: string, withinMs: number): boolean {
	const at = limitedAt.get(host);
	return at !== undefined && clock.now() - at <= withinMs;
}

/** For tests. */
export function resetLimiter(): void {
	windows.clear();
	queues.clear();
	pausedUntil.clear();
	limitedAt.clear();
}

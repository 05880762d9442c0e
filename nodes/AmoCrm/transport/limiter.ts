import { clock } from '../../shared/clock';
import { RateLimiter } from '../../shared/limiter';

/** amoCRM's documented ceiling (docs/services/amocrm.md, "Rate limit and blocking"). */
export const REQUESTS_PER_SECOND = 7;
/**
 * amoCRM counts a call when it arrives, somewhere between when it left and when its answer came
 * back. A call is therefore counted from when it left until its answer is in, and from then on
 * for a full second: the eighth call leaves only after the first one's answer is a second old, so
 * no eight calls can arrive within one second, whatever the latency or a pause of the process.
 */
const WINDOW_MS = 1000 + 10;
/** A millisecond on top of every wait, for clocks that do not agree to the millisecond. */
const MARGIN_MS = 1;

/**
 * The calls of the last second (and those in flight), per account host. Module state: shared by
 * every workflow, execution and node of this n8n process, and only of this process — queue-mode
 * workers each have their own, so N workers calling one account can together reach N × 7 rps.
 * amoCRM counts the 7 per second per IP and blocks the IP (docs/services/amocrm.md, "Rate limit
 * and blocking"): two accounts, or two workers, behind one n8n IP share one budget, so lower the
 * credential's Requests Per Second Per Process for each.
 */
const limiter = new RateLimiter(MARGIN_MS);
/** When each host last answered 429: a 403 soon after is a block, not missing rights. */
const limitedAt = new Map<string, number>();

/**
 * Waits until a call to `host` keeps it within `limit` calls in any one-second window (counted as
 * above), then records the call. Calls are admitted in arrival order. Call the returned function
 * when the answer is in.
 */
export async function acquire(host: string, limit = REQUESTS_PER_SECOND): Promise<() => void> {
	return await limiter.acquire(host, { limit, windowMs: WINDOW_MS });
}

/** After a 429: every caller for the host waits `seconds` before its next call. */
export function pauseHost(host: string, seconds: number): void {
	limitedAt.set(host, clock.now());
	limiter.pause(host, seconds * 1000);
}

/** How long the host stays paused by a 429, in ms (0 when it is not). */
export function pausedFor(host: string): number {
	return limiter.pausedFor(host);
}

/** Whether the host answered 429 within the last `withinMs`. */
export function limitedRecently(host: string, withinMs: number): boolean {
	const at = limitedAt.get(host);
	return at !== undefined && clock.now() - at <= withinMs;
}

/** For tests. */
export function resetLimiter(): void {
	limiter.reset();
	limitedAt.clear();
}

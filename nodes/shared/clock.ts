import { sleep } from 'n8n-workflow';

/**
 * Time and chance for the pack's waits: rate limiters, Retry-After and throttle pauses, and WAHA's
 * human-like pace. One object, so that tests can drive it (test/helpers/clock.ts).
 */
export const clock: {
	now: () => number;
	sleep: (ms: number) => Promise<void>;
	random: () => number;
} = {
	now: () => Date.now(),
	sleep: async (ms: number): Promise<void> => await sleep(ms),
	random: () => Math.random(),
};

/**
 * The tests' one clock: the pack's clock (nodes/shared/clock.ts), which tests drive by hand or put
 * on fake time, where sleeping advances the time instead of waiting.
 */
import type { sleep as n8nSleep } from 'n8n-workflow';

import { clock } from '../../nodes/shared/clock';

export { clock };

/** The fake time; it only moves forward, across the tests of a file. */
export const fakeTime = { now: 1_800_000_000_000 };
/** The waits asked for since the fake time was last started. */
export const sleeps: number[] = [];

/** n8n's real `sleep(0)`, even where a test mocks `sleep`: lets timers and sockets run. */
export async function yieldToTimers(): Promise<void> {
	const actual = jest.requireActual<{ sleep: typeof n8nSleep }>('n8n-workflow');
	await actual.sleep(0);
}

/** Puts the clock on fake time until `jest.restoreAllMocks()`; call it in a `beforeEach`. */
export function startFakeTime(): void {
	sleeps.length = 0;
	jest.spyOn(clock, 'now').mockImplementation(() => fakeTime.now);
	jest.spyOn(clock, 'sleep').mockImplementation(async (ms: number) => {
		// Yield like a real timer, so calls in flight can finish while another call waits.
		await yieldToTimers();
		sleeps.push(ms);
		fakeTime.now += ms;
	});
}

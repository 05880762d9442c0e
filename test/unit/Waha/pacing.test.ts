import {
	MAX_DELAY_SECONDS,
	randomDelayMs,
	TYPING_MAX_MS,
	TYPING_MIN_MS,
	typingDurationMs,
} from '../../../nodes/Waha/helpers/pacing';

const fixed = (value: number) => () => value;

describe('WAHA human-like pace', () => {
	it('types for at least a second and at most eight, whatever the text and the dice', () => {
		for (const length of [0, 1, 10, 60, 120, 500, 100_000]) {
			for (const roll of [0, 0.5, 0.999999]) {
				const ms = typingDurationMs(length, fixed(roll));
				expect(ms).toBeGreaterThanOrEqual(TYPING_MIN_MS);
				expect(ms).toBeLessThanOrEqual(TYPING_MAX_MS);
			}
		}
		expect(typingDurationMs(0, fixed(0.5))).toBe(TYPING_MIN_MS);
		expect(typingDurationMs(10_000, fixed(0.5))).toBe(TYPING_MAX_MS);
	});

	it('types longer for a longer text', () => {
		expect(typingDurationMs(90, fixed(0.5))).toBeGreaterThan(typingDurationMs(30, fixed(0.5)));
	});

	it('draws the delay uniformly between the bounds, in either order', () => {
		expect(randomDelayMs(30, 60, fixed(0))).toBe(30_000);
		expect(randomDelayMs(30, 60, fixed(0.5))).toBe(45_000);
		expect(randomDelayMs(30, 60, fixed(1))).toBe(60_000);
		expect(randomDelayMs(60, 30, fixed(0))).toBe(30_000);
		expect(randomDelayMs(5, 5, fixed(0.7))).toBe(5_000);
	});

	it('clamps nonsense bounds to 0–600 seconds', () => {
		expect(randomDelayMs(-10, 0, fixed(0.5))).toBe(0);
		expect(randomDelayMs(0, 10_000, fixed(1))).toBe(MAX_DELAY_SECONDS * 1000);
		expect(randomDelayMs(Number.NaN, 2, fixed(1))).toBe(2_000);
	});
});

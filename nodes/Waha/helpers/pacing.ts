import { clock } from '../../shared/clock';

/**
 * Human-like pace (docs/services/waha.md, "Typing and pace": typing before a message, random
 * pauses between messages). The random source and the sleep are the pack's clock
 * (nodes/shared/clock.ts), so tests can swap them for deterministic ones.
 */

export const TYPING_MIN_MS = 1000;
export const TYPING_MAX_MS = 8000;
/** A brisk typist; the result is jittered by ±25 % and bounded by the two limits above. */
const TYPING_CHARS_PER_SECOND = 15;
export const MAX_DELAY_SECONDS = 600;

/** How long "typing…" shows before a message of `textLength` characters. */
export function typingDurationMs(textLength: number, random: () => number = clock.random): number {
	const base = (Math.max(0, textLength) / TYPING_CHARS_PER_SECOND) * 1000;
	const jittered = base * (0.75 + random() * 0.5);
	return Math.round(Math.min(TYPING_MAX_MS, Math.max(TYPING_MIN_MS, jittered)));
}

/** A uniform random pause between `minSeconds` and `maxSeconds` (either order, clamped to 0–600 s). */
export function randomDelayMs(
	minSeconds: number,
	maxSeconds: number,
	random: () => number = clock.random,
): number {
	const clamp = (seconds: number) =>
		Math.min(MAX_DELAY_SECONDS, Math.max(0, Number.isFinite(seconds) ? seconds : 0));
	const low = Math.min(clamp(minSeconds), clamp(maxSeconds));
	const high = Math.max(clamp(minSeconds), clamp(maxSeconds));
	return Math.round((low + random() * (high - low)) * 1000);
}

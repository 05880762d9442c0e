// @ts-check
/**
 * A seeded pseudo-random generator (mulberry32), so seed data and generated orders are the same on
 * every run and after every reset.
 */

/**
 * @typedef {object} Random
 * @property {() => number} next Uniform in [0, 1).
 * @property {(min: number, max: number) => number} int Integer in [min, max].
 * @property {<T>(items: readonly T[]) => T} pick
 * @property {(length: number) => string} digits
 * @property {(length: number) => string} hex Upper-case hex, like WhatsApp message ids.
 */

/**
 * @param {number} seed
 * @returns {Random}
 */
export function createRandom(seed) {
	let state = seed >>> 0;
	const next = () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	/** @type {Random['int']} */
	const int = (min, max) => min + Math.floor(next() * (max - min + 1));
	return {
		next,
		int,
		pick: (items) => items[int(0, items.length - 1)],
		digits: (length) => Array.from({ length }, () => String(int(0, 9))).join(''),
		hex: (length) => Array.from({ length }, () => int(0, 15).toString(16).toUpperCase()).join(''),
	};
}

// @ts-check
/**
 * amoCRM's `query` search: word prefixes, and the search index's delay.
 */
import { digitsOf } from './common.mjs';

/** @typedef {import('./state.mjs').AmoState} AmoState */

/**
 * The words `query` indexes in a text: runs of letters and digits, lower-cased.
 * @param {unknown} text
 */
export const wordsOf = (text) =>
	String(text ?? '')
		.toLowerCase()
		.match(/[\p{L}\p{N}]+/gu) ?? [];

/**
 * amoCRM's `query` ("searches through the filled fields of the entity", leads-api, contacts-api):
 * every word of the query must begin a word of the name or of a field value; a word inside a word
 * does not match. A PHONE value is also indexed as all its digits, so `77015551234` finds
 * "+7 (701) 555-12-34", but the national part `7015551234` does not: it starts no word. An entity
 * is found only once the search index has it, `searchDelayMs` after it was created.
 * @param {AmoState} state
 * @param {any} entity
 * @param {string} query
 */
export function matchesQuery(state, entity, query) {
	if ((state.searchableAt.get(entity.id) ?? 0) > Date.now()) return false;
	const needles = wordsOf(query);
	if (needles.length === 0) return false;
	const words = [
		...wordsOf(entity.name),
		...(entity.custom_fields_values ?? []).flatMap((/** @type {any} */ field) =>
			field.values.flatMap((/** @type {any} */ value) => [
				...wordsOf(value.value),
				...(field.field_code === 'PHONE' && digitsOf(value.value) ? [digitsOf(value.value)] : []),
			]),
		),
	];
	return needles.every((needle) => words.some((word) => word.startsWith(needle)));
}

/**
 * Starts the search-index delay of a new entity.
 * @param {AmoState} state
 * @param {number} id
 */
export function indexLater(state, id) {
	if (state.profile.searchDelayMs > 0)
		state.searchableAt.set(id, Date.now() + state.profile.searchDelayMs);
}

// @ts-check
/**
 * Contacts: create, phone keys, and their routes.
 */
import { isObject, json } from '../../lib/http.mjs';
import {
	SEED,
	asArray,
	digitsOf,
	fail,
	newId,
	nowSeconds,
	ordered,
	page,
	validationError,
} from './common.mjs';
import { contactFieldValues } from './fields.mjs';
import { indexLater, matchesQuery } from './search.mjs';

/** @typedef {import('./state.mjs').AmoState} AmoState */
/** @typedef {import('./common.mjs').On} On */

/**
 * @param {AmoState} state
 * @param {any} input
 * @param {string} requestId
 */
export function newContact(state, input, requestId) {
	if (!isObject(input))
		throw validationError([
			{ request_id: requestId, path: '', detail: 'This value should be of type object.' },
		]);
	const name = String(input.name ?? [input.first_name, input.last_name].filter(Boolean).join(' '));
	const contact = {
		id: newId(state),
		name,
		first_name: input.first_name ?? '',
		last_name: input.last_name ?? '',
		responsible_user_id: input.responsible_user_id ?? SEED.userId,
		created_at: nowSeconds(),
		updated_at: nowSeconds(),
		custom_fields_values: contactFieldValues(input.custom_fields_values),
	};
	state.contacts.set(contact.id, contact);
	indexLater(state, contact.id);
	return contact;
}

/**
 * @param {any} contact
 * @returns {string[]}
 */
export const phoneKeys = (contact) =>
	(contact?.custom_fields_values ?? [])
		.filter((/** @type {any} */ field) => field.field_code === 'PHONE')
		.flatMap((/** @type {any} */ field) => field.values ?? [])
		.map((/** @type {any} */ value) => digitsOf(value.value).slice(-10))
		.filter((/** @type {string} */ key) => key.length >= 10);

/**
 * Contacts: list with `query`, one by id, add.
 * @param {AmoState} state
 * @param {On} on
 */
export function contactRoutes(state, on) {
	on('GET', '/api/v4/contacts', (ctx) => {
		let contacts = [...state.contacts.values()];
		if (ctx.query.query)
			contacts = contacts.filter((contact) => matchesQuery(state, contact, ctx.query.query));
		contacts = ordered(ordered(contacts, ctx, 'updated_at'), ctx, 'id');
		return page(ctx, 'contacts', contacts, (contact) => ({
			...contact,
			custom_fields_values: contact.custom_fields_values.length
				? contact.custom_fields_values
				: null,
		}));
	});
	on('GET', '/api/v4/contacts/:id', (ctx) => {
		const contact = state.contacts.get(Number(ctx.params.id));
		if (!contact) throw fail(404, `Contact ${ctx.params.id} not found`);
		return json(contact);
	});
	on('POST', '/api/v4/contacts', (ctx) => {
		const inputs = asArray(ctx.body);
		const contacts = inputs.map((input, index) => newContact(state, input, String(index)));
		return json({
			_embedded: {
				contacts: contacts.map((contact, index) => ({
					id: contact.id,
					request_id: String(inputs[index].request_id ?? index),
				})),
			},
		});
	});
}

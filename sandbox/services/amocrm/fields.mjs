// @ts-check
/**
 * Custom field values: deal fields checked against the account's fields and their types; contact
 * PHONE/EMAIL values.
 */
import { isObject } from '../../lib/http.mjs';
import { validationError } from './common.mjs';

/** @typedef {import('./state.mjs').AmoState} AmoState */

/**
 * Validates deal custom field values against the account's deal fields.
 * @param {AmoState} state
 * @param {any} values
 * @param {string} requestId
 */
export function leadFieldValues(state, values, requestId) {
	if (values === undefined || values === null) return [];
	if (!Array.isArray(values))
		throw validationError([
			{
				request_id: requestId,
				path: 'custom_fields_values',
				detail: 'This value should be of type array.',
			},
		]);
	return values.map((value, index) => {
		const field = state.leadFields.find((candidate) => candidate.id === value.field_id);
		if (!field) {
			throw validationError([
				{
					request_id: requestId,
					path: `custom_fields_values.${index}.field_id`,
					detail: 'The value you selected is not a valid choice.',
				},
			]);
		}
		const entries = Array.isArray(value.values) ? value.values : [];
		return {
			field_id: field.id,
			field_name: field.name,
			field_code: field.code,
			field_type: field.type,
			values: entries.map((/** @type {any} */ entry, /** @type {number} */ valueIndex) => {
				const path = `custom_fields_values.${index}.values.${valueIndex}`;
				const refuse = (
					/** @type {string} */ code,
					/** @type {string} */ detail,
					suffix = '.value',
				) => {
					throw validationError([
						{ request_id: requestId, path: `${path}${suffix}`, detail, code },
					]);
				};
				return typedValue(field, isObject(entry) ? entry : {}, refuse);
			}),
		};
	});
}

/**
 * A custom field value checked against its field's type, in the value formats amoCRM's
 * custom-fields page gives per type (https://www.amocrm.ru/developers/content/crm_platform/custom-fields):
 * a numeric field takes a number (a numeric string is let through), a checkbox a boolean, a date
 * a Unix time, a url a URL, a select one of its enums by `enum_id` or by value. An enum that is not
 * the field's is the documented `NotSupportedChoice` (https://developers.kommo.com/docs/http-codes,
 * validation example). The code and text of a wrong-type error are not documented: the emulator
 * keeps the documented `validation-errors` shape and says `InvalidType`.
 * @param {any} field
 * @param {Record<string, any>} entry
 * @param {(code: string, detail: string, suffix?: string) => never} refuse
 */
export function typedValue(field, entry, refuse) {
	const { value } = entry;
	switch (field.type) {
		case 'numeric':
			if (
				!(typeof value === 'number' && Number.isFinite(value)) &&
				!(typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()))
			)
				refuse('InvalidType', 'This value should be of type numeric.');
			return { value: Number(value) };
		case 'checkbox':
			if (typeof value !== 'boolean') refuse('InvalidType', 'This value should be of type bool.');
			return { value };
		case 'date':
		case 'date_time':
		case 'birthday':
			if (
				!(Number.isInteger(value) || (typeof value === 'string' && /^\d+$/.test(value))) &&
				!(
					typeof value === 'string' &&
					/^\d{4}-\d{2}-\d{2}/.test(value) &&
					!Number.isNaN(Date.parse(value))
				)
			)
				refuse('InvalidType', 'This value should be a valid date.');
			return {
				value:
					typeof value === 'string' && !/^\d+$/.test(value)
						? Math.floor(Date.parse(value) / 1000)
						: Number(value),
			};
		case 'url': {
			let valid = false;
			try {
				valid = typeof value === 'string' && /^https?:$/.test(new URL(value).protocol);
			} catch {
				valid = false;
			}
			if (!valid) refuse('InvalidValue', 'This value is not a valid URL.');
			return { value };
		}
		case 'select':
		case 'radiobutton':
		case 'multiselect': {
			const enums = /** @type {Array<{ id: number, value: string }>} */ (field.enums ?? []);
			const chosen =
				entry.enum_id !== undefined
					? enums.find((candidate) => candidate.id === entry.enum_id)
					: enums.find((candidate) => candidate.value === value);
			if (!chosen)
				refuse(
					'NotSupportedChoice',
					'The value you selected is not a valid choice.',
					entry.enum_id !== undefined ? '.enum_id' : '.value',
				);
			const known = /** @type {{ id: number, value: string }} */ (chosen);
			return { value: known.value, enum_id: known.id };
		}
		default:
			if (typeof value !== 'string' && typeof value !== 'number')
				refuse('InvalidType', 'This value should be of type string.');
			return { value: String(value) };
	}
}

/**
 * Contact PHONE/EMAIL values, written by code.
 * @param {any} values
 */
export function contactFieldValues(values) {
	if (!Array.isArray(values)) return [];
	return values.map((value) => ({
		field_id:
			value.field_code === 'PHONE'
				? 600001
				: value.field_code === 'EMAIL'
					? 600002
					: value.field_id,
		field_name:
			value.field_code === 'PHONE' ? 'Телефон' : value.field_code === 'EMAIL' ? 'Email' : 'Field',
		field_code: value.field_code ?? null,
		field_type: 'multitext',
		values: (value.values ?? []).map((/** @type {any} */ entry) => ({
			value: String(entry.value ?? ''),
			enum_code: entry.enum_code ?? 'WORK',
		})),
	}));
}

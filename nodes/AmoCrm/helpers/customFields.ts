import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { accountHost, amoRequest, isPermanentRefusal } from '../transport';
import type { AmoCustomField } from '../transport/types';

/**
 * Deal field types an order code may be written to: a numeric field drops leading zeros and a url
 * field refuses or mangles a bare code (docs/services/amocrm.md, "Custom fields").
 */
export const ORDER_CODE_FIELD_TYPES = ['text', 'textarea'];

interface FieldEnum {
	id: number;
	value: string;
}

type DealField = AmoCustomField & { enums?: FieldEnum[] | null };

/**
 * Deal fields of this n8n process, per account host and field id; `null` when amoCRM would not
 * say (then the values go as given, as before).
 */
const fieldCache = new Map<string, DealField | null>();

/** For tests: forget the fields read. */
export function clearFieldCache(): void {
	fieldCache.clear();
}

/** The deal field, read once a process; undefined when amoCRM does not answer it. */
export async function dealField(
	context: IExecuteFunctions,
	fieldId: number,
	itemIndex?: number,
): Promise<DealField | undefined> {
	const key = `${await accountHost(context)} ${fieldId}`;
	if (fieldCache.has(key)) return fieldCache.get(key) ?? undefined;
	try {
		const field = await amoRequest<DealField>(
			context,
			{ method: 'GET', path: `/api/v4/leads/custom_fields/${fieldId}` },
			{ itemIndex },
		);
		const known = field && typeof field.type === 'string' ? field : null;
		fieldCache.set(key, known);
		return known ?? undefined;
	} catch (error) {
		// Rights, a proxy without the path, or a blip: the check is a guard, and the call that follows
		// reports anything amoCRM really refuses. A refusal is not asked again in this process.
		if (isPermanentRefusal(error)) fieldCache.set(key, null);
		return undefined;
	}
}

/** Refuses an Order Code Field that is not a text or textarea field, naming it. */
export async function checkOrderCodeField(
	context: IExecuteFunctions,
	fieldId: number,
	itemIndex?: number,
): Promise<void> {
	const field = await dealField(context, fieldId, itemIndex);
	if (!field || ORDER_CODE_FIELD_TYPES.includes(field.type)) return;
	throw new NodeOperationError(
		context.getNode(),
		`Order Code Field "${field.name}" (${field.id}) is a ${field.type} field: pick a text or textarea field`,
		{
			itemIndex,
			description:
				'Kaspi order codes must be kept exactly as they are: a numeric field drops leading zeros, and other types refuse or change them. Create a text field for the order code in amoCRM (Settings → Deals fields) and choose it.',
		},
	);
}

const TRUE_WORDS = ['true', '1', 'yes', 'y', 'on', 'да'];
const FALSE_WORDS = ['false', '0', 'no', 'n', 'off', 'нет', ''];

function unixSeconds(raw: string): number | undefined {
	if (/^-?\d+(\.\d+)?$/.test(raw)) {
		const number = Number(raw);
		// Milliseconds (n8n's and JavaScript's) are told from seconds by size.
		return Math.floor(Math.abs(number) >= 1e11 ? number / 1000 : number);
	}
	const time = Date.parse(raw);
	return Number.isFinite(time) ? Math.floor(time / 1000) : undefined;
}

/**
 * One custom field's values as amoCRM takes them for its type (A-CF): numbers for numeric fields,
 * a boolean for a checkbox, Unix seconds for dates, `enum_id` for a select option given by name.
 */
export function typedValues(
	context: IExecuteFunctions,
	field: DealField,
	raw: string,
	itemIndex?: number,
): IDataObject[] {
	const refuse = (what: string) =>
		new NodeOperationError(
			context.getNode(),
			`Custom field "${field.name}" (${field.id}) is a ${field.type} field and takes ${what}`,
			{ itemIndex },
		);
	const text = raw.trim();
	const byName = (value: string) =>
		(field.enums ?? []).find((option) => option.value.trim().toLowerCase() === value.toLowerCase());
	switch (field.type) {
		case 'numeric':
		case 'price':
		case 'monetary': {
			const number = Number(text.replace(',', '.').replace(/\s/g, ''));
			if (!text || !Number.isFinite(number)) throw refuse('a number');
			return [{ value: number }];
		}
		case 'checkbox': {
			const word = text.toLowerCase();
			if (TRUE_WORDS.includes(word)) return [{ value: true }];
			if (FALSE_WORDS.includes(word)) return [{ value: false }];
			throw refuse('true or false');
		}
		case 'date':
		case 'date_time':
		case 'birthday': {
			const seconds = unixSeconds(text);
			if (seconds === undefined) throw refuse('a date (ISO 8601 or Unix time)');
			return [{ value: seconds }];
		}
		case 'select':
		case 'radiobutton': {
			const option = byName(text);
			return [option ? { enum_id: option.id } : { value: text }];
		}
		case 'multiselect': {
			return text
				.split(',')
				.map((part) => part.trim())
				.filter(Boolean)
				.map((part) => {
					const option = byName(part);
					return option ? { enum_id: option.id } : { value: part };
				});
		}
		default:
			return [{ value: raw }];
	}
}

/** Rewrites `body.custom_fields_values` (strings from the form) typed by each field's type. */
export async function typeCustomFields(
	context: IExecuteFunctions,
	body: IDataObject,
	itemIndex: number,
): Promise<void> {
	const entries = body.custom_fields_values as
		| Array<{ field_id: number; values: Array<{ value: string }> }>
		| undefined;
	if (!entries?.length) return;
	const typed: IDataObject[] = [];
	for (const entry of entries) {
		const field = await dealField(context, entry.field_id, itemIndex);
		typed.push(
			field
				? {
						field_id: entry.field_id,
						values: typedValues(context, field, String(entry.values[0]?.value ?? ''), itemIndex),
					}
				: entry,
		);
	}
	body.custom_fields_values = typed;
}

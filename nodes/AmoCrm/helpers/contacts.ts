import type { IDataObject } from 'n8n-workflow';

import type { ApiContext } from '../../shared/http';
import { normalisePhone } from '../../shared/phone';
import { amoGetPage, amoRequest, type AmoCallOptions } from '../transport';
import { PHONE_FIELD_CODE, type AmoContact, type AmoList } from '../transport/types';
import { fieldValues } from './fields';

/** E.164 digits of a phone as the pack's normaliser reads it, or undefined. */
export function phoneDigits(raw: unknown): string | undefined {
	const phone = normalisePhone(raw);
	return phone.ok ? phone.digits : undefined;
}

/**
 * What to send as `query`, in turn, until one finds the contact: the full digits, as the pack writes
 * a phone (`+{digits}`), then, for a +7 number, the national 10 digits that find the 8… and +7 (…)
 * forms others write. amoCRM's search matched substrings once and may match only word beginnings
 * now, so neither form alone finds every contact (docs/services/amocrm.md, "Contacts and phone
 * search").
 */
function phoneQueries(digits: string): string[] {
	return digits.length === 11 && digits.startsWith('7') ? [digits, digits.slice(1)] : [digits];
}

/** Whether any PHONE value of the contact normalises to these digits. */
function contactHasPhone(contact: AmoContact, digits: string): boolean {
	return fieldValues(contact.custom_fields_values, { code: PHONE_FIELD_CODE }).some(
		(value) => phoneDigits(value) === digits,
	);
}

/**
 * Contacts whose PHONE really is this number: amoCRM's `query` is full-text over every field, so
 * each hit is re-checked; the most recently updated comes first.
 */
export async function findContactsByPhone(
	context: ApiContext,
	digits: string,
	options: AmoCallOptions = {},
): Promise<AmoContact[]> {
	for (const query of phoneQueries(digits)) {
		const hits = await amoGetPage<AmoContact>(
			context,
			'/api/v4/contacts',
			'contacts',
			{ query, limit: 50 },
			options,
		);
		const matches = hits.filter((contact) => contactHasPhone(contact, digits));
		if (matches.length > 0) return matches.sort((a, b) => b.updated_at - a.updated_at);
	}
	return [];
}

export interface NewContact {
	name: string;
	firstName?: string;
	lastName?: string;
	/** E.164 digits. */
	phone: string;
	email?: string;
	responsibleUserId?: number;
}

/** The contact body amoCRM takes in `POST /contacts` and embedded in `/leads/complex`. */
export function contactBody(contact: NewContact): IDataObject {
	const fields: IDataObject[] = [
		{ field_code: PHONE_FIELD_CODE, values: [{ value: `+${contact.phone}`, enum_code: 'MOB' }] },
	];
	if (contact.email) {
		fields.push({ field_code: 'EMAIL', values: [{ value: contact.email, enum_code: 'WORK' }] });
	}
	return {
		name: contact.name,
		...(contact.firstName ? { first_name: contact.firstName } : {}),
		...(contact.lastName ? { last_name: contact.lastName } : {}),
		...(contact.responsibleUserId ? { responsible_user_id: contact.responsibleUserId } : {}),
		custom_fields_values: fields,
	};
}

export async function createContact(
	context: ApiContext,
	contact: NewContact,
	options: AmoCallOptions = {},
): Promise<number> {
	const body = await amoRequest<AmoList<'contacts', { id: number }>>(
		context,
		{ method: 'POST', path: '/api/v4/contacts', body: [contactBody(contact)] },
		options,
	);
	const id = body?._embedded?.contacts?.[0]?.id;
	if (!id) throw new Error('amoCRM created the contact but returned no id');
	return id;
}

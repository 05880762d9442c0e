import type { IDataObject } from 'n8n-workflow';

import { asNodeError } from '../../shared/execute';
import type { ApiContext } from '../../shared/http';
import { normalisePhone } from '../../shared/phone';
import {
	accountHost,
	amoGetPage,
	amoRequest,
	isPermanentRefusal,
	type AmoCallOptions,
} from '../transport';
import { PHONE_FIELD_CODE, type AmoContact, type AmoList } from '../transport/types';
import { fieldValues } from './fields';
import { phoneSearchKindOf, rememberPhoneSearchKind, type PhoneSearchKind } from './syncCaches';

/** E.164 digits of a phone as the pack's normaliser reads it, or undefined. */
export function phoneDigits(raw: unknown): string | undefined {
	const phone = normalisePhone(raw);
	return phone.ok ? phone.digits : undefined;
}

/**
 * What to send as `query`, in turn, until one finds the contact. The pack writes a phone as
 * `+{digits}`, others also as 8… or bare national digits. On a search that matches inside words the
 * national 10 digits find every form; on one that matches word beginnings only the full digits find
 * `+7…` and the national ones only a bare national number. Until the account's kind is known, both
 * are asked (docs/services/amocrm.md, "Contacts and phone search").
 */
function phoneQueries(digits: string, kind: PhoneSearchKind | undefined): string[] {
	if (digits.length !== 11 || !digits.startsWith('7')) return [digits];
	const national = digits.slice(1);
	if (kind === 'substring') return [national];
	if (kind === 'wordStart') return [digits];
	return [digits, national];
}

/** Whether any PHONE value of the contact normalises to these digits. */
function contactHasPhone(contact: AmoContact, digits: string): boolean {
	return fieldValues(contact.custom_fields_values, { code: PHONE_FIELD_CODE }).some(
		(value) => phoneDigits(value) === digits,
	);
}

async function searchContacts(
	context: ApiContext,
	query: string,
	options: AmoCallOptions,
): Promise<AmoContact[]> {
	return await amoGetPage<AmoContact>(
		context,
		'/api/v4/contacts',
		'contacts',
		{ query, limit: 50 },
		options,
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
	const kind = phoneSearchKindOf(await accountHost(context));
	for (const query of phoneQueries(digits, kind)) {
		const hits = await searchContacts(context, query, options);
		const matches = hits.filter((contact) => contactHasPhone(contact, digits));
		if (matches.length > 0) return matches.sort((a, b) => b.updated_at - a.updated_at);
	}
	return [];
}

/** Every Kazakh mobile number's full digits begin so: the probe's sample of written phones. */
const PROBE_SAMPLE_QUERY = '77';

const wordsOf = (text: unknown): string[] =>
	String(text ?? '')
		.toLowerCase()
		.match(/[\p{L}\p{N}]+/gu) ?? [];

/**
 * The full digits of a contact that tells the two kinds of search apart: a PHONE written as one
 * word `+7XXXXXXXXXX`, and no word of the contact starting with its national digits, so that the
 * national digits find it only inside a word.
 */
function probeDigits(contact: AmoContact): string | undefined {
	const written = fieldValues(contact.custom_fields_values, { code: PHONE_FIELD_CODE })
		.map((value) => String(value).trim())
		.find((value) => /^\+?7\d{10}$/.test(value));
	if (!written) return undefined;
	const digits = written.replace(/\D/g, '');
	const words = [
		...wordsOf(contact.name),
		...(contact.custom_fields_values ?? []).flatMap((field) =>
			field.values.flatMap((value) => wordsOf(value.value)),
		),
	];
	return words.some((word) => word.startsWith(digits.slice(1))) ? undefined : digits;
}

/**
 * Learns, once per process and account, whether `query` matches inside words, so that a new buyer
 * costs one phone search, not two: a contact written `+7XXXXXXXXXX` is searched by its national
 * digits, which start none of its words. Two requests; worth it only before several searches.
 * An account that refuses the sample search, or holds no such contact, stays `unknown`.
 */
export async function learnPhoneSearchKind(
	context: ApiContext,
	options: AmoCallOptions = {},
): Promise<void> {
	const host = await accountHost(context);
	if (phoneSearchKindOf(host)) return;
	let kind: PhoneSearchKind = 'unknown';
	try {
		const sample = await searchContacts(context, PROBE_SAMPLE_QUERY, options);
		for (const contact of sample) {
			const digits = probeDigits(contact);
			if (!digits) continue;
			const hits = await searchContacts(context, digits.slice(1), options);
			kind = hits.some((hit) => hit.id === contact.id) ? 'substring' : 'wordStart';
			break;
		}
	} catch (error) {
		if (!isPermanentRefusal(error)) throw asNodeError(context, error, options.itemIndex ?? 0);
	}
	rememberPhoneSearchKind(host, kind);
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

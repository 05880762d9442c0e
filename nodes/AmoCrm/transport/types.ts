/**
 * amoCRM API v4 wire types, limits and names the node and the sandbox share. Only the fields this
 * pack reads or writes. Sections named below are those of docs/services/amocrm.md.
 */

/** `limit` above this is ignored by the API ("Sizes and paging"). */
export const MAX_PAGE_SIZE = 250;
/** Leads per `POST /api/v4/leads/complex` ("Sizes and paging"). */
export const MAX_COMPLEX_BATCH = 50;
/** Entities per add/update request the docs recommend ("Sizes and paging"). */
export const BATCH_SIZE = 50;
/**
 * Custom-field codes of a contact's phone and a product's SKU ("Custom fields", "Catalogs and
 * products").
 */
export const PHONE_FIELD_CODE = 'PHONE';
export const SKU_FIELD_CODE = 'SKU';
/** Tag on every deal the sync creates; the state tag is `STATE_TAG_PREFIX + state`. */
export const SYNC_TAG = 'kaspi';
export const STATE_TAG_PREFIX = 'kaspi:';
/**
 * Tag on a deal whose products amoCRM refused for good (no products list, a 4xx on create or
 * link): the sync stops retrying its links. Outside the state prefix, so a state change keeps it.
 */
export const UNLINKED_TAG = 'kaspi-unlinked';

interface AmoFieldValue {
	value?: string | number | boolean;
	enum_id?: number;
	enum_code?: string;
}

export interface AmoCustomFieldValue {
	field_id?: number;
	field_name?: string;
	field_code?: string | null;
	field_type?: string;
	values: AmoFieldValue[];
}

interface AmoTag {
	id?: number;
	name: string;
}

export interface AmoLead {
	id: number;
	name: string;
	price: number;
	status_id: number;
	pipeline_id: number;
	responsible_user_id?: number;
	created_at: number;
	updated_at: number;
	custom_fields_values: AmoCustomFieldValue[] | null;
	_embedded?: {
		tags?: AmoTag[];
		contacts?: Array<{ id: number; is_main?: boolean }>;
		catalog_elements?: Array<{ id: number; metadata?: { quantity?: number; catalog_id?: number } }>;
	};
}

export interface AmoContact {
	id: number;
	name: string;
	first_name?: string;
	last_name?: string;
	updated_at: number;
	custom_fields_values: AmoCustomFieldValue[] | null;
}

export interface AmoCatalog {
	id: number;
	name: string;
	type: string;
}

export interface AmoCatalogElement {
	id: number;
	name: string;
	catalog_id: number;
	custom_fields_values: AmoCustomFieldValue[] | null;
}

/** `type` of a pipeline's system Incoming (unsorted) stage ("Pipelines and statuses"). */
export const INCOMING_STATUS_TYPE = 1;

interface AmoStatus {
	id: number;
	name: string;
	pipeline_id: number;
	/** 1 for the system Incoming stage, 0 for the others. */
	type?: number;
}

export interface AmoPipeline {
	id: number;
	name: string;
	is_main: boolean;
	_embedded: { statuses: AmoStatus[] };
}

export interface AmoCustomField {
	id: number;
	name: string;
	code: string | null;
	type: string;
}

export interface AmoUser {
	id: number;
	name: string;
	email: string;
}

/** A HAL list: `_embedded.<entity>[]`, `_links.next` while pages remain ("Sizes and paging"). */
export interface AmoList<K extends string, T> {
	_page?: number;
	_links?: { self?: { href: string }; next?: { href: string } };
	_embedded: Record<K, T[]>;
}

/** One element of `POST /api/v4/leads/complex`'s bare array answer ("Deals and `/leads/complex`"). */
export interface AmoComplexResult {
	id: number;
	contact_id: number | null;
	company_id: number | null;
	request_id: string[];
	merged: boolean;
}

/** `application/problem+json` ("Errors"); `retry_after` on 429, in seconds. */
export interface AmoProblem {
	title?: string;
	type?: string;
	status?: number;
	detail?: string;
	hint?: string;
	retry_after?: number;
	'validation-errors'?: Array<{
		request_id?: string;
		errors?: Array<{ code?: string; path?: string; detail?: string }>;
	}>;
}

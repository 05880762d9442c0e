// @ts-check
/**
 * Leads (deals): create, update, view, `/leads/complex` with duplicate control, and their routes.
 */
import { isObject, json } from '../../lib/http.mjs';
import {
	SEED,
	asArray,
	fail,
	newId,
	nowSeconds,
	ordered,
	page,
	validationError,
} from './common.mjs';
import { newContact, phoneKeys } from './contacts.mjs';
import { leadFieldValues } from './fields.mjs';
import { indexLater, matchesQuery } from './search.mjs';

/** @typedef {import('./state.mjs').AmoState} AmoState */
/** @typedef {import('./common.mjs').On} On */

/** Most leads one `POST /api/v4/leads/complex` takes. */
export const MAX_COMPLEX_BATCH = 50;

/**
 * @param {AmoState} state
 * @param {any} tags
 */
export function tagList(state, tags) {
	if (!Array.isArray(tags)) return [];
	/** @type {Array<{ id: number, name: string }>} */
	const result = [];
	for (const tag of tags) {
		const name = String(tag?.name ?? '');
		if (!name) continue;
		if (!state.leadTags.has(name)) state.leadTags.set(name, newId(state));
		if (!result.some((existing) => existing.name === name))
			result.push({ id: /** @type {number} */ (state.leadTags.get(name)), name });
	}
	return result;
}

/**
 * @param {AmoState} state
 * @param {any} input
 * @param {string} requestId
 * @returns {{ pipeline_id: number, status_id: number }}
 */
export function placement(state, input, requestId) {
	const main = state.pipelines.find((pipeline) => pipeline.is_main) ?? state.pipelines[0];
	const pipeline =
		input.pipeline_id !== undefined
			? state.pipelines.find((candidate) => candidate.id === input.pipeline_id)
			: main;
	if (!pipeline)
		throw validationError([
			{ request_id: requestId, path: 'pipeline_id', detail: 'Pipeline not found' },
		]);
	const statuses = pipeline._embedded.statuses;
	const status =
		input.status_id !== undefined
			? statuses.find((/** @type {any} */ candidate) => candidate.id === input.status_id)
			: statuses.find((/** @type {any} */ candidate) => candidate.type !== 1);
	if (!status)
		throw validationError([
			{ request_id: requestId, path: 'status_id', detail: 'Status not found in the pipeline' },
		]);
	// The system "incoming" (unsorted) stage, `type: 1`, takes only leads that come with unsorted
	// metadata (forms, calls, chats); a lead cannot be created in or moved into it through the
	// leads API (leads_pipelines: three system stages; complex-leads: `_embedded.metadata` makes an
	// incoming lead). The emulator does not create unsorted leads, so it refuses the stage.
	if (status.type === 1)
		throw validationError([
			{
				request_id: requestId,
				path: 'status_id',
				detail: 'A lead cannot be put in the incoming (unsorted) stage.',
				code: 'NotSupportedChoice',
			},
		]);
	return { pipeline_id: pipeline.id, status_id: status.id };
}

/**
 * @param {AmoState} state
 * @param {any} input
 * @param {string} requestId
 */
export function newLead(state, input, requestId) {
	if (!isObject(input))
		throw validationError([
			{ request_id: requestId, path: '', detail: 'This value should be of type object.' },
		]);
	if (input.price !== undefined && !Number.isInteger(input.price)) {
		throw validationError([
			{ request_id: requestId, path: 'price', detail: 'This value should be of type int.' },
		]);
	}
	const now = nowSeconds();
	const lead = {
		id: newId(state),
		name: String(input.name ?? `Сделка #${state.nextId}`),
		price: input.price ?? 0,
		responsible_user_id: input.responsible_user_id ?? SEED.userId,
		...placement(state, input, requestId),
		created_at: now,
		updated_at: now,
		custom_fields_values: leadFieldValues(state, input.custom_fields_values, requestId),
		tags: tagList(state, [...(input._embedded?.tags ?? []), ...(input.tags_to_add ?? [])]),
		contacts: /** @type {number[]} */ ([]),
	};
	return lead;
}

/**
 * @param {AmoState} state
 * @param {any} lead
 * @param {string} [withParam]
 */
export function leadView(state, lead, withParam = '') {
	const withList = withParam.split(',');
	const embedded = /** @type {Record<string, unknown>} */ ({ tags: lead.tags });
	if (withList.includes('contacts'))
		embedded.contacts = lead.contacts.map(
			(/** @type {number} */ id, /** @type {number} */ index) => ({ id, is_main: index === 0 }),
		);
	if (withList.includes('catalog_elements')) {
		embedded.catalog_elements = [...(state.links.get(lead.id) ?? new Map())].map(
			([id, metadata]) => ({ id, metadata }),
		);
	}
	const { tags, contacts, ...rest } = lead;
	return {
		...rest,
		custom_fields_values: rest.custom_fields_values.length ? rest.custom_fields_values : null,
		_embedded: embedded,
	};
}

/**
 * @param {AmoState} state
 * @param {any} lead
 * @param {any} patch
 * @param {string} requestId
 */
export function applyLeadPatch(state, lead, patch, requestId) {
	if (patch.name !== undefined) lead.name = String(patch.name);
	if (patch.price !== undefined) {
		if (!Number.isInteger(patch.price))
			throw validationError([
				{ request_id: requestId, path: 'price', detail: 'This value should be of type int.' },
			]);
		lead.price = patch.price;
	}
	if (patch.status_id !== undefined || patch.pipeline_id !== undefined) {
		Object.assign(
			lead,
			placement(
				state,
				{ pipeline_id: patch.pipeline_id ?? lead.pipeline_id, status_id: patch.status_id },
				requestId,
			),
		);
	}
	if (patch.responsible_user_id !== undefined) lead.responsible_user_id = patch.responsible_user_id;
	if (patch.custom_fields_values !== undefined) {
		const values = leadFieldValues(state, patch.custom_fields_values, requestId);
		const untouched = lead.custom_fields_values.filter(
			(/** @type {any} */ field) => !values.some((value) => value.field_id === field.field_id),
		);
		lead.custom_fields_values = [...untouched, ...values];
	}
	if (patch._embedded?.tags !== undefined) lead.tags = tagList(state, patch._embedded.tags ?? []);
	else {
		const remove = new Set((patch.tags_to_delete ?? []).map((/** @type {any} */ tag) => tag.name));
		lead.tags = [
			...lead.tags.filter((/** @type {any} */ tag) => !remove.has(tag.name)),
			...tagList(state, patch.tags_to_add ?? []),
		];
		lead.tags = lead.tags.filter(
			(/** @type {any} */ tag, /** @type {number} */ index) =>
				lead.tags.findIndex((/** @type {any} */ other) => other.name === tag.name) === index,
		);
	}
	lead.updated_at = nowSeconds();
}

/**
 * Under duplicate control (profile `duplicateControl`), a complex lead whose contact is an
 * existing one (by id, or by the same phone) with an open lead is merged into that lead, and
 * amoCRM answers with the existing lead's id and `merged: true`
 * (https://developers.kommo.com/reference/complex-leads: sending a duplicate again "returns the
 * same id … merged: true"). Phones are compared by their last 10 digits, the emulator's stand-in
 * for the account's duplicate rules.
 * @param {AmoState} state
 * @param {any} contact The lead's `_embedded.contacts[0]`, if any.
 * @returns {{ lead: any, contact: any } | undefined}
 */
export function duplicateOf(state, contact) {
	if (!state.profile.duplicateControl || !contact) return undefined;
	let existing;
	if (contact.id !== undefined) existing = state.contacts.get(contact.id);
	else {
		const keys = phoneKeys(contact);
		existing = [...state.contacts.values()]
			.reverse()
			.find((candidate) => phoneKeys(candidate).some((key) => keys.includes(key)));
	}
	if (!existing) return undefined;
	const lead = [...state.leads.values()]
		.reverse()
		.find(
			(candidate) =>
				candidate.contacts.includes(existing.id) &&
				candidate.status_id !== 142 &&
				candidate.status_id !== 143,
		);
	return lead ? { lead, contact: existing } : undefined;
}

/**
 * A merge keeps the existing lead's values and adds the fields it lacked and the new tags.
 * @param {AmoState} state
 * @param {any} lead
 * @param {any} input
 * @param {string} requestId
 */
export function mergeInto(state, lead, input, requestId) {
	const values = leadFieldValues(state, input.custom_fields_values, requestId);
	lead.custom_fields_values = [
		...lead.custom_fields_values,
		...values.filter(
			(value) =>
				!lead.custom_fields_values.some(
					(/** @type {any} */ field) => field.field_id === value.field_id,
				),
		),
	];
	const added = tagList(state, [...(input._embedded?.tags ?? []), ...(input.tags_to_add ?? [])]);
	lead.tags = [
		...lead.tags,
		...added.filter((tag) => !lead.tags.some((/** @type {any} */ own) => own.name === tag.name)),
	];
	lead.updated_at = nowSeconds();
}

/** @param {AmoState} state @param {string} id */
export function existingLead(state, id) {
	const lead = state.leads.get(Number(id));
	if (!lead) throw fail(404, `Lead ${id} not found`);
	return lead;
}

/**
 * Leads: list with `query` and filters, one by id, add, update, and `/leads/complex`.
 * @param {AmoState} state
 * @param {On} on
 */
export function leadRoutes(state, on) {
	on('GET', '/api/v4/leads', (ctx) => {
		const q = ctx.query;
		let leads = [...state.leads.values()];
		if (q.query) leads = leads.filter((lead) => matchesQuery(state, lead, q.query));
		if (q['filter[pipeline_id]'])
			leads = leads.filter((lead) => lead.pipeline_id === Number(q['filter[pipeline_id]']));
		if (q['filter[statuses][0][status_id]'])
			leads = leads.filter(
				(lead) => lead.status_id === Number(q['filter[statuses][0][status_id]']),
			);
		if (q['filter[created_at][from]'])
			leads = leads.filter((lead) => lead.created_at >= Number(q['filter[created_at][from]']));
		if (q['filter[updated_at][from]'])
			leads = leads.filter((lead) => lead.updated_at >= Number(q['filter[updated_at][from]']));
		leads = ordered(ordered(leads, ctx, 'updated_at'), ctx, 'created_at');
		return page(ctx, 'leads', leads, (lead) => leadView(state, lead, q.with));
	});
	on('GET', '/api/v4/leads/:id', (ctx) =>
		json(leadView(state, existingLead(state, ctx.params.id), ctx.query.with)),
	);
	on('POST', '/api/v4/leads', (ctx) => {
		const inputs = asArray(ctx.body);
		const leads = inputs.map((input, index) => newLead(state, input, String(index)));
		leads.forEach((lead, index) => {
			for (const contact of inputs[index]._embedded?.contacts ?? []) {
				if (!state.contacts.has(contact.id))
					throw validationError([
						{
							request_id: String(index),
							path: '_embedded.contacts.0.id',
							detail: 'Contact not found',
						},
					]);
				lead.contacts.push(contact.id);
			}
		});
		for (const lead of leads) {
			state.leads.set(lead.id, lead);
			indexLater(state, lead.id);
		}
		return json({
			_links: { self: { href: `${ctx.baseUrl}/api/v4/leads` } },
			_embedded: {
				leads: leads.map((lead, index) => ({
					id: lead.id,
					request_id: String(inputs[index].request_id ?? index),
					_links: { self: { href: `${ctx.baseUrl}/api/v4/leads/${lead.id}` } },
				})),
			},
		});
	});
	on('PATCH', '/api/v4/leads', (ctx) => {
		const inputs = asArray(ctx.body);
		const leads = inputs.map((input, index) => {
			const lead = state.leads.get(Number(input?.id));
			if (!lead)
				throw validationError([
					{ request_id: String(index), path: 'id', detail: 'Lead not found' },
				]);
			return lead;
		});
		leads.forEach((lead, index) => applyLeadPatch(state, lead, inputs[index], String(index)));
		return json({
			_embedded: { leads: leads.map((lead) => ({ id: lead.id, updated_at: lead.updated_at })) },
		});
	});
	on('PATCH', '/api/v4/leads/:id', (ctx) => {
		const lead = existingLead(state, ctx.params.id);
		if (!isObject(ctx.body)) throw fail(400, 'Request data can not be empty');
		applyLeadPatch(state, lead, ctx.body, '0');
		return json({ id: lead.id, updated_at: lead.updated_at });
	});
	on('POST', '/api/v4/leads/complex', (ctx) => {
		const inputs = asArray(ctx.body);
		if (inputs.length > MAX_COMPLEX_BATCH)
			throw fail(400, `Limit ${MAX_COMPLEX_BATCH} leads per request`);
		// Validate everything first: a refused request creates nothing.
		const prepared = inputs.map((input, index) => {
			const requestId = String(input?.request_id ?? index);
			newLead(state, input, requestId);
			state.nextId--;
			const contact = input._embedded?.contacts?.[0];
			if (contact?.id !== undefined && !state.contacts.has(contact.id)) {
				throw validationError([
					{ request_id: requestId, path: '_embedded.contacts.0.id', detail: 'Contact not found' },
				]);
			}
			return { input, requestId, contact };
		});
		return json(
			prepared.map(({ input, requestId, contact }) => {
				const duplicate = duplicateOf(state, contact);
				if (duplicate) {
					mergeInto(state, duplicate.lead, input, requestId);
					return {
						id: duplicate.lead.id,
						contact_id: duplicate.contact.id,
						company_id: null,
						request_id: [requestId],
						merged: true,
					};
				}
				const lead = newLead(state, input, requestId);
				let contactId = null;
				if (contact?.id !== undefined) contactId = contact.id;
				else if (contact) contactId = newContact(state, contact, requestId).id;
				if (contactId !== null) lead.contacts.push(contactId);
				state.leads.set(lead.id, lead);
				indexLater(state, lead.id);
				return {
					id: lead.id,
					contact_id: contactId,
					company_id: null,
					request_id: [requestId],
					merged: false,
				};
			}),
		);
	});
}

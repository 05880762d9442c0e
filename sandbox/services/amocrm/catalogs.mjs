// @ts-check
/**
 * Lists (catalogs), their elements, links of elements to leads, and their routes.
 */
import { isObject, json } from '../../lib/http.mjs';
import { asArray, fail, newId, page, rightsError, validationError } from './common.mjs';
import { contactFieldValues } from './fields.mjs';
import { existingLead } from './leads.mjs';
import { indexLater, matchesQuery } from './search.mjs';

/** @typedef {import('./state.mjs').AmoState} AmoState */
/** @typedef {import('./common.mjs').On} On */

/**
 * @param {AmoState} state
 * @param {number} leadId
 * @param {any} input
 */
export function link(state, leadId, input) {
	const element = state.elements.get(Number(input.to_entity_id));
	if (input.to_entity_type !== 'catalog_elements' || !element) {
		throw fail(400, `Entity ${input.to_entity_type} ${input.to_entity_id} not found`);
	}
	// `metadata.catalog_id` names the element's list: Kommo's linking-entities page lists
	// `metadata[catalog_id]` ("List ID") for catalog elements
	// (https://developers.kommo.com/reference/linking-entities), and the SDK always builds a catalog
	// element's link metadata as {quantity, catalog_id, price_id} (amocrm/amocrm-api-php
	// src/AmoCRM/Models/CatalogElementModel.php). A link without it, or naming another list, is refused.
	const catalogId = input.metadata?.catalog_id;
	if (!Number.isInteger(catalogId) || catalogId !== element.catalog_id) {
		throw validationError([
			{
				request_id: '0',
				path: 'metadata.catalog_id',
				detail:
					catalogId === undefined
						? 'This value should not be blank.'
						: `Element ${element.id} is not in catalog ${catalogId}`,
				code: catalogId === undefined ? 'NotBlank' : 'InvalidValue',
			},
		]);
	}
	const quantity = Number(input.metadata?.quantity ?? 1);
	let leadLinks = state.links.get(leadId);
	if (!leadLinks) {
		leadLinks = new Map();
		state.links.set(leadId, leadLinks);
	}
	leadLinks.set(element.id, { quantity, catalog_id: element.catalog_id });
	return {
		entity_id: leadId,
		entity_type: 'leads',
		to_entity_id: element.id,
		to_entity_type: 'catalog_elements',
		metadata: { quantity, catalog_id: element.catalog_id },
	};
}

/**
 * Lists (catalogs), their elements, and links of elements to leads.
 * @param {AmoState} state
 * @param {On} on
 */
export function catalogRoutes(state, on) {
	on('GET', '/api/v4/catalogs', (ctx) => {
		if (!state.profile.listRights) throw rightsError();
		return page(ctx, 'catalogs', state.catalogs);
	});
	/** @param {string} id */
	const catalog = (id) => {
		if (!state.profile.listRights) throw rightsError();
		const found = state.catalogs.find((candidate) => candidate.id === Number(id));
		if (!found) throw fail(404, `Catalog ${id} not found`);
		return found;
	};
	on('GET', '/api/v4/catalogs/:id/elements', (ctx) => {
		const catalogId = catalog(ctx.params.id).id;
		let elements = [...state.elements.values()].filter(
			(element) => element.catalog_id === catalogId,
		);
		if (ctx.query.query)
			elements = elements.filter((element) => matchesQuery(state, element, ctx.query.query));
		return page(ctx, 'elements', elements);
	});
	on('POST', '/api/v4/catalogs/:id/elements', (ctx) => {
		const catalogId = catalog(ctx.params.id).id;
		const inputs = asArray(ctx.body);
		const elements = inputs.map((input, index) => {
			if (!isObject(input) || !input.name)
				throw validationError([
					{ request_id: String(index), path: 'name', detail: 'This value should not be blank.' },
				]);
			return {
				id: newId(state),
				name: String(input.name),
				catalog_id: catalogId,
				request_id: String(input.request_id ?? index),
				custom_fields_values: contactFieldValues(input.custom_fields_values).map((field) => ({
					...field,
					field_type: field.field_code === 'PRICE' ? 'price' : 'text',
					field_id: field.field_code === 'SKU' ? 700001 : 700002,
				})),
			};
		});
		for (const element of elements) {
			state.elements.set(element.id, element);
			indexLater(state, element.id);
		}
		return json({
			_embedded: {
				elements: elements.map((element) => ({ id: element.id, request_id: element.request_id })),
			},
		});
	});
	on('POST', '/api/v4/leads/:id/link', (ctx) => {
		const leadId = existingLead(state, ctx.params.id).id;
		const links = asArray(ctx.body).map((input) => link(state, leadId, input));
		return json({ _total_items: links.length, _embedded: { links } });
	});
	on('POST', '/api/v4/leads/link', (ctx) => {
		const inputs = asArray(ctx.body);
		for (const input of inputs)
			if (!state.leads.has(Number(input?.entity_id)))
				throw fail(400, `Lead ${input?.entity_id} not found`);
		const links = inputs.map((input) => link(state, Number(input.entity_id), input));
		return json({ _total_items: links.length, _embedded: { links } });
	});
}

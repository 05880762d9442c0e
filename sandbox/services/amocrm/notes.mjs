// @ts-check
/**
 * Lead notes and their routes.
 */
import { json } from '../../lib/http.mjs';
import { asArray, newId, nowSeconds, page, validationError } from './common.mjs';
import { existingLead } from './leads.mjs';

/** @typedef {import('../../lib/http.mjs').RequestContext} RequestContext */
/** @typedef {import('./state.mjs').AmoState} AmoState */
/** @typedef {import('./common.mjs').On} On */

/**
 * Lead notes: add (batch or per lead) and list.
 * @param {AmoState} state
 * @param {On} on
 */
export function noteRoutes(state, on) {
	/**
	 * @param {RequestContext} ctx
	 * @param {number | undefined} leadId
	 */
	const addNotes = (ctx, leadId) => {
		const inputs = asArray(ctx.body);
		const notes = inputs.map((input, index) => {
			const entityId = leadId ?? Number(input?.entity_id);
			if (!state.leads.has(entityId))
				throw validationError([
					{ request_id: String(index), path: 'entity_id', detail: 'Entity not found' },
				]);
			if (input.note_type !== 'common' || typeof input.params?.text !== 'string') {
				throw validationError([
					{
						request_id: String(index),
						path: 'params.text',
						detail: 'This value should not be blank.',
					},
				]);
			}
			return {
				id: 0,
				entity_id: entityId,
				note_type: input.note_type,
				params: { text: input.params.text },
				created_at: nowSeconds(),
				request_id: String(index),
			};
		});
		for (const note of notes) {
			note.id = newId(state);
			state.notes.push(note);
		}
		return json({
			_embedded: {
				notes: notes.map((note) => ({
					id: note.id,
					entity_id: note.entity_id,
					request_id: note.request_id,
				})),
			},
		});
	};
	on('POST', '/api/v4/leads/notes', (ctx) => addNotes(ctx, undefined));
	on('POST', '/api/v4/leads/:id/notes', (ctx) =>
		addNotes(ctx, existingLead(state, ctx.params.id).id),
	);
	on('GET', '/api/v4/leads/:id/notes', (ctx) => {
		const leadId = existingLead(state, ctx.params.id).id;
		return page(
			ctx,
			'notes',
			state.notes.filter((note) => note.entity_id === leadId),
		);
	});
}

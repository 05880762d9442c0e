// @ts-check
/**
 * The account, users, pipelines and deal custom fields routes.
 */
import { json } from '../../lib/http.mjs';
import { SEED, fail, page, rightsError } from './common.mjs';

/** @typedef {import('./state.mjs').AmoState} AmoState */
/** @typedef {import('./common.mjs').On} On */

/**
 * Most custom fields one `GET /api/v4/leads/custom_fields` page returns, whatever `limit` asks
 * (https://www.amocrm.ru/developers/content/crm_platform/custom-fields: "returns up to 50 fields").
 */
export const MAX_FIELDS_PAGE = 50;

/**
 * The account, its users, pipelines and deal fields.
 * @param {AmoState} state
 * @param {On} on
 */
export function accountRoutes(state, on) {
	on('GET', '/api/v4/account', () =>
		json({
			id: 29876543,
			name: 'Sandbox Shop',
			subdomain: 'sandbox',
			current_user_id: SEED.userId,
			country: 'KZ',
			currency: 'KZT',
			currency_symbol: '₸',
			is_technical_account: false,
		}),
	);
	on('GET', '/api/v4/users', (ctx) => {
		if (!state.profile.admin) throw rightsError();
		return page(ctx, 'users', state.users);
	});
	// Pipelines come all at once, with no `page`/`limit` and no `_page`: the method takes no paging
	// parameters (https://www.amocrm.ru/developers/content/crm_platform/leads_pipelines; at most 50
	// pipelines per account, https://developers.kommo.com/docs/limitations).
	on('GET', '/api/v4/leads/pipelines', (ctx) =>
		json({
			_total_items: state.pipelines.length,
			_links: { self: { href: `${ctx.baseUrl}/api/v4/leads/pipelines` } },
			_embedded: { pipelines: state.pipelines },
		}),
	);
	on('GET', '/api/v4/leads/custom_fields', (ctx) =>
		page(ctx, 'custom_fields', state.leadFields, undefined, MAX_FIELDS_PAGE),
	);
	// One field by its id, as the custom-fields page documents it ("Получение поля сущности по ID").
	on('GET', '/api/v4/leads/custom_fields/:id', (ctx) => {
		const field = state.leadFields.find((candidate) => String(candidate.id) === ctx.params.id);
		if (!field) throw fail(404, `Custom field ${ctx.params.id} not found`);
		return json(field);
	});
}

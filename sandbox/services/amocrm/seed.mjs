// @ts-check
/**
 * Bulk seeding of a busy account for benchmarks and tests, `POST /_control/amocrm/seed`: tens of
 * thousands of deals, contacts and products written straight into the state, as records other
 * sources created earlier (already searchable, no search-index delay), without a request each.
 */
import { controlError, isObject } from '../../lib/http.mjs';
import { SEED, newId, nowSeconds } from './common.mjs';
import { contactFieldValues } from './fields.mjs';

/** @typedef {import('./state.mjs').AmoState} AmoState */

/**
 * @typedef {object} SeedRequest
 * @property {number} [leads] Deals of other sources, in all.
 * @property {number} [recentLeads] How many of them were created in the last `recentDays`.
 * @property {number} [recentDays] 14 unless given.
 * @property {number} [contacts] Contacts, in all.
 * @property {string[]} [phones] Phones, as written, of the first contacts (one each); the others'
 *   numbers are distinct, written in the forms of `writtenPhone`.
 * @property {number} [products] Elements of the products list, in all.
 * @property {string[]} [skus] SKUs of the first products.
 */

const DAY = 86400;

/**
 * A distinct +7 747 number, written in turn as the sources of a real account write phones: the
 * amoCRM form's mask, one word with +7, with 8, and bare (docs/services/amocrm.md, "Contacts and
 * phone search").
 * @param {number} index
 */
function writtenPhone(index) {
	const national = `747${String(index).padStart(7, '0')}`;
	switch (index % 4) {
		case 0:
			return national.replace(/(\d{3})(\d{3})(\d{2})(\d{2})/, '+7 ($1) $2-$3-$4');
		case 1:
			return `+7${national}`;
		case 2:
			return `8${national}`;
		default:
			return `7${national}`;
	}
}

/** @param {unknown} value @param {string} name */
function count(value, name) {
	if (value === undefined) return 0;
	if (!Number.isInteger(value) || /** @type {number} */ (value) < 0)
		throw controlError(`${name} must be a non-negative integer`);
	return /** @type {number} */ (value);
}

/** @param {unknown} value @param {string} name */
function strings(value, name) {
	if (value === undefined) return [];
	if (!Array.isArray(value) || value.some((entry) => typeof entry !== 'string'))
		throw controlError(`${name} must be an array of strings`);
	return /** @type {string[]} */ (value);
}

/**
 * Seeds the account; deterministic for the same request on a fresh state.
 * @param {AmoState} state
 * @param {unknown} body
 */
export function bulkSeed(state, body) {
	if (!isObject(body))
		throw controlError(
			'Body must be {"leads"?, "recentLeads"?, "recentDays"?, "contacts"?, "phones"?, "products"?, "skus"?}',
		);
	const leads = count(body.leads, 'leads');
	const recentLeads = count(body.recentLeads, 'recentLeads');
	const recentDays = body.recentDays === undefined ? 14 : count(body.recentDays, 'recentDays');
	const contacts = count(body.contacts, 'contacts');
	const products = count(body.products, 'products');
	const phones = strings(body.phones, 'phones');
	const skus = strings(body.skus, 'skus');
	if (recentLeads > leads) throw controlError('recentLeads must not exceed leads');
	if (phones.length > contacts) throw controlError('phones must not outnumber contacts');
	if (skus.length > products) throw controlError('skus must not outnumber products');

	const now = nowSeconds();
	const started = Date.now();
	/** The open, non-incoming stages of every pipeline, taken in turn. */
	const stages = state.pipelines.flatMap((pipeline) =>
		pipeline._embedded.statuses
			.filter((/** @type {any} */ status) => status.type !== 1)
			.map((/** @type {any} */ status) => ({ pipeline_id: pipeline.id, status_id: status.id })),
	);
	for (let index = 0; index < leads; index++) {
		// The recent ones spread over the last `recentDays`, the rest over the two years before.
		const createdAt =
			index < recentLeads
				? now - Math.floor(((index + 1) * recentDays * DAY) / (recentLeads + 1))
				: now -
					recentDays * DAY -
					Math.floor(((index - recentLeads + 1) * 730 * DAY) / (leads - recentLeads + 1));
		const id = newId(state);
		state.leads.set(id, {
			id,
			name: `Сделка ${index + 1}`,
			price: 1000 * (1 + (index % 50)),
			responsible_user_id: SEED.userId,
			...stages[index % stages.length],
			created_at: createdAt,
			updated_at: createdAt,
			custom_fields_values: [],
			tags: [],
			contacts: [],
		});
	}
	for (let index = 0; index < contacts; index++) {
		const phone = phones[index] ?? writtenPhone(index);
		const createdAt = now - DAY - (index % 700) * DAY;
		const id = newId(state);
		state.contacts.set(id, {
			id,
			name: `Клиент ${index + 1}`,
			first_name: 'Клиент',
			last_name: String(index + 1),
			responsible_user_id: SEED.userId,
			created_at: createdAt,
			updated_at: createdAt,
			custom_fields_values: contactFieldValues([
				{ field_code: 'PHONE', values: [{ value: phone, enum_code: 'MOB' }] },
			]),
		});
	}
	const catalog = state.catalogs.find((entry) => entry.type === 'products') ?? state.catalogs[0];
	for (let index = 0; index < products && catalog; index++) {
		const sku = skus[index] ?? `BUSY-${index + 1}`;
		const id = newId(state);
		state.elements.set(id, {
			id,
			name: `Товар ${sku}`,
			catalog_id: catalog.id,
			request_id: sku,
			custom_fields_values: [
				{ field_id: 700001, field_code: 'SKU', field_type: 'text', values: [{ value: sku }] },
				{
					field_id: 700002,
					field_code: 'PRICE',
					field_type: 'price',
					values: [{ value: String(1000 + (index % 100) * 10) }],
				},
			],
		});
	}
	return {
		leads: state.leads.size,
		contacts: state.contacts.size,
		elements: state.elements.size,
		ms: Date.now() - started,
	};
}

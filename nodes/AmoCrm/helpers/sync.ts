import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { ApiContext } from '../../shared/http';
import {
	amoGetPage,
	amoRequest,
	isBatchTooLarge,
	isBlocked,
	isPermanentRefusal,
	isTooLongWait,
	isValidationError,
} from '../transport';
import {
	BATCH_SIZE,
	MAX_COMPLEX_BATCH,
	MAX_PAGE_SIZE,
	STATE_TAG_PREFIX,
	SYNC_TAG,
	UNLINKED_TAG,
	type AmoComplexResult,
	type AmoLead,
} from '../transport/types';
import { contactBody, findContactsByPhone, learnPhoneSearchKind, phoneDigits } from './contacts';
import { chunk, fieldValues } from './fields';
import { money, orderNote } from './orderNote';
import { createProducts, findProductBySku, productsCatalogId, type NewProduct } from './products';
import { cacheCatalogId, cachedCatalogId, contactCacheFor, productCacheFor } from './syncCaches';

/** The fields of a Kaspi node output item the sync reads (nodes/Kaspi/helpers/mapper.ts). */
export interface SyncOrder {
	code: string;
	state: string;
	totalPrice: number;
	customerName: string | null;
	customerFirstName: string | null;
	customerLastName: string | null;
	customerPhone: string | null;
	deliveryAddress: string | null;
	deliveryMode: string;
	createdAt: string;
	creationDate: number;
	entries: Array<{
		sku: string;
		name: string;
		quantity: number;
		unitPrice: number;
		totalPrice: number;
	}>;
}

interface SyncSettings {
	orderCodeFieldId: number;
	pipelineId?: number;
	statusId?: number;
	responsibleUserId?: number;
	dealNamePrefix: string;
	addNotes: boolean;
	linkProducts: boolean;
	catalogId?: number;
	dryRun: boolean;
	/**
	 * Order code → the Kaspi total the sync last wrote to (or first saw on) the order's deal. The
	 * sync reads and updates it; the caller keeps it between runs. Without it, an existing deal's
	 * price is never changed (docs/services/amocrm.md, "Deal price").
	 */
	lastTotals?: Map<string, number>;
}

type SyncAction = 'created' | 'updated' | 'unchanged' | 'error';

interface SyncResult extends IDataObject {
	orderCode: string;
	action: SyncAction;
	dealId: number | null;
	contactId: number | null;
	merged?: boolean;
	warning?: string;
	error?: string;
	/** Why some or all of the order's products were not linked; they are not retried. */
	productsError?: string;
	requests?: IDataObject[];
}

/** Wait after a 504 on `/leads/complex` before listing the deals it may have created. */
export const RESCAN_AFTER_504_MS = 5000;

/**
 * How long before its order a deal may have been created by amoCRM's clock: the two servers' clocks
 * differ by seconds, so an hour is ample, and the lead scan starts this much before the oldest order.
 */
export const DEAL_WINDOW_MARGIN_S = 3600;

/**
 * Learning the account's kind of phone search costs two requests and saves one per new buyer:
 * worth it from three unknown phones on (helpers/contacts.ts, `learnPhoneSearchKind`).
 */
const PHONE_SEARCHES_WORTH_A_PROBE = 3;

const MERGED_WARNING =
	'amoCRM duplicate control merged this order into an existing deal, so no note or products were added to it: exclude this integration from duplicate control';

interface PlannedRequest extends IDataObject {
	method: string;
	path: string;
	body: IDataObject | IDataObject[];
}

function stateTag(state: string): string {
	return `${STATE_TAG_PREFIX}${state}`;
}

/** SKU → quantity of the entries that can become linked products: those with a SKU. */
function skuQuantities(order: SyncOrder): Map<string, number> {
	const quantities = new Map<string, number>();
	for (const entry of order.entries) {
		if (entry.sku) quantities.set(entry.sku, (quantities.get(entry.sku) ?? 0) + entry.quantity);
	}
	return quantities;
}

function errorText(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/**
 * Pages through a list until `done` says every wanted key is known or the list ends, within a
 * page budget. `complete` tells whether the whole list was seen, so a miss is a real miss.
 */
async function scanList<T>(
	context: ApiContext,
	path: string,
	entity: string,
	qs: IDataObject,
	budget: number,
	visit: (items: T[]) => boolean,
): Promise<{ complete: boolean }> {
	for (let page = 1; page <= budget; page++) {
		const items = await amoGetPage<T>(context, path, entity, { ...qs, page, limit: MAX_PAGE_SIZE });
		const stop = visit(items);
		if (items.length < MAX_PAGE_SIZE) return { complete: true };
		if (stop) return { complete: false };
	}
	return { complete: false };
}

/** The per-order state the sync builds up. */
interface Work {
	index: number;
	order: SyncOrder;
	phone?: string;
	deal?: AmoLead;
	contactId?: number;
	result: SyncResult;
	needsUpdate: boolean;
	needsNote: boolean;
	needsLinks: boolean;
	needsPrice?: boolean;
}

export class OrderSync {
	private readonly planned: PlannedRequest[] = [];
	/** Deals whose products amoCRM refused for good in this run, to be tagged `UNLINKED_TAG`. */
	private readonly unlinked: Work[] = [];

	constructor(
		private readonly context: ApiContext,
		private readonly host: string,
		private readonly settings: SyncSettings,
	) {}

	/** Sends a write, or in a dry run records it and returns nothing. */
	private async write<T>(request: PlannedRequest, orders: Work[]): Promise<T | undefined> {
		if (this.settings.dryRun) {
			this.planned.push(request);
			for (const work of orders) {
				work.result.requests = [...((work.result.requests as IDataObject[]) ?? []), request];
			}
			return undefined;
		}
		return await amoRequest<T>(this.context, {
			method: request.method as 'POST' | 'PATCH',
			path: request.path,
			body: request.body,
			idempotent: request.method === 'PATCH',
		});
	}

	private fail(orders: Work[], error: unknown): void {
		// Every further call would be refused as well: stop the run with the one clear error.
		if (isBlocked(error) || isTooLongWait(error)) throw error;
		const message = errorText(error);
		for (const work of orders) {
			work.result.action = 'error';
			work.result.error = message;
		}
	}

	private open(works: Work[]): Work[] {
		return works.filter((work) => work.result.action !== 'error');
	}

	async run(orders: SyncOrder[]): Promise<SyncResult[]> {
		const works: Work[] = orders.map((order, index) => ({
			index,
			order,
			phone: phoneDigits(order.customerPhone) ?? undefined,
			result: { orderCode: order.code, action: 'unchanged', dealId: null, contactId: null },
			needsUpdate: false,
			needsNote: false,
			needsLinks: false,
		}));
		const valid = works.filter((work) => {
			if (work.order.code) return true;
			work.result.action = 'error';
			work.result.error = 'The item has no order code: connect the Kaspi node’s output';
			return false;
		});
		// One deal per order code, even when the input repeats an order.
		const byCode = new Map<string, Work>();
		const duplicates: Array<[Work, Work]> = [];
		for (const work of valid) {
			const first = byCode.get(work.order.code);
			if (first) duplicates.push([work, first]);
			else byCode.set(work.order.code, work);
		}
		const unique = [...byCode.values()];
		if (unique.length) {
			await this.resolveDeals(unique);
			const fresh = unique.filter((work) => !work.deal);
			await this.resolveContacts(fresh.filter((work) => work.phone));
			await this.createDeals(fresh);
			await this.updateDeals(unique.filter((work) => work.deal && work.needsUpdate));
			await this.addNotes(this.open(unique).filter((work) => work.needsNote));
			if (this.settings.linkProducts) {
				await this.linkProducts(this.open(unique).filter((work) => work.needsLinks));
				await this.tagUnlinked(this.open(this.unlinked));
			}
		}
		for (const [work, first] of duplicates) {
			work.result = { ...first.result, duplicateOfInput: true };
		}
		return works.map((work) => work.result);
	}

	/**
	 * Existing deals by order code, without walking the account (K-LIM): amoCRM lists only the deals
	 * created since the oldest order, less a margin (`filter[created_at][from]`; a deal is always
	 * created after its order), newest first, and the scan stops once every order is found, within a
	 * page budget. Orders older than what the budget covered are then asked one by one with `query`
	 * on the order code. Every hit is re-checked by the order-code field, and the window's edge on
	 * our side too, since filters are alpha on some accounts (docs/services/amocrm.md, "Reading
	 * without scans").
	 */
	private async resolveDeals(works: Work[]): Promise<void> {
		const wanted = new Map(works.map((work) => [work.order.code, work]));
		const fieldId = this.settings.orderCodeFieldId;
		// Contacts are embedded only when asked for (A-LEADS), and existing deals report theirs.
		const embed = 'catalog_elements,contacts';
		const sinceOf = (work: Work) =>
			Math.floor((work.order.creationDate || Date.now()) / 1000) - DEAL_WINDOW_MARGIN_S;
		const since = Math.min(...works.map(sinceOf));
		let found = 0;
		const take = (leads: AmoLead[]) => {
			for (const lead of leads) {
				for (const code of fieldValues(lead.custom_fields_values, { id: fieldId })) {
					const work = wanted.get(code);
					if (work && !work.deal) {
						work.deal = lead;
						found++;
					}
				}
			}
		};
		// Every deal created after `frontier` has been seen.
		let frontier = Number.POSITIVE_INFINITY;
		const { complete } = await scanList<AmoLead>(
			this.context,
			'/api/v4/leads',
			'leads',
			{ 'filter[created_at][from]': since, 'order[created_at]': 'desc', with: embed },
			Math.max(1, Math.ceil(wanted.size / 10)),
			(leads) => {
				take(leads);
				const last = leads[leads.length - 1];
				if (last !== undefined) frontier = last.created_at;
				return found === wanted.size || frontier < since;
			},
		);
		if (!complete && frontier >= since) {
			// A page of 250 costs one call, a query one call per order: past the budget, the orders
			// whose deal may be older than the pages read are asked by code.
			for (const work of works) {
				if (work.deal || sinceOf(work) > frontier) continue;
				take(
					await amoGetPage<AmoLead>(this.context, '/api/v4/leads', 'leads', {
						query: work.order.code,
						with: embed,
						limit: 50,
					}),
				);
			}
		}
		for (const work of works) if (work.deal) this.classifyExisting(work, work.deal);
	}

	private classifyExisting(work: Work, deal: AmoLead): void {
		const tags = (deal._embedded?.tags ?? []).map((tag) => tag.name);
		const wantedTag = stateTag(work.order.state);
		work.result.dealId = deal.id;
		work.result.contactId = deal._embedded?.contacts?.[0]?.id ?? null;
		const linked = (deal._embedded?.catalog_elements ?? []).length > 0;
		// A deal without the products its order can have was cut short (a crash, a 5xx) and is
		// finished now; entries without a SKU never link, and a deal amoCRM refused products for
		// good is tagged so, so neither is retried on every run (docs/services/amocrm.md, "Notes").
		const incomplete =
			this.settings.linkProducts &&
			skuQuantities(work.order).size > 0 &&
			!linked &&
			!tags.includes(UNLINKED_TAG);
		const stateChanged = !tags.includes(wantedTag);
		// An operator may edit the budget: it is set back to Kaspi's total only when that total moved
		// since the sync last wrote it; with no memory of the order, never (docs/services/amocrm.md,
		// "Deal price").
		const total = Math.round(work.order.totalPrice);
		const remembered = this.settings.lastTotals?.get(work.order.code);
		if (remembered === undefined || deal.price === total)
			this.settings.lastTotals?.set(work.order.code, total);
		const priceChanged = remembered !== undefined && remembered !== total && deal.price !== total;
		work.needsPrice = priceChanged;
		work.needsUpdate = stateChanged || priceChanged;
		work.needsLinks = incomplete;
		if (!work.needsUpdate && !incomplete) return;
		work.result.action = 'updated';
		// The full order note goes on a new deal only: a run that just retries links adds none.
		work.needsNote = this.settings.addNotes && stateChanged;
	}

	/**
	 * Phone → contact id from the cache, else a phone search each: one once the account's kind of
	 * search is known, two before. No list of contacts is paged through: new buyers are rarely among the oldest, and
	 * uncontrolled iteration may get the IP restricted (K-LIM; docs/services/amocrm.md, "Reading
	 * without scans").
	 */
	private async resolveContacts(works: Work[]): Promise<void> {
		const cache = contactCacheFor(this.host);
		const unknown = new Set(
			works.map((work) => work.phone as string).filter((phone) => !cache.has(phone)),
		);
		if (unknown.size >= PHONE_SEARCHES_WORTH_A_PROBE) await learnPhoneSearchKind(this.context);
		for (const phone of unknown) {
			const [contact] = await findContactsByPhone(this.context, phone);
			if (contact) cache.set(phone, contact.id);
		}
		for (const work of works) work.contactId = cache.get(work.phone as string);
	}

	private complexElement(work: Work): IDataObject {
		const { order } = work;
		const s = this.settings;
		const contact: IDataObject | undefined = work.contactId
			? { id: work.contactId }
			: work.phone
				? contactBody({
						name: order.customerName || `+${work.phone}`,
						firstName: order.customerFirstName ?? undefined,
						lastName: order.customerLastName ?? undefined,
						phone: work.phone,
						responsibleUserId: s.responsibleUserId,
					})
				: undefined;
		return {
			request_id: order.code,
			name: `${s.dealNamePrefix}${order.code}`,
			price: Math.round(order.totalPrice),
			...(s.pipelineId ? { pipeline_id: s.pipelineId } : {}),
			...(s.statusId ? { status_id: s.statusId } : {}),
			...(s.responsibleUserId ? { responsible_user_id: s.responsibleUserId } : {}),
			custom_fields_values: [{ field_id: s.orderCodeFieldId, values: [{ value: order.code }] }],
			_embedded: {
				tags: [{ name: SYNC_TAG }, { name: stateTag(order.state) }],
				...(contact ? { contacts: [contact] } : {}),
			},
		};
	}

	/**
	 * New deals through `/leads/complex`, at most 50 a call. Orders of a buyer not yet in amoCRM
	 * wait for the call that creates the contact, so one phone never becomes two contacts.
	 */
	private async createDeals(works: Work[]): Promise<void> {
		const cache = contactCacheFor(this.host);
		let pending = [...works];
		while (pending.length) {
			const batch: Work[] = [];
			const claimed = new Set<string>();
			const later: Work[] = [];
			for (const work of pending) {
				if (work.phone && !work.contactId) work.contactId = cache.get(work.phone);
				const newPhone = work.phone && !work.contactId ? work.phone : undefined;
				if (batch.length >= MAX_COMPLEX_BATCH || (newPhone && claimed.has(newPhone))) {
					later.push(work);
					continue;
				}
				if (newPhone) claimed.add(newPhone);
				batch.push(work);
			}
			await this.sendComplex(batch);
			if (this.settings.dryRun) {
				// Nothing was created, so later orders of a new buyer would wait forever: plan them
				// with their own embedded contact.
				if (later.length) await this.sendComplexPlanned(later);
				return;
			}
			pending = later;
		}
	}

	private async sendComplexPlanned(works: Work[]): Promise<void> {
		for (const batch of chunk(works, MAX_COMPLEX_BATCH)) await this.sendComplex(batch);
	}

	private async sendComplex(batch: Work[]): Promise<void> {
		const cache = contactCacheFor(this.host);
		for (const work of batch) {
			work.result.action = 'created';
			work.needsNote = this.settings.addNotes;
			work.needsLinks = skuQuantities(work.order).size > 0;
		}
		let results: AmoComplexResult[] | undefined;
		try {
			results = await this.write<AmoComplexResult[]>(
				{
					method: 'POST',
					path: '/api/v4/leads/complex',
					body: batch.map((work) => this.complexElement(work)),
				},
				batch,
			);
		} catch (error) {
			if (isBatchTooLarge(error) && batch.length > 1) {
				// The 504 may have come while amoCRM was still creating deals, and `request_id` is no
				// idempotency key: give it time, then look again before resending.
				for (const work of batch) work.result.action = 'unchanged';
				await sleep(RESCAN_AFTER_504_MS);
				await this.resolveDeals(batch);
				const rest = batch.filter((work) => !work.deal);
				const half = Math.ceil(rest.length / 2);
				if (rest.length) await this.sendComplex(rest.slice(0, half));
				if (rest.length > half) await this.sendComplex(rest.slice(half));
				return;
			}
			if (batch.length > 1 && isValidationError(error)) {
				// A validation error names one element; send each alone so only it fails.
				for (const work of batch) await this.sendComplex([work]);
				return;
			}
			this.fail(batch, error);
			return;
		}
		if (this.settings.dryRun) return;
		const byCode = new Map<string, AmoComplexResult>();
		for (const result of results ?? []) {
			// An array by the docs and the SDK; a lone string would otherwise be read letter by letter.
			for (const requestId of ([] as unknown[]).concat(result.request_id ?? [])) {
				byCode.set(String(requestId), result);
			}
		}
		for (const work of batch) {
			const result = byCode.get(work.order.code);
			if (!result) {
				this.fail([work], new Error('amoCRM did not return a deal for this order'));
				continue;
			}
			work.result.dealId = result.id;
			work.result.contactId = result.contact_id ?? work.contactId ?? null;
			if (result.merged) {
				// Duplicate control put the order into an older lead, which is not this order's deal:
				// no order note and no products on it (docs/services/amocrm.md, "Deals and
				// /leads/complex").
				work.result.merged = true;
				work.result.warning = MERGED_WARNING;
				work.needsNote = false;
				work.needsLinks = false;
			}
			if (work.phone && result.contact_id) cache.set(work.phone, result.contact_id);
			if (!result.merged) {
				this.settings.lastTotals?.set(work.order.code, Math.round(work.order.totalPrice));
			}
		}
	}

	/** State tag and price of deals whose order changed, 50 a call. */
	private async updateDeals(works: Work[]): Promise<void> {
		for (const batch of chunk(works, BATCH_SIZE)) {
			const body = batch.map((work) => {
				const deal = work.deal as AmoLead;
				const wanted = stateTag(work.order.state);
				const stale = (deal._embedded?.tags ?? [])
					.filter((tag) => tag.name.startsWith(STATE_TAG_PREFIX) && tag.name !== wanted)
					.map((tag) => ({ name: tag.name }));
				const total = Math.round(work.order.totalPrice);
				return {
					id: deal.id,
					// A price the deal already has changes nothing; another only when Kaspi's moved.
					...(work.needsPrice || deal.price === total ? { price: total } : {}),
					tags_to_add: [{ name: SYNC_TAG }, { name: wanted }],
					...(stale.length ? { tags_to_delete: stale } : {}),
				};
			});
			try {
				await this.write({ method: 'PATCH', path: '/api/v4/leads', body }, batch);
				for (const work of batch) {
					if (work.needsPrice)
						this.settings.lastTotals?.set(work.order.code, Math.round(work.order.totalPrice));
				}
			} catch (error) {
				this.fail(batch, error);
			}
		}
	}

	private async addNotes(works: Work[]): Promise<void> {
		for (const batch of chunk(works, BATCH_SIZE)) {
			const body = batch.map((work) => ({
				entity_id: work.result.dealId ?? 0,
				note_type: 'common',
				params: {
					text:
						work.result.action === 'created'
							? orderNote(work.order)
							: `Kaspi order ${work.order.code}: state is now ${work.order.state}, total ${money(work.order.totalPrice)}`,
				},
			}));
			try {
				await this.write({ method: 'POST', path: '/api/v4/leads/notes', body }, batch);
			} catch (error) {
				this.fail(batch, error);
			}
		}
	}

	private async catalogId(): Promise<number> {
		if (this.settings.catalogId) return this.settings.catalogId;
		const cached = cachedCatalogId(this.host);
		if (cached) return cached;
		const id = await productsCatalogId(this.context);
		cacheCatalogId(this.host, id);
		return id;
	}

	/** SKU → element id: cache, one SKU search each, then batch create. */
	private async resolveProducts(
		catalogId: number,
		works: Work[],
		refused: Map<string, unknown>,
	): Promise<Map<string, number>> {
		const cache = productCacheFor(this.host, catalogId);
		const names = new Map<string, { name: string; price: number }>();
		for (const work of works) {
			for (const entry of work.order.entries) {
				if (entry.sku && !names.has(entry.sku)) {
					names.set(entry.sku, { name: entry.name, price: entry.unitPrice });
				}
			}
		}
		const unknown = new Set([...names.keys()].filter((sku) => !cache.has(sku)));
		if (unknown.size) {
			// A SKU search each, re-checked on our side; the list is never paged through (K-LIM).
			for (const sku of [...unknown]) {
				const element = await findProductBySku(this.context, catalogId, sku);
				if (element) {
					cache.set(sku, element.id);
					unknown.delete(sku);
				}
			}
			const missing = [...unknown].map((sku) => ({
				sku,
				...(names.get(sku) as { name: string; price: number }),
			}));
			if (!this.settings.dryRun) {
				for (const batch of chunk(missing, BATCH_SIZE)) {
					await this.createMissing(catalogId, batch, cache, refused);
				}
			}
		}
		return cache;
	}

	/** Creates products; a SKU that could not be created is recorded with its error. */
	private async createMissing(
		catalogId: number,
		products: NewProduct[],
		cache: Map<string, number>,
		refused: Map<string, unknown>,
	): Promise<void> {
		try {
			for (const [sku, id] of await createProducts(this.context, catalogId, products)) {
				cache.set(sku, id);
			}
		} catch (error) {
			if (products.length > 1 && isPermanentRefusal(error)) {
				// One refused element fails the whole call, which created none: create each alone.
				for (const product of products) {
					await this.createMissing(catalogId, [product], cache, refused);
				}
				return;
			}
			for (const product of products) refused.set(product.sku, error);
		}
	}

	private async linkProducts(works: Work[]): Promise<void> {
		if (!works.length) return;
		let catalogId: number;
		let ids: Map<string, number>;
		const refused = new Map<string, unknown>();
		try {
			catalogId = await this.catalogId();
			ids = await this.resolveProducts(catalogId, works, refused);
		} catch (error) {
			this.refuseLinks(works, error);
			return;
		}
		const links: Array<{ work: Work; link: IDataObject }> = [];
		for (const work of works) {
			const quantities = skuQuantities(work.order);
			const failed = [...quantities.keys()].filter((sku) => refused.has(sku));
			// A transient failure leaves the deal unlinked, so the next run retries all its products.
			const transient = failed.map((sku) => refused.get(sku)).find((e) => !isPermanentRefusal(e));
			if (transient !== undefined || failed.length === quantities.size) {
				this.refuseLinks([work], transient ?? refused.get(failed[0]));
				continue;
			}
			if (failed.length) {
				work.result.productsError = `amoCRM refused the products ${failed.join(', ')}: ${errorText(refused.get(failed[0]))}`;
			}
			for (const [sku, quantity] of quantities) {
				if (refused.has(sku)) continue;
				links.push({
					work,
					link: {
						entity_id: work.result.dealId ?? 0,
						to_entity_id: ids.get(sku) ?? 0,
						to_entity_type: 'catalog_elements',
						metadata: { catalog_id: catalogId, quantity },
					},
				});
			}
		}
		await this.sendLinks(links);
	}

	private async sendLinks(links: Array<{ work: Work; link: IDataObject }>): Promise<void> {
		for (const batch of chunk(links, BATCH_SIZE)) {
			const owners = [...new Set(batch.map((entry) => entry.work))];
			try {
				await this.write(
					{ method: 'POST', path: '/api/v4/leads/link', body: batch.map((entry) => entry.link) },
					owners,
				);
			} catch (error) {
				if (owners.length > 1 && isValidationError(error)) {
					// A validation error names one element; send each deal's links alone so only it fails.
					for (const owner of owners) {
						await this.sendLinks(batch.filter((entry) => entry.work === owner));
					}
					continue;
				}
				this.refuseLinks(owners, error);
			}
		}
	}

	/**
	 * A permanent refusal is reported on the item and the deal tagged, so later runs do not retry
	 * (and note) it for ever; anything else fails the item and the next run retries.
	 */
	private refuseLinks(works: Work[], error: unknown): void {
		if (!isPermanentRefusal(error)) {
			this.fail(works, error);
			return;
		}
		for (const work of works) {
			work.result.productsError = `Products not linked: ${errorText(error)}. The deal is tagged ${UNLINKED_TAG} and its products are not retried; remove the tag to retry.`;
			this.unlinked.push(work);
		}
	}

	private async tagUnlinked(works: Work[]): Promise<void> {
		for (const batch of chunk(works, BATCH_SIZE)) {
			const body = batch.map((work) => ({
				id: work.result.dealId ?? 0,
				tags_to_add: [{ name: UNLINKED_TAG }],
			}));
			try {
				await this.write({ method: 'PATCH', path: '/api/v4/leads', body }, batch);
			} catch (error) {
				this.fail(batch, error);
			}
		}
	}

	/** Every write a dry run would have sent, in order. */
	plannedRequests(): PlannedRequest[] {
		return this.planned;
	}
}

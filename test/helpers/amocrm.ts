/**
 * A strict, stateful nock fake of the amoCRM calls the node makes, for the unit tests: every
 * request is recorded, anything unexpected fails the test (nock refuses unknown routes).
 */
import nock from 'nock';
import type {
	IDataObject,
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	INodeExecutionData,
} from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { router } from '../../nodes/AmoCrm/actions/router';
import { clearSyncCaches } from '../../nodes/AmoCrm/helpers/syncCaches';
import { resetLimiter } from '../../nodes/AmoCrm/transport/limiter';
import { forgetIssuedTokens } from '../../nodes/AmoCrm/transport/oauth';
import { startFakeTime } from './clock';
import { fakeContext, type FakeContextOptions } from './context';
import { recordRequest, type RecordedRequest, useNock } from './http';

export const AMO = 'https://shop.amocrm.ru';
export const AMO_TOKEN = 'dummy-amo-long-lived-token';
export const FIELD_ID = 900001;
export const CATALOG_ID = 5001;
/** Deals the fake creates are dated from here (seconds): kaspiOrder's creationDate. */
export const LEAD_EPOCH_S = 1_800_000_000;

export const longLived: ICredentialDataDecryptedObject = {
	platform: 'amocrm.ru',
	subdomain: 'shop',
	accessToken: AMO_TOKEN,
};

/** Each test of the file on fake time (test/helpers/clock.ts), with the limiter and the caches cold. */
export function useFakeLimiterClock(): void {
	beforeEach(() => {
		resetLimiter();
		clearSyncCaches();
		forgetIssuedTokens();
		startFakeTime();
	});
	afterEach(() => jest.restoreAllMocks());
}

/**
 * The set-up every amoCRM node test file shares: nock, the fake limiter clock, and a fresh record
 * of n8n's `sleep`, which each file mocks (`jest.mock` must stand in the test file itself).
 */
export function useAmoUnit(): void {
	useNock();
	useFakeLimiterClock();
	beforeEach(() => jest.mocked(sleep).mockClear());
}

export function amoContext(
	parameters: FakeContextOptions['parameters'],
	extra: Partial<FakeContextOptions> = {},
) {
	const withAuth =
		typeof parameters === 'function'
			? (index: number) => ({ authentication: 'longLivedToken', ...parameters(index) })
			: { authentication: 'longLivedToken', ...parameters };
	const { context } = fakeContext({
		parameters: withAuth,
		credentials: { amoCrmLongLivedApi: longLived },
		...extra,
	});
	return context as unknown as IExecuteFunctions;
}

/** Runs the node through its router and returns the JSON of its first output. */
export async function runAmo(context: IExecuteFunctions): Promise<IDataObject[]> {
	const [output] = await router.call(context);
	return output.map((item: INodeExecutionData) => item.json);
}

/** Sync Orders into the seeded pipeline and stage, keyed on the seeded order-code field. */
export const syncParams = (options: IDataObject = {}) => ({
	resource: 'deal',
	operation: 'syncOrders',
	pipeline: { __rl: true, mode: 'list', value: '7000001' },
	statusId: 7100001,
	orderCodeField: { __rl: true, mode: 'list', value: String(FIELD_ID) },
	options,
});

/** A Sync Orders run over these Kaspi orders, one item each. */
export function syncContext(
	orders: IDataObject[],
	options: IDataObject = {},
	extra: Partial<FakeContextOptions> = {},
): IExecuteFunctions {
	return amoContext(syncParams(options), { items: orders.map((json) => ({ json })), ...extra });
}

export interface FakeLead {
	id: number;
	name: string;
	price: number;
	status_id: number;
	pipeline_id: number;
	created_at: number;
	updated_at: number;
	custom_fields_values: IDataObject[] | null;
	tags: string[];
	contacts: number[];
	links: Map<number, number>;
}

export interface FakeContact {
	id: number;
	name: string;
	updated_at: number;
	custom_fields_values: IDataObject[];
}

function phoneField(values: string[]): IDataObject {
	return {
		field_id: 1,
		field_code: 'PHONE',
		field_type: 'multitext',
		values: values.map((value) => ({ value, enum_code: 'MOB' })),
	};
}

/** The in-memory account behind the nock routes. */
export class FakeAmo {
	leads = new Map<number, FakeLead>();
	contacts = new Map<number, FakeContact>();
	notes: IDataObject[] = [];
	elements = new Map<number, { id: number; name: string; sku: string }>();
	requests: RecordedRequest[] = [];
	/**
	 * How `query` matches: inside the digits of a phone, as the 2019 reading has it, or at word
	 * beginnings only, phones also indexed as all their digits (docs/services/amocrm.md, "Contacts
	 * and phone search").
	 */
	search: 'substring' | 'wordStart' = 'substring';
	private nextId = 100;

	addContact(name: string, ...phones: string[]): number {
		const id = this.nextId++;
		this.contacts.set(id, { id, name, updated_at: id, custom_fields_values: [phoneField(phones)] });
		return id;
	}

	private contactMatches(contact: FakeContact, query: string): boolean {
		const values = contact.custom_fields_values.flatMap((field) =>
			(field.values as IDataObject[]).map((value) => String(value.value)),
		);
		if (this.search === 'substring')
			return (
				JSON.stringify(contact.custom_fields_values).replace(/\D/g, '').includes(query) ||
				contact.name.includes(query)
			);
		const words = [contact.name, ...values].flatMap(
			(text) => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [],
		);
		const digits = values.map((value) => value.replace(/\D/g, ''));
		return [...words, ...digits].some((word) => word.startsWith(query));
	}

	/** A deal already on the account: another source's, or an order's (`code` in the order-code field). */
	addLead(createdAt: number, code?: string, tags: string[] = []): number {
		const id = this.nextId++;
		this.leads.set(id, {
			id,
			name: code ? `Kaspi order ${code}` : `Deal ${id}`,
			price: 15000,
			status_id: 1,
			pipeline_id: 1,
			created_at: createdAt,
			updated_at: createdAt,
			custom_fields_values: code ? [{ field_id: FIELD_ID, values: [{ value: code }] }] : null,
			tags,
			contacts: [],
			links: new Map(),
		});
		return id;
	}

	count(method: string, path: string): number {
		return this.requests.filter((request) => request.method === method && request.path === path)
			.length;
	}

	private leadView(lead: FakeLead): IDataObject {
		return {
			id: lead.id,
			name: lead.name,
			price: lead.price,
			status_id: lead.status_id,
			pipeline_id: lead.pipeline_id,
			created_at: lead.created_at,
			updated_at: lead.updated_at,
			custom_fields_values: lead.custom_fields_values,
			_embedded: {
				tags: lead.tags.map((name) => ({ name })),
				contacts: lead.contacts.map((id) => ({ id })),
				catalog_elements: [...lead.links].map(([id, quantity]) => ({ id, metadata: { quantity } })),
			},
		};
	}

	private pageOf(
		list: IDataObject[],
		key: string,
		query: Record<string, string>,
	): [number, unknown] {
		const limit = Number(query.limit ?? 50);
		const pageNumber = Number(query.page ?? 1);
		const slice = list.slice((pageNumber - 1) * limit, pageNumber * limit);
		if (slice.length === 0) return [204, ''];
		return [
			200,
			{
				_page: pageNumber,
				_links: pageNumber * limit < list.length ? { next: { href: 'next' } } : {},
				_embedded: { [key]: slice },
			},
		];
	}

	/** Installs persistent routes; `nock.cleanAll()` (after each test) removes them. */
	install(): this {
		const scope = nock(AMO).persist();
		scope
			.get('/api/v4/leads')
			.query(true)
			.reply((uri, body) => {
				const request = recordRequest({ method: 'GET', path: uri, headers: {} }, body);
				this.requests.push(request);
				// amoCRM's filter and `query` as the sync uses them: created since, and the order code.
				const from = Number(request.query['filter[created_at][from]'] ?? 0);
				const query = request.query.query;
				const leads = [...this.leads.values()]
					.filter((lead) => lead.created_at >= from)
					.filter((lead) => !query || JSON.stringify(lead.custom_fields_values).includes(query))
					.sort((a, b) => b.created_at - a.created_at || b.id - a.id);
				return this.pageOf(
					leads.map((lead) => this.leadView(lead)),
					'leads',
					request.query,
				);
			});
		scope
			.get('/api/v4/contacts')
			.query(true)
			.reply((uri, body) => {
				const request = recordRequest({ method: 'GET', path: uri, headers: {} }, body);
				this.requests.push(request);
				const query = request.query.query;
				const contacts = [...this.contacts.values()].filter(
					(contact) => !query || this.contactMatches(contact, query),
				);
				return this.pageOf(contacts as unknown as IDataObject[], 'contacts', request.query);
			});
		scope.post('/api/v4/leads/complex').reply((uri, body) => {
			this.requests.push(recordRequest({ method: 'POST', path: uri, headers: {} }, body));
			const inputs = body as IDataObject[];
			return [
				200,
				inputs.map((input) => {
					const embedded = (input._embedded ?? {}) as IDataObject;
					const contact = ((embedded.contacts as IDataObject[]) ?? [])[0];
					let contactId: number | null = null;
					if (contact?.id) contactId = Number(contact.id);
					else if (contact) {
						const values = (contact.custom_fields_values as IDataObject[])[0]
							.values as IDataObject[];
						contactId = this.addContact(String(contact.name), String(values[0].value));
					}
					const id = this.nextId++;
					this.leads.set(id, {
						id,
						name: String(input.name),
						price: Number(input.price),
						status_id: Number(input.status_id ?? 1),
						pipeline_id: Number(input.pipeline_id ?? 1),
						// Seconds, after the orders' creationDate (kaspiOrder) as a real deal is.
						created_at: LEAD_EPOCH_S + id,
						updated_at: LEAD_EPOCH_S + id,
						custom_fields_values: input.custom_fields_values as IDataObject[],
						tags: ((embedded.tags as IDataObject[]) ?? []).map((tag) => String(tag.name)),
						contacts: contactId ? [contactId] : [],
						links: new Map(),
					});
					return {
						id,
						contact_id: contactId,
						company_id: null,
						request_id: [input.request_id],
						merged: false,
					};
				}),
			];
		});
		scope.patch('/api/v4/leads').reply((uri, body) => {
			this.requests.push(recordRequest({ method: 'PATCH', path: uri, headers: {} }, body));
			for (const patch of body as IDataObject[]) {
				const lead = this.leads.get(Number(patch.id));
				if (!lead) return [400, { title: 'Bad Request', status: 400, detail: 'no lead' }];
				if (patch.price !== undefined) lead.price = Number(patch.price);
				const remove = ((patch.tags_to_delete as IDataObject[]) ?? []).map((tag) => tag.name);
				const add = ((patch.tags_to_add as IDataObject[]) ?? []).map((tag) => String(tag.name));
				lead.tags = [...new Set([...lead.tags.filter((tag) => !remove.includes(tag)), ...add])];
			}
			return [200, { _embedded: { leads: [] } }];
		});
		scope.post('/api/v4/leads/notes').reply((uri, body) => {
			this.requests.push(recordRequest({ method: 'POST', path: uri, headers: {} }, body));
			this.notes.push(...(body as IDataObject[]));
			return [200, { _embedded: { notes: [] } }];
		});
		scope.post('/api/v4/leads/link').reply((uri, body) => {
			this.requests.push(recordRequest({ method: 'POST', path: uri, headers: {} }, body));
			for (const link of body as IDataObject[]) {
				const metadata = link.metadata as IDataObject;
				this.leads
					.get(Number(link.entity_id))
					?.links.set(Number(link.to_entity_id), Number(metadata.quantity));
			}
			return [200, { _embedded: { links: body } }];
		});
		scope
			.get('/api/v4/catalogs')
			.query(true)
			.reply((uri) => {
				this.requests.push(recordRequest({ method: 'GET', path: uri, headers: {} }, ''));
				return [
					200,
					{ _embedded: { catalogs: [{ id: CATALOG_ID, name: 'Products', type: 'products' }] } },
				];
			});
		scope
			.get(`/api/v4/catalogs/${CATALOG_ID}/elements`)
			.query(true)
			.reply((uri, body) => {
				const request = recordRequest({ method: 'GET', path: uri, headers: {} }, body);
				this.requests.push(request);
				const elements = [...this.elements.values()]
					.filter((element) => !request.query.query || element.sku.includes(request.query.query))
					.map((element) => ({
						id: element.id,
						name: element.name,
						catalog_id: CATALOG_ID,
						custom_fields_values: [{ field_code: 'SKU', values: [{ value: element.sku }] }],
					}));
				return this.pageOf(elements, 'elements', request.query);
			});
		scope.post(`/api/v4/catalogs/${CATALOG_ID}/elements`).reply((uri, body) => {
			this.requests.push(recordRequest({ method: 'POST', path: uri, headers: {} }, body));
			const created = (body as IDataObject[]).map((input) => {
				const id = this.nextId++;
				this.elements.set(id, { id, name: String(input.name), sku: String(input.request_id) });
				return { id, request_id: input.request_id };
			});
			return [200, { _embedded: { elements: created } }];
		});
		return this;
	}
}

/** A flat order as the Kaspi node emits it. */
export function kaspiOrder(
	code: string,
	phone: string | null,
	extra: IDataObject = {},
): IDataObject {
	return {
		id: `id-${code}`,
		code,
		state: 'NEW',
		status: 'APPROVED_BY_BANK',
		totalPrice: 15000,
		creationDate: 1_800_000_000_000,
		createdAt: new Date(1_800_000_000_000).toISOString(),
		customerName: 'Айгерим Нурланова',
		customerFirstName: 'Айгерим',
		customerLastName: 'Нурланова',
		customerPhone: phone,
		customerPhoneStatus: phone ? 'ok' : 'masked',
		deliveryAddress: 'Алматы, ул. Абая 1',
		deliveryMode: 'DELIVERY_LOCAL',
		entries: [
			{
				sku: 'SKU-1',
				name: 'Чайник',
				quantity: 1,
				unitPrice: 10000,
				totalPrice: 10000,
				category: null,
			},
			{
				sku: 'SKU-2',
				name: 'Кружка',
				quantity: 2,
				unitPrice: 2500,
				totalPrice: 5000,
				category: null,
			},
		],
		itemsSummary: 'Чайник × 1, Кружка × 2',
		...extra,
	};
}

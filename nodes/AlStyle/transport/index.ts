import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { apiRequest, type ApiContext, type ServiceProfile } from '../../shared/http';
import type {
	AlStyleBrands,
	AlStyleCategory,
	AlStyleElement,
	AlStyleImages,
	AlStylePage,
	AlStyleProperties,
	AlStyleStockPrices,
} from './types';
import { ALSTYLE_ADDITIONAL_FIELDS, ALSTYLE_ARTICLE_BATCH, ALSTYLE_PATHS } from './types';

export const ALSTYLE_CREDENTIAL = 'alStyleApi';
const TIMEOUT_MS = 120_000;
/** Al-Style sends its whole catalogue in one quantity-price answer; give slow links time. */
const RETRIES = 4;

/**
 * One queue per token for the whole n8n process: every call with the same token, from any node
 * and any execution, waits for its turn; a turn begins at least the minimum interval after the
 * previous call with that token got its answer, so the calls also arrive that far apart, whatever
 * the network does. The clock is an object so tests can drive it.
 */
export const clock: { now: () => number; sleep: (ms: number) => Promise<void> } = { now: () => Date.now(), sleep };

const queues = new Map<string, { tail: Promise<void>; lastEnd: number }>();

/** Waits for the token's turn; the returned function ends the turn (call it when the answer is in). */
export async function takeTurn(key: string, intervalMs: number): Promise<() => void> {
	let queue = queues.get(key);
	if (!queue) {
		queue = { tail: Promise.resolve(), lastEnd: Number.NEGATIVE_INFINITY };
		queues.set(key, queue);
	}
	const current = queue;
	let release!: () => void;
	const finished = new Promise<void>((resolve) => {
		release = () => {
			current.lastEnd = clock.now();
			resolve();
		};
	});
	const turn = current.tail.then(async () => {
		const wait = current.lastEnd + intervalMs - clock.now();
		if (wait > 0) await clock.sleep(wait);
	});
	current.tail = turn.then(async () => await finished).catch(() => undefined);
	await turn;
	let released = false;
	return () => {
		if (!released) release();
		released = true;
	};
}

/** Forgets every queue (tests). */
export function resetQueues(): void {
	queues.clear();
}

interface Connection {
	baseUrl: string;
	intervalMs: number;
	queueKey: string;
	token: string;
}

async function connection(context: ApiContext): Promise<Connection> {
	const credentials = await context.getCredentials(ALSTYLE_CREDENTIAL);
	const token = String(credentials.accessToken ?? '');
	const baseUrl = String(credentials.baseUrl ?? 'https://api.al-style.kz').replace(/\/+$/, '');
	const seconds = Number(credentials.minIntervalSeconds ?? 5);
	const base = Math.max(0, Number.isFinite(seconds) ? seconds : 5) * 1000;
	// A small margin on top, for clocks that do not agree to the millisecond.
	const intervalMs = base + Math.min(100, base * 0.02);
	// The queue is keyed by a hash, so the token itself is never kept in the process-wide map.
	const queueKey = createHash('sha256').update(`${baseUrl}\n${token}`).digest('hex');
	return { baseUrl, intervalMs, queueKey, token };
}

function bodyText(body: unknown): string {
	if (typeof body === 'string') return body;
	if (body && typeof body === 'object') {
		const record = body as IDataObject;
		for (const key of ['message', 'error', 'name']) if (typeof record[key] === 'string') return record[key] as string;
	}
	return '';
}

const isUpstreamTimeout = (body: unknown) => /upstream request timeout/i.test(bodyText(body));

/**
 * The names in an `additional_fields` value that are not in the list Al-Style is known to accept:
 * the likely cause when it answers 500 (alstyle.md §3).
 */
export function unknownAdditionalFields(value: unknown): string[] {
	if (typeof value !== 'string') return [];
	const known: readonly string[] = ALSTYLE_ADDITIONAL_FIELDS;
	return value
		.split(',')
		.map((name) => name.trim())
		.filter((name) => name !== '' && !known.includes(name));
}

function profile(link: Connection, unknownFields: string[] = []): ServiceProfile {
	const redact = (text: string) =>
		(link.token ? text.split(link.token).join('***') : text).replace(/access-token=[^&\s]*/gi, 'access-token=***').slice(0, 300);
	return {
		service: 'Al-Style',
		credentialType: ALSTYLE_CREDENTIAL,
		timeoutMs: TIMEOUT_MS,
		retries: RETRIES,
		backoffMs: Math.max(link.intervalMs, 1000),
		headers: { Accept: 'application/json' },
		// The shared loop ends the turn when the attempt has its answer.
		beforeAttempt: async () => await takeTurn(link.queueKey, link.intervalMs),
		retryPolicy: (statusCode, body) => {
			// 403 is Al-Style's "too fast": back off two intervals, then queue again.
			if (statusCode === 403) return { retry: true, delayMs: 2 * link.intervalMs };
			// Asking again for a field Al-Style does not know only fails again.
			if (statusCode === 500 && unknownFields.length) return { retry: false };
			if (statusCode >= 500 || isUpstreamTimeout(body)) return { retry: true, delayMs: link.intervalMs };
			return { retry: false };
		},
		describeFailure: (statusCode, body) => {
			const said = redact(bodyText(body).trim());
			if (statusCode === 403) {
				return {
					message: 'Al-Style refused the request (403) on every retry',
					description:
						'Al-Style answers 403 to calls less than about 5 s apart, and to a token it does not accept. Check the access token and the minimum interval in the credential.',
				};
			}
			if (statusCode === 401) {
				return { message: 'Al-Style did not accept the access token (401)', description: 'Copy the token again from the dealer cabinet, section API.' };
			}
			if (statusCode === 500 && unknownFields.length) {
				const names = unknownFields.map((name) => `"${name}"`).join(', ');
				return {
					message: `Al-Style failed with 500 on Additional Fields ${names}: ${unknownFields.length > 1 ? 'names it does' : 'a name it does'} not know`,
					description: `Al-Style answers 500 to an unknown name in additional_fields. Remove ${names} from Additional Fields; the names it knows are ${ALSTYLE_ADDITIONAL_FIELDS.join(', ')}.`,
				};
			}
			if (statusCode === 500) {
				return {
					message: `Al-Style failed with 500${said ? `: ${said}` : ''}`,
					description: 'Al-Style answers 500 to an unknown name in Additional Fields, and sometimes when overloaded.',
				};
			}
			return { message: `Al-Style answered ${statusCode}${said ? `: ${said}` : ''}` };
		},
	};
}

async function get<T>(context: ApiContext, path: string, qs: IDataObject, itemIndex?: number): Promise<T> {
	const link = await connection(context);
	const unknownFields = unknownAdditionalFields(qs.additional_fields);
	const response = await apiRequest<T>(context, profile(link, unknownFields), link.baseUrl, { method: 'GET', path, qs, itemIndex });
	return response.body;
}

export interface ListFilters {
	category?: string;
	brand?: string;
	inStockOnly?: boolean;
	additionalFields?: string[];
}

function filterQuery(filters: ListFilters): IDataObject {
	const qs: IDataObject = {};
	if (filters.category) qs.category = filters.category;
	if (filters.brand) qs.brand = filters.brand;
	if (filters.inStockOnly) qs.exclude_missing = 1;
	if (filters.additionalFields?.length) qs.additional_fields = filters.additionalFields.join(',');
	return qs;
}

export async function getProductPage(context: ApiContext, filters: ListFilters, limit: number, offset: number, itemIndex?: number): Promise<AlStylePage> {
	const page = await get<AlStylePage>(context, ALSTYLE_PATHS.elementsPagination, { ...filterQuery(filters), limit, offset }, itemIndex);
	return { elements: Array.isArray(page?.elements) ? page.elements : [], pagination: page?.pagination ?? { totalCount: 0, totalPages: 0, currentPage: 0, limit, offset } };
}

export function batches<T>(list: T[], size = ALSTYLE_ARTICLE_BATCH): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
	return out;
}

function asList<T>(body: unknown, key: string): T[] {
	if (Array.isArray(body)) return body as T[];
	const record = (body ?? {}) as IDataObject;
	const inner = record[key] ?? record.data;
	return Array.isArray(inner) ? (inner as T[]) : [];
}

export async function getProductsByArticles(context: ApiContext, articles: string[], additionalFields: string[], itemIndex?: number): Promise<AlStyleElement[]> {
	const out: AlStyleElement[] = [];
	for (const batch of batches(articles)) {
		const qs: IDataObject = { article: batch.join(',') };
		if (additionalFields.length) qs.additional_fields = additionalFields.join(',');
		out.push(...asList<AlStyleElement>(await get(context, ALSTYLE_PATHS.elementInfo, qs, itemIndex), 'elements'));
	}
	return out;
}

export async function getStockAndPrices(context: ApiContext, articles: string[], filters: ListFilters, itemIndex?: number): Promise<AlStyleStockPrices> {
	const qs = filterQuery({ brand: filters.brand, inStockOnly: filters.inStockOnly });
	if (!articles.length) {
		const body = await get<IDataObject>(context, ALSTYLE_PATHS.quantityPrice, qs, itemIndex);
		return ((body?.data as AlStyleStockPrices | undefined) ?? body ?? {}) as AlStyleStockPrices;
	}
	const out: AlStyleStockPrices = {};
	for (const batch of batches(articles)) {
		const body = await get<IDataObject>(context, ALSTYLE_PATHS.quantityPrice, { ...qs, article: batch.join(',') }, itemIndex);
		Object.assign(out, (body?.data as AlStyleStockPrices | undefined) ?? body ?? {});
	}
	return out;
}

export async function getProperties(context: ApiContext, articles: string[], itemIndex?: number): Promise<AlStyleProperties['elements']> {
	const out: AlStyleProperties['elements'] = [];
	for (const batch of batches(articles)) {
		out.push(...asList<AlStyleProperties['elements'][number]>(await get(context, ALSTYLE_PATHS.properties, { article: batch.join(',') }, itemIndex), 'elements'));
	}
	return out;
}

/** `/images` may answer 200 with `{ success: false, interval }` when called too fast: wait and ask again. */
export async function getImages(context: ApiContext, articles: string[], thumbs: boolean, itemIndex?: number): Promise<AlStyleImages> {
	const out: AlStyleImages = {};
	for (const batch of batches(articles)) {
		for (let attempt = 0; ; attempt++) {
			const body = await get<unknown>(context, ALSTYLE_PATHS.images, { article: batch.join(','), thumbs: thumbs ? 1 : 0 }, itemIndex);
			const record = (body ?? {}) as IDataObject;
			if (record.success === false && attempt < 3) {
				await clock.sleep(Math.min(60, Math.max(1, Number(record.interval) || 5)) * 1000);
				continue;
			}
			if (Array.isArray(body)) {
				for (const entry of body as IDataObject[]) out[String(entry.article)] = entry.images as string[];
			} else if (record.success !== false) Object.assign(out, (record.data as AlStyleImages | undefined) ?? record);
			break;
		}
	}
	return out;
}

export async function getCategories(context: ApiContext, itemIndex?: number): Promise<AlStyleCategory[]> {
	return asList<AlStyleCategory>(await get(context, ALSTYLE_PATHS.categories, {}, itemIndex), 'categories');
}

export async function getBrands(context: ApiContext, itemIndex?: number): Promise<AlStyleBrands['data']> {
	return asList<AlStyleBrands['data'][number]>(await get(context, ALSTYLE_PATHS.brands, {}, itemIndex), 'data');
}

import { createHash } from 'crypto';
import type { IDataObject, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { clock } from '../../shared/clock';
import { apiRequest, type ApiContext, type ServiceProfile } from '../../shared/http';
import { RateLimiter } from '../../shared/limiter';
import type {
	AlStyleBrands,
	AlStyleCategory,
	AlStyleElement,
	AlStyleImages,
	AlStylePage,
	AlStyleProperties,
	AlStyleStockPrices,
} from './types';
import { imagesByArticle } from '../helpers/normalise';
import { ALSTYLE_ADDITIONAL_FIELDS, ALSTYLE_ARTICLE_BATCH, ALSTYLE_PATHS } from './types';

const ALSTYLE_CREDENTIAL = 'alStyleApi';
const TIMEOUT_MS = 120_000;
/** Al-Style sends its whole catalogue in one quantity-price answer; give slow links time. */
const RETRIES = 4;
/**
 * Retries after "too fast" (403, or 429). With the queue in front, a 403 that persists is more
 * likely a refused token than a throttle, so it should fail in seconds, not minutes.
 */
const REFUSAL_RETRIES = 2;
/** The longest Retry-After the node waits out; a longer one waits this long and asks again. */
const MAX_RETRY_AFTER_MS = 120_000;
/** How often a `/images` throttle answer (`success: false`) is waited out before failing. */
const IMAGES_THROTTLE_RETRIES = 3;

/**
 * One queue per token for the whole n8n process: every call with the same token, from any node
 * and any execution, waits for its turn; a turn begins at least the minimum interval after the
 * previous call with that token got its answer, so the calls also arrive that far apart, whatever
 * the network does: the pack's one limiter (nodes/shared/limiter.ts), one call per interval.
 */
const turns = new RateLimiter();

/** Waits for the token's turn; the returned function ends the turn (call it when the answer is in). */
export async function takeTurn(key: string, intervalMs: number): Promise<() => void> {
	return await turns.acquire(key, { limit: 1, windowMs: intervalMs });
}

/** Forgets every queue (tests). */
export function resetQueues(): void {
	turns.reset();
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
		for (const key of ['message', 'error', 'name'])
			if (typeof record[key] === 'string') return record[key] as string;
	}
	return '';
}

const isUpstreamTimeout = (body: unknown) => /upstream request timeout/i.test(bodyText(body));

/**
 * The wait a throttled answer asks for: `Retry-After` (seconds or an HTTP date), or Yii2's
 * `X-Rate-Limit-Reset` (seconds), since `access-token` suggests a Yii2 backend
 * (docs/services/alstyle.md, "Rate limit"). Undefined when neither is there.
 */
function retryAfterMs(headers: IDataObject, now = Date.now()): number | undefined {
	const header = (name: string) => {
		const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === name);
		return entry === undefined ? undefined : String(entry[1]).trim();
	};
	for (const value of [header('retry-after'), header('x-rate-limit-reset')]) {
		if (!value) continue;
		const seconds = Number(value);
		const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - now;
		if (Number.isFinite(ms)) return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms));
	}
	return undefined;
}

/**
 * The names in an `additional_fields` value that no public client is seen sending: the likely
 * cause when Al-Style answers 500 (docs/services/alstyle.md, "Additional fields").
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
	// One profile per request, so this counts the refusals of one call.
	let refusals = 0;
	const redact = (text: string) =>
		(link.token ? text.split(link.token).join('***') : text)
			.replace(/access-token=[^&\s]*/gi, 'access-token=***')
			.slice(0, 300);
	return {
		service: 'Al-Style',
		credentialType: ALSTYLE_CREDENTIAL,
		timeoutMs: TIMEOUT_MS,
		retries: RETRIES,
		backoffMs: Math.max(link.intervalMs, 1000),
		headers: { Accept: 'application/json' },
		// The shared loop ends the turn when the attempt has its answer.
		beforeAttempt: async () => await takeTurn(link.queueKey, link.intervalMs),
		retryPolicy: (statusCode, body, _idempotent, headers) => {
			// 403 is Al-Style's "too fast"; 429 is what a Yii2 rate limiter sends. Wait what the answer
			// asks, or two intervals, then queue again; a few times only.
			if (statusCode === 403 || statusCode === 429) {
				if (refusals++ >= REFUSAL_RETRIES) return { retry: false };
				return { retry: true, delayMs: retryAfterMs(headers) ?? 2 * link.intervalMs };
			}
			// Asking again for a field Al-Style does not know only fails again.
			if (statusCode === 500 && unknownFields.length) return { retry: false };
			if (statusCode >= 500 || isUpstreamTimeout(body))
				return { retry: true, delayMs: link.intervalMs };
			return { retry: false };
		},
		describeFailure: (statusCode, body) => {
			const said = redact(bodyText(body).trim());
			if (statusCode === 403 || statusCode === 429) {
				return {
					message: `Al-Style refused the request (${statusCode}) ${REFUSAL_RETRIES + 1} times in a row`,
					description: `Al-Style answers ${statusCode} to calls less than about 5 s apart, and may answer 403 to a token it does not accept. Check the access token, and whether another program uses the same token; then the minimum interval in the credential.`,
				};
			}
			if (statusCode === 401) {
				return {
					message: 'Al-Style did not accept the access token (401)',
					description: 'Copy the token again from the dealer cabinet, section API.',
				};
			}
			if (statusCode === 500 && unknownFields.length) {
				const names = unknownFields.map((name) => `"${name}"`).join(', ');
				return {
					message: `Al-Style failed with 500 on Additional Fields ${names}: ${unknownFields.length > 1 ? 'names it may' : 'a name it may'} not know`,
					description: `Al-Style answers 500 to an unknown name in additional_fields. Check the spelling of ${names}, or remove ${unknownFields.length > 1 ? 'them' : 'it'} from Additional Fields; the names public clients use are ${ALSTYLE_ADDITIONAL_FIELDS.join(', ')}.`,
				};
			}
			if (statusCode === 500) {
				return {
					message: `Al-Style failed with 500${said ? `: ${said}` : ''}`,
					description:
						'Al-Style answers 500 to an unknown name in Additional Fields, and sometimes when overloaded.',
				};
			}
			return { message: `Al-Style answered ${statusCode}${said ? `: ${said}` : ''}` };
		},
	};
}

async function get<T>(
	context: ApiContext,
	path: string,
	qs: IDataObject,
	itemIndex?: number,
): Promise<T> {
	const link = await connection(context);
	const unknownFields = unknownAdditionalFields(qs.additional_fields);
	const response = await apiRequest<T>(context, profile(link, unknownFields), link.baseUrl, {
		method: 'GET',
		path,
		qs,
		itemIndex,
	});
	return response.body;
}

export interface ListFilters {
	/** Category IDs, sent comma-joined as they are (see `leafCategoryIds` for what to send). */
	categories?: string[];
	brand?: string;
	inStockOnly?: boolean;
	additionalFields?: string[];
}

function filterQuery(filters: ListFilters): IDataObject {
	const qs: IDataObject = {};
	if (filters.categories?.length) qs.category = filters.categories.join(',');
	if (filters.brand) qs.brand = filters.brand;
	// Sent either way: Al-Style's default is undocumented, and OM sends 0 (docs/services/alstyle.md).
	qs.exclude_missing = filters.inStockOnly ? 1 : 0;
	if (filters.additionalFields?.length) qs.additional_fields = filters.additionalFields.join(',');
	return qs;
}

export async function getProductPage(
	context: ApiContext,
	filters: ListFilters,
	limit: number,
	offset: number,
	itemIndex?: number,
): Promise<AlStylePage> {
	const page = await get<AlStylePage>(
		context,
		ALSTYLE_PATHS.elementsPagination,
		{ ...filterQuery(filters), limit, offset },
		itemIndex,
	);
	return {
		elements: Array.isArray(page?.elements) ? page.elements : [],
		pagination: page?.pagination ?? { totalCount: 0, totalPages: 0, currentPage: 0, limit, offset },
	};
}

export function batches<T>(list: T[], size = ALSTYLE_ARTICLE_BATCH): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
	return out;
}

/** The list in an answer: the body itself, under `key` or `data`, or one bare element (has `article`). */
function asList<T>(body: unknown, key: string): T[] {
	if (Array.isArray(body)) return body as T[];
	const record = (body ?? {}) as IDataObject;
	const inner = record[key] ?? record.data;
	if (Array.isArray(inner)) return inner as T[];
	// element-info may answer one article with the bare object (docs/services/alstyle.md).
	return record.article !== undefined ? [record as T] : [];
}

export async function getProductsByArticles(
	context: ApiContext,
	articles: string[],
	additionalFields: string[],
	itemIndex?: number,
): Promise<AlStyleElement[]> {
	const out: AlStyleElement[] = [];
	for (const batch of batches(articles)) {
		const qs: IDataObject = { article: batch.join(',') };
		if (additionalFields.length) qs.additional_fields = additionalFields.join(',');
		out.push(
			...asList<AlStyleElement>(
				await get(context, ALSTYLE_PATHS.elementInfo, qs, itemIndex),
				'elements',
			),
		);
	}
	return out;
}

export async function getStockAndPrices(
	context: ApiContext,
	articles: string[],
	filters: ListFilters,
	itemIndex?: number,
): Promise<AlStyleStockPrices> {
	const qs = filterQuery({ brand: filters.brand, inStockOnly: filters.inStockOnly });
	if (!articles.length) {
		const body = await get<IDataObject>(context, ALSTYLE_PATHS.quantityPrice, qs, itemIndex);
		return ((body?.data as AlStyleStockPrices | undefined) ?? body ?? {}) as AlStyleStockPrices;
	}
	const out: AlStyleStockPrices = {};
	for (const batch of batches(articles)) {
		const body = await get<IDataObject>(
			context,
			ALSTYLE_PATHS.quantityPrice,
			{ ...qs, article: batch.join(',') },
			itemIndex,
		);
		Object.assign(out, (body?.data as AlStyleStockPrices | undefined) ?? body ?? {});
	}
	return out;
}

export async function getProperties(
	context: ApiContext,
	articles: string[],
	itemIndex?: number,
): Promise<AlStyleProperties['elements']> {
	const out: AlStyleProperties['elements'] = [];
	for (const batch of batches(articles)) {
		out.push(
			...asList<AlStyleProperties['elements'][number]>(
				await get(context, ALSTYLE_PATHS.properties, { article: batch.join(',') }, itemIndex),
				'elements',
			),
		);
	}
	return out;
}

/**
 * `/images` may answer 200 with `{ success: false, interval }` when called too fast: wait the
 * interval and ask again, and fail if it keeps saying so, rather than return no images.
 */
export async function getImages(
	context: ApiContext,
	articles: string[],
	thumbs: boolean,
	itemIndex?: number,
): Promise<AlStyleImages> {
	const out: AlStyleImages = {};
	for (const batch of batches(articles)) {
		for (let attempt = 0; ; attempt++) {
			const body = await get<unknown>(
				context,
				ALSTYLE_PATHS.images,
				{ article: batch.join(','), thumbs: thumbs ? 1 : 0 },
				itemIndex,
			);
			const record = (body ?? {}) as IDataObject;
			if (record.success !== false) {
				Object.assign(out, imagesByArticle(body, batch));
				break;
			}
			if (attempt >= IMAGES_THROTTLE_RETRIES) {
				const message = `Al-Style /images kept answering success:false (${attempt + 1} times) for articles ${batch[0]}${batch.length > 1 ? ` to ${batch[batch.length - 1]}` : ''}`;
				throw new NodeApiError(
					context.getNode(),
					{ service: 'Al-Style', path: ALSTYLE_PATHS.images, message } as JsonObject,
					{
						message,
						description:
							'Al-Style answers success:false with an interval when /images is called too often. Run the node again later, or raise the minimum interval in the credential.',
						itemIndex,
					},
				);
			}
			await clock.sleep(Math.min(60, Math.max(1, Number(record.interval) || 5)) * 1000);
		}
	}
	return out;
}

export async function getCategories(
	context: ApiContext,
	itemIndex?: number,
): Promise<AlStyleCategory[]> {
	return asList<AlStyleCategory>(
		await get(context, ALSTYLE_PATHS.categories, {}, itemIndex),
		'categories',
	);
}

export async function getBrands(
	context: ApiContext,
	itemIndex?: number,
): Promise<AlStyleBrands['data']> {
	return asList<AlStyleBrands['data'][number]>(
		await get(context, ALSTYLE_PATHS.brands, {}, itemIndex),
		'data',
	);
}

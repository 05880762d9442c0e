/**
 * Caches of this n8n process, per account host: phone → contact id, catalog → SKU → element id,
 * and the account's kind of phone search. They only save look-ups; a stale id fails the one request
 * that uses it, not the run.
 */
const contactCache = new Map<string, Map<string, number>>();
const productCache = new Map<string, Map<string, number>>();
const catalogCache = new Map<string, number>();
/**
 * How the account's `query` matches a phone's digits: inside words, or only at word beginnings;
 * `unknown` once asked and not told (helpers/contacts.ts, `learnPhoneSearchKind`).
 */
export type PhoneSearchKind = 'substring' | 'wordStart' | 'unknown';

const phoneSearchKinds = new Map<string, PhoneSearchKind>();

function cacheFor<V>(caches: Map<string, Map<string, V>>, key: string): Map<string, V> {
	let cache = caches.get(key);
	if (!cache) {
		cache = new Map<string, V>();
		caches.set(key, cache);
	}
	return cache;
}

/** Phone → contact id, for the account at `host`. */
export function contactCacheFor(host: string): Map<string, number> {
	return cacheFor(contactCache, host);
}

/** SKU → product element id, for one catalog of the account at `host`. */
export function productCacheFor(host: string, catalogId: number): Map<string, number> {
	return cacheFor(productCache, `${host}#${catalogId}`);
}

/** The products catalog id of the account at `host`, once found. */
export function cachedCatalogId(host: string): number | undefined {
	return catalogCache.get(host);
}

export function cacheCatalogId(host: string, id: number): void {
	catalogCache.set(host, id);
}

/** The search kind of the account at `host`, once learned. */
export function phoneSearchKindOf(host: string): PhoneSearchKind | undefined {
	return phoneSearchKinds.get(host);
}

export function rememberPhoneSearchKind(host: string, kind: PhoneSearchKind): void {
	phoneSearchKinds.set(host, kind);
}

/** For tests and benchmarks: start with cold caches. */
export function clearSyncCaches(): void {
	contactCache.clear();
	productCache.clear();
	catalogCache.clear();
	phoneSearchKinds.clear();
}

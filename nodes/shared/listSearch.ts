import type { INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

interface ListSearchOptions<T> {
	/** The text the filter is looked for in, case-insensitively; the entry's name by default. */
	text?: (item: T) => string;
	/** A key the filter may also equal exactly, such as an id. */
	key?: (item: T) => string;
	/** Sort the results by this text (locale order); unsorted, they keep the list's order. */
	sortBy?: (item: T) => string;
}

/** The items whose text contains the filter, as a list search (resource locator) result. */
export function listSearchResult<T>(
	items: T[],
	filter: string | undefined,
	entry: (item: T) => INodeListSearchItems,
	options: ListSearchOptions<T> = {},
): INodeListSearchResult {
	const needle = filter?.trim().toLowerCase() ?? '';
	const found = items
		.map((item) => ({ item, entry: entry(item) }))
		.filter(
			({ item, entry }) =>
				(options.text ? options.text(item) : entry.name).toLowerCase().includes(needle) ||
				(options.key !== undefined && options.key(item) === needle),
		);
	const { sortBy } = options;
	if (sortBy) found.sort((a, b) => sortBy(a.item).localeCompare(sortBy(b.item)));
	return { results: found.map(({ entry }) => entry) };
}

/** The one list-search filter of the pack (nodes/shared/listSearch.ts). */
import { listSearchResult } from '../../../nodes/shared/listSearch';

const items = [
	{ id: 12, name: 'Beta', status: 'WORKING' },
	{ id: 7, name: 'alpha', status: 'STOPPED' },
	{ id: 3, name: 'Gamma', status: 'WORKING' },
];
const entry = (item: (typeof items)[number]) => ({
	name: `${item.name} (${item.status})`,
	value: String(item.id),
});

describe('listSearchResult', () => {
	it('keeps the list order and matches the label case-insensitively, the filter trimmed', () => {
		expect(
			listSearchResult(items, '  working ', entry).results.map((result) => result.value),
		).toEqual(['12', '3']);
		expect(listSearchResult(items, undefined, entry).results).toHaveLength(3);
	});

	it('looks in the given text only, and matches a key in full', () => {
		const byName = { text: (item: (typeof items)[number]) => item.name };
		expect(listSearchResult(items, 'working', entry, byName).results).toEqual([]);
		const byId = { key: (item: (typeof items)[number]) => String(item.id) };
		expect(listSearchResult(items, '7', entry, byId).results).toEqual([
			{ name: 'alpha (STOPPED)', value: '7' },
		]);
		expect(listSearchResult(items, '1', entry, byId).results).toEqual([]);
	});

	it('sorts by the given text in locale order', () => {
		const sorted = listSearchResult(items, '', entry, { sortBy: (item) => item.name });
		expect(sorted.results.map((result) => result.value)).toEqual(['7', '12', '3']);
	});
});

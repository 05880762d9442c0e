import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { getCategories as fetchCategories } from '../transport';
import { withTree } from '../helpers/normalise';

/**
 * Every category with its full path as the label ("Computers / Laptops"): the catalogue repeats
 * leaf names under different parents, so a bare name would be ambiguous. Sorted by path, so a
 * parent comes right before its children.
 */
export async function getCategories(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return withTree(await fetchCategories(this))
		.map((category) => ({ name: String(category.path), value: Number(category.id) }))
		.sort((a, b) => a.name.localeCompare(b.name));
}

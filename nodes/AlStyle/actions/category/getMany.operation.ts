import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { getCategories } from '../../transport';
import { withTree } from '../../helpers/normalise';

export const description = updateDisplayOptions(
	{ show: { resource: ['category'], operation: ['getMany'] } },
	[
		{
			displayName:
				'Each category comes with parentId and path (e.g. "Computers / Laptops"), computed from its nested-set bounds',
			name: 'treeNotice',
			type: 'notice',
			default: '',
		},
	],
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	return withTree(await getCategories(this, itemIndex));
}

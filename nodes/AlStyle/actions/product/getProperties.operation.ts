import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { getProperties } from '../../transport';
import { articlesField, readArticles } from '../common.descriptions';

export const description = updateDisplayOptions(
	{ show: { resource: ['product'], operation: ['getProperties'] } },
	[articlesField],
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const articles = readArticles(this, itemIndex);
	return (await getProperties(this, articles, itemIndex)).map((entry) => ({
		article: entry.article,
		properties: (Array.isArray(entry.properties) ? entry.properties : []).map((property) => ({
			...property,
		})),
	}));
}

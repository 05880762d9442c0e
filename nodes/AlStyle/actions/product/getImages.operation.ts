import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { getImages } from '../../transport';
import { normaliseImages } from '../../helpers/normalise';
import { articlesField, readArticles } from '../common.descriptions';

const properties: INodeProperties[] = [
	articlesField,
	{
		displayName: 'Thumbnails',
		name: 'thumbs',
		type: 'boolean',
		default: false,
		description: 'Whether to get thumbnail URLs instead of full-size images',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['product'], operation: ['getImages'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const articles = readArticles(this, itemIndex);
	const images = await getImages(
		this,
		articles,
		this.getNodeParameter('thumbs', itemIndex, false) as boolean,
		itemIndex,
	);
	return articles.map((article) => ({
		article: Number(article) || article,
		images: normaliseImages(images[article]),
	}));
}

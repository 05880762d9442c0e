import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { getProductsByArticles } from '../../transport';
import { normaliseElement } from '../../transport/normalise';
import { additionalFieldsField, articlesField, readArticles } from '../common.descriptions';

export const description = updateDisplayOptions({ show: { resource: ['product'], operation: ['getByArticles'] } }, [
	articlesField,
	additionalFieldsField,
]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const articles = readArticles(this, itemIndex);
	const additionalFields = this.getNodeParameter('additionalFields', itemIndex, []) as string[];
	return (await getProductsByArticles(this, articles, additionalFields, itemIndex)).map(normaliseElement);
}

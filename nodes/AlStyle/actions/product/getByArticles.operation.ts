import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { getProductsByArticles } from '../../transport';
import { normaliseElement } from '../../helpers/normalise';
import {
	additionalFieldsField,
	articlesField,
	otherAdditionalFieldsField,
	placeholderPriceField,
	readAdditionalFields,
	readArticles,
	readPlaceholderPrice,
} from '../common.descriptions';

export const description = updateDisplayOptions(
	{ show: { resource: ['product'], operation: ['getByArticles'] } },
	[articlesField, additionalFieldsField, otherAdditionalFieldsField, placeholderPriceField],
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const articles = readArticles(this, itemIndex);
	const additionalFields = readAdditionalFields(this, itemIndex);
	const placeholderFrom = readPlaceholderPrice(this, itemIndex);
	return (await getProductsByArticles(this, articles, additionalFields, itemIndex)).map((element) =>
		normaliseElement(element, placeholderFrom),
	);
}

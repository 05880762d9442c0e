import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { ALSTYLE_ADDITIONAL_FIELDS } from '../transport/types';

const FIELD_NAMES: Record<(typeof ALSTYLE_ADDITIONAL_FIELDS)[number], string> = {
	brand: 'Brand',
	description: 'Description',
	images: 'Images',
	barcode: 'Barcode',
	warranty: 'Warranty',
	weight: 'Weight',
	url: 'URL',
	detailText: 'Detail Text',
	properties: 'Properties',
	rrp: 'Recommended Retail Price',
	discountPrice: 'Discount Price',
	discount: 'Discount',
};

export const additionalFieldsField: INodeProperties = {
	displayName: 'Additional Fields',
	name: 'additionalFields',
	type: 'multiOptions',
	options: ALSTYLE_ADDITIONAL_FIELDS.map((value) => ({ name: FIELD_NAMES[value], value })),
	default: ['brand', 'images'],
	description: 'Extra fields Al-Style adds to each product. Only these names are offered: Al-Style fails with 500 on any other.',
};

export const articlesField: INodeProperties = {
	displayName: 'Articles',
	name: 'articles',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. 20908, 20909',
	description: 'Al-Style article numbers, separated by commas or spaces; they are requested in batches of 50',
};

/** Article numbers from a comma-, semicolon- or space-separated list (or an array from an expression). */
export function readArticles(context: IExecuteFunctions, itemIndex: number, required = true): string[] {
	const raw = context.getNodeParameter('articles', itemIndex, '') as unknown;
	const list = (Array.isArray(raw) ? raw.map(String) : String(raw ?? '').split(/[\s,;]+/)).map((a) => a.trim()).filter(Boolean);
	const unique = [...new Set(list)];
	if (required && !unique.length) {
		throw new NodeOperationError(context.getNode(), 'Articles is empty', { itemIndex, description: 'Give at least one Al-Style article number, e.g. 20908.' });
	}
	const bad = unique.find((article) => !/^[0-9A-Za-z_-]{1,32}$/.test(article));
	if (bad) throw new NodeOperationError(context.getNode(), `Article "${bad}" is not an Al-Style article number`, { itemIndex });
	return unique;
}

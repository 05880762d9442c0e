import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { ALSTYLE_ADDITIONAL_FIELDS, ALSTYLE_PLACEHOLDER_PRICE } from '../transport/types';

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
	defectDescription: 'Defect Description',
};

export const additionalFieldsField: INodeProperties = {
	displayName: 'Additional Fields',
	name: 'additionalFields',
	type: 'multiOptions',
	options: ALSTYLE_ADDITIONAL_FIELDS.map((value) => ({ name: FIELD_NAMES[value], value })),
	default: ['brand', 'images'],
	description:
		'Extra fields Al-Style adds to each product: the names public clients use. Others go in Other Additional Fields.',
};

/**
 * Al-Style publishes no list of `additional_fields` names, and clients use names beyond ours
 * (docs/services/alstyle.md, "Additional fields"), so any name may be typed in.
 */
export const otherAdditionalFieldsField: INodeProperties = {
	displayName: 'Other Additional Fields',
	name: 'otherAdditionalFields',
	type: 'string',
	default: '',
	placeholder: 'e.g. quantityMarkdown, priceMarkdown',
	description:
		'More additional_fields names, separated by commas. Al-Style answers 500 to a name it does not know; the error then names it.',
};

export const placeholderPriceField: INodeProperties = {
	displayName: 'Placeholder Price From',
	name: 'placeholderPrice',
	type: 'number',
	typeOptions: { minValue: 0 },
	default: ALSTYLE_PLACEHOLDER_PRICE,
	description:
		'Al-Style prices withdrawn items and spare parts at 9,999,999. A price at or above this value is returned as null (no price), like a price on request (1). 0 keeps every price.',
};

/** The chosen and the typed-in additional fields, each once. */
export function readAdditionalFields(context: IExecuteFunctions, itemIndex: number): string[] {
	const chosen = context.getNodeParameter('additionalFields', itemIndex, []) as string[];
	const typed = String(context.getNodeParameter('otherAdditionalFields', itemIndex, '') ?? '')
		.split(',')
		.map((name) => name.trim())
		.filter(Boolean);
	const bad = typed.find((name) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name));
	if (bad) {
		throw new NodeOperationError(
			context.getNode(),
			`Other Additional Fields: "${bad}" is not a field name`,
			{
				itemIndex,
				description: 'Give field names separated by commas, e.g. quantityMarkdown, priceMarkdown.',
			},
		);
	}
	return [...new Set([...chosen, ...typed])];
}

export function readPlaceholderPrice(context: IExecuteFunctions, itemIndex: number): number {
	const value = Number(
		context.getNodeParameter('placeholderPrice', itemIndex, ALSTYLE_PLACEHOLDER_PRICE),
	);
	if (!Number.isFinite(value) || value < 0) {
		throw new NodeOperationError(context.getNode(), 'Placeholder Price From must be 0 or more', {
			itemIndex,
		});
	}
	return value;
}

export const articlesField: INodeProperties = {
	displayName: 'Articles',
	name: 'articles',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. 20908, 20909',
	description:
		'Al-Style article numbers, separated by commas or spaces; they are requested in batches of 50',
};

/** Article numbers from a comma-, semicolon- or space-separated list (or an array from an expression). */
export function readArticles(
	context: IExecuteFunctions,
	itemIndex: number,
	required = true,
): string[] {
	const raw = context.getNodeParameter('articles', itemIndex, '') as unknown;
	const list = (Array.isArray(raw) ? raw.map(String) : String(raw ?? '').split(/[\s,;]+/))
		.map((a) => a.trim())
		.filter(Boolean);
	const unique = [...new Set(list)];
	if (required && !unique.length) {
		throw new NodeOperationError(context.getNode(), 'Articles is empty', {
			itemIndex,
			description: 'Give at least one Al-Style article number, e.g. 20908.',
		});
	}
	const bad = unique.find((article) => !/^[0-9A-Za-z_-]{1,32}$/.test(article));
	if (bad)
		throw new NodeOperationError(
			context.getNode(),
			`Article "${bad}" is not an Al-Style article number`,
			{ itemIndex },
		);
	return unique;
}

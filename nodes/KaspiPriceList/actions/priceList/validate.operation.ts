import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { asNodeError } from '../../../shared/execute';
import { KASPI_SCHEMA } from '../../generated/kaspiSchema';
import type { XmlProblem } from '../../xml/validator';
import { validateXml } from '../../xml/validator';

const properties: INodeProperties[] = [
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		description: 'Binary field holding the XML price list',
	},
	{
		displayName:
			'Valid price lists leave through the first output, invalid ones through the second, so an invalid build never replaces the published one',
		name: 'outputsNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Maximum Errors Listed',
				name: 'maxErrors',
				type: 'number',
				typeOptions: { minValue: 1, numberPrecision: 0 },
				default: 50,
				description: 'Validation goes on to the end; only this many errors are put in the output',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['priceList'], operation: ['validate'] } },
	properties,
);

/**
 * Decodes UTF-8, refusing malformed bytes the way libxml2 does (Buffer would silently put U+FFFD in
 * their place). Only a document that already contains U+FFFD pays for the re-encoding check.
 */
export function decodeUtf8(bytes: Buffer): string | undefined {
	const text = bytes.toString('utf8');
	if (text.includes('\uFFFD') && !Buffer.from(text, 'utf8').equals(bytes)) return undefined;
	return text;
}

/** Rules XSD 1.0 cannot say (schemas/kaspishopping.xsd names them); reported as warnings, never as schema errors. */
export function businessWarnings(xml: string, limit: number): XmlProblem[] {
	const warnings: XmlProblem[] = [];
	const tag = /<availability\b[^>]*>/g;
	let line = 1;
	let at = 0;
	for (let match = tag.exec(xml); match && warnings.length < limit; match = tag.exec(xml)) {
		const text = match[0];
		const available = /\savailable\s*=\s*["']([^"']*)/.exec(text)?.[1];
		const preOrder = /\spreOrder\s*=/.test(text);
		const stock = /\sstockCount\s*=\s*["']\s*0*\s*["']/.test(text);
		let message: string | undefined;
		if (available === 'no' && preOrder)
			message = 'preOrder is given on an availability with available="no"';
		else if (available === 'yes' && stock) message = 'available="yes" with stockCount="0"';
		if (!message) continue;
		for (let i = xml.indexOf('\n', at); i >= 0 && i < match.index; i = xml.indexOf('\n', i + 1))
			line++;
		at = match.index;
		warnings.push({ line, column: match.index - xml.lastIndexOf('\n', match.index - 1), message });
	}
	return warnings;
}

/** Validate reads all items and answers on a Valid and an Invalid output. The router hands it the whole input. */
export const batch = true;

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const valid: INodeExecutionData[] = [];
	const invalid: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const field = this.getNodeParameter('binaryPropertyName', itemIndex) as string;
			const maxErrors = Number(this.getNodeParameter('options.maxErrors', itemIndex, 50));
			const meta = this.helpers.assertBinaryData(itemIndex, field);
			const bytes = await this.helpers.getBinaryDataBuffer(itemIndex, field);
			const xml = decodeUtf8(bytes);
			const result = xml
				? validateXml(xml, KASPI_SCHEMA, maxErrors)
				: {
						valid: false,
						wellFormed: false,
						errorCount: 1,
						errors: [{ line: 1, column: 1, message: 'The file is not valid UTF-8' }],
					};
			const json = {
				valid: result.valid,
				wellFormed: result.wellFormed,
				errorCount: result.errorCount,
				errors: result.errors.map((error) => ({ ...error })),
				warnings:
					xml && result.wellFormed ? businessWarnings(xml, maxErrors).map((w) => ({ ...w })) : [],
				fileName: meta.fileName ?? null,
				bytes: bytes.length,
			};
			(result.valid ? valid : invalid).push({
				json,
				binary: items[itemIndex].binary,
				pairedItem: { item: itemIndex },
			});
		} catch (error) {
			const wrapped = asNodeError(this, error, itemIndex);
			if (this.continueOnFail()) {
				invalid.push({
					json: { valid: false, error: wrapped.message },
					pairedItem: { item: itemIndex },
				});
				continue;
			}
			throw wrapped;
		}
	}
	return [valid, invalid];
}

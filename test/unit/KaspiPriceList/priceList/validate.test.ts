/**
 * The Kaspi Price List node's Validate, through a fake n8n context: valid and invalid lists to
 * their outputs, with errors on their lines.
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { runPriceList, threeOffers } from '../../../helpers/pricelist';

describe('Kaspi Price List node: Validate', () => {
	const validateParameters = {
		resource: 'priceList',
		operation: 'validate',
		binaryPropertyName: 'data',
		options: {},
	};
	const fileItem = (xml: string): INodeExecutionData => ({
		json: {},
		binary: {
			data: {
				data: Buffer.from(xml, 'utf8').toString('base64'),
				mimeType: 'application/xml',
				fileName: 'feed.xml',
			},
		},
	});

	it('sends a valid list to the first output and an invalid one, with its errors, to the second', async () => {
		const good = threeOffers().join('\n');
		const lines = threeOffers();
		lines[12] = '    <offer>';
		const [valid, invalid] = await runPriceList(validateParameters, [
			fileItem(good),
			fileItem(lines.join('\n')),
		]);
		expect(valid).toHaveLength(1);
		expect(valid[0].json).toMatchObject({
			valid: true,
			errors: [],
			fileName: 'feed.xml',
			bytes: Buffer.byteLength(good),
		});
		expect(valid[0].binary?.data).toBeDefined();
		expect(valid[0].pairedItem).toEqual({ item: 0 });
		expect(invalid).toHaveLength(1);
		expect(invalid[0].json).toMatchObject({
			valid: false,
			wellFormed: true,
			errorCount: 1,
			errors: [
				{
					line: 13,
					column: 5,
					message: "Element 'offer': The attribute 'sku' is required but missing.",
				},
			],
		});
		expect(invalid[0].pairedItem).toEqual({ item: 1 });
	});

	it('reports bytes that are not UTF-8', async () => {
		const item: INodeExecutionData = {
			json: {},
			binary: {
				data: { data: Buffer.from([0x3c, 0xff]).toString('base64'), mimeType: 'application/xml' },
			},
		};
		const [, invalid] = await runPriceList(validateParameters, [item]);
		expect(invalid[0].json.errors).toEqual([
			{ line: 1, column: 1, message: 'The file is not valid UTF-8' },
		]);
	});

	it('fails on a missing binary field unless continueOnFail', async () => {
		await expect(runPriceList(validateParameters, [{ json: {} }])).rejects.toThrow(
			'No binary data property "data"',
		);
		const [, invalid] = await runPriceList(validateParameters, [{ json: {} }], true);
		expect(invalid[0]).toMatchObject({
			json: { valid: false, error: 'No binary data property "data"' },
			pairedItem: { item: 0 },
		});
	});
});

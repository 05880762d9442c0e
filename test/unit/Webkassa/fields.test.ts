/** The Webkassa receipt fields: the per-position VAT dropdown offers every rate the pack supports. */
import type { INodeProperties, INodePropertyCollection, INodePropertyOptions } from 'n8n-workflow';

import { receiptProperties } from '../../../nodes/Webkassa/actions/receipt/fields';

function optionValues(property: INodeProperties | undefined): string[] {
	return ((property?.options ?? []) as INodePropertyOptions[]).map((option) =>
		String(option.value),
	);
}

describe('Webkassa receipt fields', () => {
	it.each(['sale', 'return'] as const)(
		'%s: each position’s VAT Rate offers the receipt rate and every supported rate',
		(kind) => {
			const properties = receiptProperties(kind);
			const positions = properties.find((property) => property.name === 'positions');
			const position = (positions?.options as INodePropertyCollection[] | undefined)?.find(
				(option) => option.name === 'position',
			);
			const vatRate = position?.values.find((value) => value.name === 'vatRate');
			expect(vatRate?.type).toBe('options');
			expect(vatRate?.default).toBe('receipt');
			// docs/services/webkassa.md, "VAT": no VAT, 5 %, 10 %, 12 % (before 2026), 16 %.
			expect(optionValues(vatRate)).toEqual(['receipt', 'none', '5', '10', '12', '16']);
			const receiptLevel = properties.find((property) => property.name === 'vatRate');
			expect(optionValues(vatRate).slice(1)).toEqual(optionValues(receiptLevel));
		},
	);

	it('never names $JSON, which n8n does not have', () => {
		expect(JSON.stringify(receiptProperties('return'))).not.toContain('$JSON');
	});
});

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { fieldValues, idOf } from '../../helpers/fields';
import { amoGetPage } from '../../transport';
import type { AmoLead } from '../../transport/types';
import { orderCodeFieldRLC } from '../common.descriptions';
import { checkOrderCodeField } from '../../helpers/customFields';

const properties: INodeProperties[] = [
	{
		displayName: 'Order Code',
		name: 'orderCode',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 512345678',
		description: 'The Kaspi order code to look for',
	},
	orderCodeFieldRLC,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['deal'], operation: ['searchByCode'] } },
	properties,
);

/** Deals whose order-code field is exactly `code`: `query` is full-text, so hits are re-checked. */
async function findDealsByCode(
	context: IExecuteFunctions,
	code: string,
	fieldId: number,
	itemIndex?: number,
): Promise<AmoLead[]> {
	const hits = await amoGetPage<AmoLead>(
		context,
		'/api/v4/leads',
		'leads',
		{ query: code, limit: 50 },
		{ itemIndex },
	);
	return hits.filter((lead) =>
		fieldValues(lead.custom_fields_values, { id: fieldId }).includes(code),
	);
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const code = String(this.getNodeParameter('orderCode', itemIndex)).trim();
	const fieldId = idOf(this.getNodeParameter('orderCodeField', itemIndex));
	if (!code) throw new NodeOperationError(this.getNode(), 'Order Code is empty', { itemIndex });
	if (!fieldId) {
		throw new NodeOperationError(this.getNode(), 'Order Code Field must be a deal custom field', {
			itemIndex,
		});
	}
	await checkOrderCodeField(this, fieldId, itemIndex);
	const deals = await findDealsByCode(this, code, fieldId, itemIndex);
	return deals.length
		? deals.map((deal) => ({ found: true, ...deal }) as IDataObject)
		: [{ found: false, orderCode: code }];
}

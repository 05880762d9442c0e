import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { amoRequest } from '../../transport';
import { dealBody, dealFieldOptions, dealIdField, requiredId } from '../common.descriptions';
import { typeCustomFields } from '../../helpers/customFields';

const properties: INodeProperties[] = [
	dealIdField,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: dealFieldOptions.filter((field) => field.name !== 'contactId'),
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['deal'], operation: ['update'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const dealId = requiredId(this, 'dealId', 'Deal ID', itemIndex);
	const body = dealBody(this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject);
	if (Object.keys(body).length === 0) {
		throw new NodeOperationError(this.getNode(), 'Update Fields is empty: add a field to change', {
			itemIndex,
		});
	}
	await typeCustomFields(this, body, itemIndex);
	return (
		(await amoRequest<IDataObject>(
			this,
			{ method: 'PATCH', path: `/api/v4/leads/${dealId}`, body, idempotent: true },
			{ itemIndex },
		)) ?? { id: dealId }
	);
}

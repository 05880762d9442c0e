import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { amoRequest } from '../../transport';
import type { AmoList } from '../../transport/types';
import { dealIdField, requiredId } from '../common.descriptions';

const properties: INodeProperties[] = [
	dealIdField,
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['note'], operation: ['add'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const dealId = requiredId(this, 'dealId', 'Deal ID', itemIndex);
	const text = String(this.getNodeParameter('text', itemIndex)).trim();
	if (!text) throw new NodeOperationError(this.getNode(), 'Text is empty', { itemIndex });
	const response = await amoRequest<AmoList<'notes', IDataObject>>(
		this,
		{
			method: 'POST',
			path: `/api/v4/leads/${dealId}/notes`,
			body: [{ note_type: 'common', params: { text } }],
		},
		{ itemIndex },
	);
	return response?._embedded?.notes?.[0] ?? { dealId };
}

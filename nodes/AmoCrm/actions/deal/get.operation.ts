import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { amoRequest } from '../../transport';
import { dealIdField, requiredId } from '../common.descriptions';

const properties: INodeProperties[] = [
	dealIdField,
	{
		displayName: 'Include Contacts and Products',
		name: 'withLinks',
		type: 'boolean',
		default: false,
		description:
			'Whether to add the linked contacts and catalog elements (with=contacts,catalog_elements)',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['deal'], operation: ['get'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const dealId = requiredId(this, 'dealId', 'Deal ID', itemIndex);
	const withLinks = this.getNodeParameter('withLinks', itemIndex, false) as boolean;
	const deal = await amoRequest<IDataObject>(
		this,
		{
			method: 'GET',
			path: `/api/v4/leads/${dealId}`,
			qs: withLinks ? { with: 'contacts,catalog_elements' } : undefined,
		},
		{ itemIndex },
	);
	if (!deal) {
		throw new NodeOperationError(this.getNode(), `No amoCRM deal with ID ${dealId}`, { itemIndex });
	}
	return deal;
}

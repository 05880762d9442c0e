import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { idOf } from '../../helpers/fields';
import { amoRequest } from '../../transport';
import type { AmoList } from '../../transport/types';
import { dealBody, dealFieldOptions } from '../common.descriptions';
import { typeCustomFields } from '../../helpers/customFields';

const properties: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Kaspi order 512345678',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: dealFieldOptions.filter((field) => field.name !== 'name'),
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['deal'], operation: ['create'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const fields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const body = dealBody({ ...fields, name: this.getNodeParameter('name', itemIndex) });
	await typeCustomFields(this, body, itemIndex);
	const contactId = idOf(fields.contactId);
	if (contactId) body._embedded = { contacts: [{ id: contactId, is_main: true }] };
	const response = await amoRequest<AmoList<'leads', IDataObject>>(
		this,
		{ method: 'POST', path: '/api/v4/leads', body: [body] },
		{ itemIndex },
	);
	return response?._embedded?.leads?.[0] ?? {};
}

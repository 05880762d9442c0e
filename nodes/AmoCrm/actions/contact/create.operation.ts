import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { createContact } from '../../helpers/contacts';
import { newContactFields, phoneField, readNewContact, readPhone } from './common';

export const description = updateDisplayOptions(
	{ show: { resource: ['contact'], operation: ['create'] } },
	[phoneField, ...newContactFields],
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const contact = readNewContact(this, itemIndex, readPhone(this, itemIndex));
	const id = await createContact(this, contact, { itemIndex });
	return { id, created: true };
}

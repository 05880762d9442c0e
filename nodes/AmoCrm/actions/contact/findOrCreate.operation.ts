import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { createContact, findContactsByPhone } from '../../helpers/contacts';
import { newContactFields, phoneField, readNewContact, readPhone } from './common';

export const description = updateDisplayOptions(
	{ show: { resource: ['contact'], operation: ['findOrCreate'] } },
	[phoneField, ...newContactFields],
);

/** The most recently updated contact with this phone, or a new one. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const digits = readPhone(this, itemIndex);
	const [existing] = await findContactsByPhone(this, digits, { itemIndex });
	if (existing) return { ...existing, created: false } as IDataObject;
	const id = await createContact(this, readNewContact(this, itemIndex, digits), { itemIndex });
	return { id, created: true };
}

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { maskPhone } from '../../../shared/phone';
import { findContactsByPhone } from '../../helpers/contacts';
import { phoneField, readPhone } from './common';

export const description = updateDisplayOptions(
	{ show: { resource: ['contact'], operation: ['findByPhone'] } },
	[phoneField] as INodeProperties[],
);

/** Every contact whose PHONE is this number, newest first; `{found: false}` when none. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const digits = readPhone(this, itemIndex);
	const contacts = await findContactsByPhone(this, digits, { itemIndex });
	if (contacts.length === 0) return [{ found: false, phone: maskPhone(digits) }];
	return contacts.map((contact) => ({ found: true, ...contact }) as IDataObject);
}

import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { phoneDigits, type NewContact } from '../../helpers/contacts';
import { idOf } from '../../helpers/fields';
import { responsibleUserRLC } from '../common.descriptions';

export const phoneField: INodeProperties = {
	displayName: 'Phone Number',
	name: 'phone',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. +7 701 123 45 67',
	description:
		'Any usual format (Kazakhstan by default): 8 701 123 45 67, +7 (701) 123-45-67 and 7011234567 are the same number',
};

export const newContactFields: INodeProperties[] = [
	{ displayName: 'Name', name: 'name', type: 'string', default: '', required: true },
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{ displayName: 'First Name', name: 'firstName', type: 'string', default: '' },
			{ displayName: 'Last Name', name: 'lastName', type: 'string', default: '' },
			{
				displayName: 'Email',
				name: 'email',
				type: 'string',
				placeholder: 'name@email.com',
				default: '',
			},
			responsibleUserRLC,
		],
	},
];

export function readPhone(context: IExecuteFunctions, itemIndex: number): string {
	const digits = phoneDigits(context.getNodeParameter('phone', itemIndex));
	if (!digits) {
		throw new NodeOperationError(context.getNode(), 'Phone Number is not a usable phone number', {
			itemIndex,
			description: 'Use a full number such as +7 701 123 45 67; masked numbers cannot be matched.',
		});
	}
	return digits;
}

export function readNewContact(
	context: IExecuteFunctions,
	itemIndex: number,
	phone: string,
): NewContact {
	const extra = context.getNodeParameter('additionalFields', itemIndex, {}) as Record<
		string,
		unknown
	>;
	const name = String(context.getNodeParameter('name', itemIndex, '')).trim();
	if (!name) throw new NodeOperationError(context.getNode(), 'Name is empty', { itemIndex });
	return {
		name,
		phone,
		firstName: (extra.firstName as string) || undefined,
		lastName: (extra.lastName as string) || undefined,
		email: (extra.email as string) || undefined,
		responsibleUserId: idOf(extra.responsibleUser),
	};
}

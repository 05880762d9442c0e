import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { maskPhone, normalisePhone, type PhoneRejection } from '../../shared/phone';
import { sessionName } from '../helpers/session';
import { DEFAULT_SESSION } from '../transport';

/** Shared by the WAHA node and the WAHA Trigger. */
export const sessionRLC: INodeProperties = {
	displayName: 'Session',
	name: 'session',
	type: 'resourceLocator',
	default: { mode: 'list', value: DEFAULT_SESSION },
	required: true,
	description: 'The WAHA session (one linked WhatsApp account) to use',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchSessions', searchable: true },
		},
		{
			displayName: 'By Name',
			name: 'name',
			type: 'string',
			placeholder: 'e.g. default',
		},
	],
};

export const recipientField: INodeProperties = {
	displayName: 'Phone Number or Chat ID',
	name: 'recipient',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. +7 701 123 45 67 or 77011234567@c.us',
	description:
		'Who gets the message: a phone number in any usual format (Kazakhstan by default, so 8 701 123 45 67, +7 (701) 123-45-67 and 7011234567 all work) or a WhatsApp chat ID such as 77011234567@c.us or a group’s …@g.us',
};

/** The "Options" collection every operation with options shows. */
export function optionsCollection(options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options,
	};
}

export function readSession(context: IExecuteFunctions, itemIndex: number): string {
	return sessionName(context.getNodeParameter('session', itemIndex));
}

const REJECTION_HINTS: Record<PhoneRejection, { problem: string; hint: string }> = {
	empty: {
		problem: 'is empty',
		hint: 'Map the buyer’s phone number into the field, e.g. {{ $json.customer.cellPhone }}.',
	},
	masked: {
		problem: 'is masked',
		hint: 'The source hides this number (Kaspi shows +0(000)-000-00-00 for some orders), so there is nobody to send to. Filter such items out before this node.',
	},
	invalid: {
		problem: 'is not a valid phone number',
		hint: 'Use a Kazakh number such as 8 701 123 45 67 or +7 701 123 45 67, a full international number starting with +, or a chat ID such as 77011234567@c.us.',
	},
};

interface Recipient {
	chatId: string;
	/** E.164 digits without the plus, when the recipient is a person’s phone number. */
	digits?: string;
}

/**
 * A value containing `@` is a chat id and is used as is; anything else is a phone number in the
 * Kazakh default region. The value is never echoed in full: a number is shown masked.
 */
export function resolveRecipient(
	context: IExecuteFunctions,
	itemIndex: number,
	raw: unknown,
	fieldName: string,
	options: { allowChatIds: boolean } = { allowChatIds: true },
): Recipient {
	const value = String(raw ?? '').trim();
	const personChat = /^(\d+)@(?:c\.us|s\.whatsapp\.net)$/.exec(value);
	if (value.includes('@') && !personChat) {
		if (options.allowChatIds) return { chatId: value };
		throw new NodeOperationError(context.getNode(), `${fieldName} is not a phone number`, {
			itemIndex,
			description: 'Groups, channels and @lid chat IDs cannot be checked; use a phone number.',
		});
	}
	if (personChat && options.allowChatIds) {
		return { chatId: `${personChat[1]}@c.us`, digits: personChat[1] };
	}
	// A person's chat id still has to be a real number before WAHA is asked about it.
	const phone = normalisePhone(personChat ? `+${personChat[1]}` : value);
	if (phone.ok) return { chatId: phone.chatId, digits: phone.digits };
	const { problem, hint } = REJECTION_HINTS[phone.reason];
	const shown = phone.reason === 'invalid' ? maskPhone(value) : '';
	throw new NodeOperationError(context.getNode(), `${fieldName} ${problem}`, {
		itemIndex,
		description: shown ? `Got "${shown}". ${hint}` : hint,
	});
}

/** The session and the chat of an operation that has the Phone Number or Chat ID field. */
export function readTarget(
	context: IExecuteFunctions,
	itemIndex: number,
): { session: string; chatId: string } {
	const recipient = context.getNodeParameter(recipientField.name, itemIndex);
	const { chatId } = resolveRecipient(context, itemIndex, recipient, recipientField.displayName);
	return { session: readSession(context, itemIndex), chatId };
}

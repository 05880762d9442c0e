import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { maskPhone } from '../../../shared/phone';
import { recordKey, isKeyRecorded } from '../../helpers/sendOnce';
import { checkNumberExists } from '../../transport';
import {
	optionsCollection,
	readSession,
	resolveRecipient,
	sessionRLC,
} from '../common.descriptions';

const properties: INodeProperties[] = [
	sessionRLC,
	{
		displayName: 'Phone Number',
		name: 'phone',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. +7 701 123 45 67',
		description:
			'A phone number in any usual format (Kazakhstan by default: 8 701 123 45 67, +7 (701) 123-45-67 and 7011234567 all work), or a 77011234567@c.us chat ID',
	},
	optionsCollection([
		{
			displayName: 'Skip If Already Sent (Key)',
			name: 'sendOnceKey',
			type: 'string',
			default: '',
			placeholder: 'e.g. kaspi-order-{{ $json.code }}',
			description:
				'The Send Once Key of the message this check prepares. When a WAHA node of this workflow already sent that key, WAHA is not asked and the output is alreadySent with exists null. When the number is not on WhatsApp, the key is recorded as done, so a later run does not check it again.',
		},
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['contact'], operation: ['checkExists'] } },
	properties,
);

/**
 * With a key, this is the cheap first step of a Send Once flow: a key that is already recorded
 * skips the WAHA call, and "not on WhatsApp" is final, so recording the key then keeps a catch-up
 * run (the trigger re-emitting old orders) from checking the same number again. A number that does
 * exist leaves the key free for the send that follows.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const session = readSession(this, itemIndex);
	const { digits = '' } = resolveRecipient(
		this,
		itemIndex,
		this.getNodeParameter('phone', itemIndex),
		'Phone Number',
		{ allowChatIds: false },
	);
	const phone = maskPhone(digits);
	const options = this.getNodeParameter('options', itemIndex, {}) as { sendOnceKey?: string };
	const key = options.sendOnceKey?.trim() || undefined;
	if (key && (await isKeyRecorded(this, key))) {
		return { alreadySent: true, exists: null, chatId: null, phone, key };
	}
	const result = await checkNumberExists(this, session, digits, { itemIndex });
	const exists = result.numberExists === true;
	if (key && !exists) await recordKey(this, key);
	return {
		exists,
		chatId: exists ? (result.chatId ?? `${digits}@c.us`) : null,
		phone,
		...(key ? { alreadySent: false, key } : {}),
	};
}

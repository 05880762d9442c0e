import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { asNodeError } from '../../shared/execute';
import { extractMessageId, getChatMessages, isHttpStatus, setTyping } from '../transport';
import type { WahaSentMessage } from '../transport/types';
import { pacing, randomDelayMs, typingDurationMs } from './pacing';
import { claimKey, releaseKey } from './sendOnce';

/**
 * Why the node guards sends itself. Upstream guards record too early to be exactly-once: n8n saves
 * a polling trigger's static data before the execution it starts has run, and Remove Duplicates
 * records its keys before anything downstream happens. A send that then fails is never retried,
 * because the order is already marked as seen. Here the key is claimed right before the send and
 * released when the send fails, so a failure leaves the order for the next run; and Skip If Chat
 * Contains catches the one case a claim cannot: a message WhatsApp got although WAHA's answer was
 * lost (a timeout), which would otherwise be sent again after the claim is released.
 */

export interface SendOptions {
	sendOnceKey?: string;
	skipIfChatContains?: string;
	simulateTyping?: boolean;
	randomDelay?: { delay?: { minSeconds?: number; maxSeconds?: number } };
}

export interface Outgoing {
	session: string;
	chatId: string;
	/** Length of the text or caption, for the typing time. */
	textLength: number;
	send: () => Promise<WahaSentMessage | undefined>;
}

/** How many recent messages Skip If Chat Contains reads. */
const HISTORY_LIMIT = 20;

/** Executions in which this node has already sent a message (the random delay skips the first). */
const executionsThatSent = new WeakSet<IExecuteFunctions>();

async function chatContains(
	context: IExecuteFunctions,
	itemIndex: number,
	outgoing: Outgoing,
	text: string,
): Promise<boolean> {
	try {
		const messages = await getChatMessages(
			context,
			outgoing.session,
			outgoing.chatId,
			HISTORY_LIMIT,
			{ itemIndex },
		);
		return messages.some((message) => message.fromMe && (message.body ?? '').includes(text));
	} catch (error) {
		// A chat WAHA does not know has no history, so nothing was sent to it.
		if (isHttpStatus(error, 404)) return false;
		throw asNodeError(context, error, itemIndex);
	}
}

/** Typing is cosmetic: an engine without it, or a failed call, must not stop the message. */
async function simulateTyping(
	context: IExecuteFunctions,
	itemIndex: number,
	outgoing: Outgoing,
): Promise<void> {
	const target = { session: outgoing.session, chatId: outgoing.chatId };
	try {
		await setTyping(context, true, target, { itemIndex });
	} catch {
		return; // the send below reports a real problem (session down, wrong key) on its own
	}
	await pacing.sleep(typingDurationMs(outgoing.textLength));
	try {
		await setTyping(context, false, target, { itemIndex });
	} catch {
		// the message itself ends the typing indicator
	}
}

async function send(
	context: IExecuteFunctions,
	itemIndex: number,
	outgoing: Outgoing,
	options: SendOptions,
): Promise<string | null> {
	if (options.simulateTyping) await simulateTyping(context, itemIndex, outgoing);
	const response = await outgoing.send();
	executionsThatSent.add(context);
	return extractMessageId(response);
}

/**
 * Sends one message with the Send Once guard and the human-like pace options:
 * wait → claim the key → look for the text in the chat → type → send; release the key on failure.
 */
export async function deliver(
	context: IExecuteFunctions,
	itemIndex: number,
	outgoing: Outgoing,
	options: SendOptions,
): Promise<IDataObject> {
	const key = options.sendOnceKey?.trim() || undefined;
	const target = { chatId: outgoing.chatId, session: outgoing.session, ...(key ? { key } : {}) };
	// The pause between messages comes before the claim: a claimed key whose message is not sent
	// yet is lost if n8n dies, so that window stays as short as the typing indicator.
	const delay = options.randomDelay?.delay;
	if (delay && executionsThatSent.has(context)) {
		await pacing.sleep(randomDelayMs(delay.minSeconds ?? 0, delay.maxSeconds ?? 0));
	}
	if (key && !(await claimKey(context, key))) {
		return { sent: false, alreadySent: true, ...target };
	}
	try {
		const marker = options.skipIfChatContains?.trim();
		if (marker && (await chatContains(context, itemIndex, outgoing, marker))) {
			// The key stays recorded: the message is in the chat, so it counts as sent.
			return { sent: false, alreadySent: true, foundInChat: true, ...target };
		}
		const messageId = await send(context, itemIndex, outgoing, options);
		return { sent: true, messageId, ...target };
	} catch (error) {
		if (key) await releaseKey(context, key);
		throw asNodeError(context, error, itemIndex);
	}
}

import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asNodeError } from '../../shared/execute';
import {
	cannotReadHistory,
	extractMessageId,
	getChatMessages,
	isHttpStatus,
	setTyping,
} from '../transport';
import type { WahaSentMessage } from '../transport/types';
import { clock } from '../../shared/clock';
import { randomDelayMs, typingDurationMs } from './pacing';
import { finishSending, isKeyRecorded, recordKey, startSending } from './sendOnce';

/**
 * Why the node guards sends itself. Upstream guards record too early to be exactly-once: n8n saves
 * a polling trigger's static data before the execution it starts has run, and Remove Duplicates
 * records its keys before anything downstream happens. A send that then fails is never retried,
 * because the order is already marked as seen.
 *
 * Here the key is recorded only after WAHA accepted the message, so whatever fails or dies before
 * the send leaves the order to the next run. What dies between the send and the record (a killed
 * worker, a lost answer) is caught by Skip If Chat Contains: right before sending, the chat's
 * recent messages are read for the order's code, and a message already there is recorded instead
 * of sent again. An earlier version claimed the key before sending; a crash in the typing seconds
 * then lost the message for good, which the fault matrix (test/e2e) showed.
 *
 * Where WAHA cannot give the history (NOWEB with its store off, its default; WEBJS on a chat that
 * never had a message: docs/services/waha.md, "Chat history"), refusing every send would stop the
 * first message to each new buyer. By default the message goes out with `historyChecked: false`:
 * the key and the marker still hold, and only that crash window is left unguarded.
 */

export interface SendOptions {
	sendOnceKey?: string;
	skipIfChatContains?: string;
	/** What Skip If Chat Contains does when WAHA cannot give the history. */
	historyUnavailable?: 'send' | 'fail';
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

/** Whether one of our recent messages holds the text; `unreadable` says why it could not be told. */
type ChatCheck = { found: boolean; unreadable?: undefined } | { found: false; unreadable: string };

async function chatContains(
	context: IExecuteFunctions,
	itemIndex: number,
	outgoing: Outgoing,
	text: string,
	whenUnavailable: SendOptions['historyUnavailable'],
): Promise<ChatCheck> {
	try {
		const messages = await getChatMessages(
			context,
			outgoing.session,
			outgoing.chatId,
			HISTORY_LIMIT,
			{ itemIndex },
		);
		return {
			found: messages.some((message) => message.fromMe && (message.body ?? '').includes(text)),
		};
	} catch (error) {
		// A chat WAHA does not know has no history, so nothing was sent to it.
		if (isHttpStatus(error, 404)) return { found: false };
		if (!cannotReadHistory(error)) throw asNodeError(context, error, itemIndex);
		const reason = (error as Error).message;
		if (whenUnavailable === 'fail') {
			throw new NodeOperationError(
				context.getNode(),
				'Skip If Chat Contains could not read the chat history',
				{
					itemIndex,
					description: `${reason}. Nothing was sent. Set "If Chat History Is Unavailable" to Send Anyway, or make the history readable (NOWEB: start the session with config.noweb.store.enabled and fullSync).`,
				},
			);
		}
		return { found: false, unreadable: reason };
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
	await clock.sleep(typingDurationMs(outgoing.textLength));
	try {
		await setTyping(context, false, target, { itemIndex });
	} catch {
		// the message itself ends the typing indicator
	}
}

/**
 * Sends one message with the Send Once guard and the human-like pace options: wait → is the key
 * recorded? → mark it as being sent → type → is the text in the chat? → send → record the key.
 */
export async function deliver(
	context: IExecuteFunctions,
	itemIndex: number,
	outgoing: Outgoing,
	options: SendOptions,
): Promise<IDataObject> {
	const key = options.sendOnceKey?.trim() || undefined;
	const target = { chatId: outgoing.chatId, session: outgoing.session, ...(key ? { key } : {}) };
	const delay = options.randomDelay?.delay;
	if (delay && executionsThatSent.has(context)) {
		await clock.sleep(randomDelayMs(delay.minSeconds ?? 0, delay.maxSeconds ?? 0));
	}
	if (key && (await isKeyRecorded(context, key))) {
		return { sent: false, alreadySent: true, ...target };
	}
	const sending = key ? await startSending(context, key) : undefined;
	if (key && !sending) {
		// Another execution is sending it now; if that one dies, a later run finds the key free.
		return { sent: false, alreadySent: false, sendingElsewhere: true, ...target };
	}
	try {
		if (options.simulateTyping) await simulateTyping(context, itemIndex, outgoing);
		const text = options.skipIfChatContains?.trim();
		const check = text
			? await chatContains(context, itemIndex, outgoing, text, options.historyUnavailable)
			: undefined;
		if (check?.found) {
			if (key) await recordKey(context, key);
			return { sent: false, alreadySent: true, foundInChat: true, ...target };
		}
		const response = await outgoing.send();
		executionsThatSent.add(context);
		if (key) await recordKey(context, key);
		const unchecked = check?.unreadable
			? { historyChecked: false, historyError: check.unreadable }
			: {};
		return { sent: true, messageId: extractMessageId(response), ...target, ...unchecked };
	} catch (error) {
		throw asNodeError(context, error, itemIndex);
	} finally {
		if (sending) await finishSending(context, sending);
	}
}

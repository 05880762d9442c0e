import type { IExecuteFunctions } from 'n8n-workflow';

/**
 * Send Once keys live in n8n's own dedupe store (the one Remove Duplicates uses), scoped to the
 * workflow so every WAHA node of the workflow sees the same keys. Entries mode keeps the newest
 * 100 000 keys. A key is recorded after its message was sent (see delivery.ts).
 */
const SCOPE = 'workflow';
const MAX_KEYS = 100_000;

/**
 * While one execution sends a key's message, a marker for the key holds off others: the trigger
 * and the catch-up lane can meet the same order, and reading the chat cannot stop two sends that
 * start in the same second. A marker belongs to a ten-minute period, so one left behind by an
 * execution that died mid-send stops holding the key when its period ends.
 */
const SENDING_PERIOD_MS = 10 * 60_000;

export function sendingMarker(key: string, now = Date.now()): string {
	return `${key}#sending@${Math.floor(now / SENDING_PERIOD_MS)}`;
}

/**
 * n8n's dedupe store keeps a workflow's keys in one row that each call reads, changes and writes
 * back with no lock, so two executions of the workflow (the trigger and the catch-up lane) that
 * call it at the same moment lose one of the writes: a released marker or a peeked key comes back,
 * a recorded key vanishes. A lost release held an order back for a whole marker period, and a
 * peeked key that comes back would mark an order as notified that never was. So every use of the
 * store from this process waits for the one before it, per workflow. Executions of one n8n (its
 * main process, or one queue-mode worker) share this module; several workers each have their own,
 * and between them a lost write can still hold an order for a marker period, leave Skip If Chat
 * Contains as the only stop to a second send, or, rarest, mark an order as notified (README,
 * Guarantees).
 */
const storeQueues = new Map<string, Promise<void>>();

async function oneAtATime<T>(context: IExecuteFunctions, use: () => Promise<T>): Promise<T> {
	const workflowId = context.getWorkflow().id ?? '';
	const previous = storeQueues.get(workflowId) ?? Promise.resolve();
	const result = previous.then(use);
	const tail = result.then(
		() => undefined,
		() => undefined,
	);
	storeQueues.set(workflowId, tail);
	try {
		return await result;
	} finally {
		if (storeQueues.get(workflowId) === tail) storeQueues.delete(workflowId);
	}
}

async function record(context: IExecuteFunctions, key: string): Promise<boolean> {
	const result = await context.helpers.checkProcessedAndRecord([key], SCOPE, {
		mode: 'entries',
		maxEntries: MAX_KEYS,
	});
	return result.new.length > 0;
}

async function forget(context: IExecuteFunctions, key: string): Promise<void> {
	await context.helpers.removeProcessed([key], SCOPE, { mode: 'entries' });
}

/** Marks the key as being sent now; undefined when another execution is sending it. */
export async function startSending(
	context: IExecuteFunctions,
	key: string,
): Promise<string | undefined> {
	const marker = sendingMarker(key);
	return (await recordKey(context, marker)) ? marker : undefined;
}

export async function finishSending(context: IExecuteFunctions, marker: string): Promise<void> {
	await oneAtATime(context, async () => await forget(context, marker));
}

/** Records the key; false when it was already recorded. */
export async function recordKey(context: IExecuteFunctions, key: string): Promise<boolean> {
	return await oneAtATime(context, async () => await record(context, key));
}

/** Whether the key is recorded, leaving the store as it was (the helpers only offer check-and-record). */
export async function isKeyRecorded(context: IExecuteFunctions, key: string): Promise<boolean> {
	return await oneAtATime(context, async () => {
		const claimed = await record(context, key);
		if (claimed) await forget(context, key);
		return !claimed;
	});
}

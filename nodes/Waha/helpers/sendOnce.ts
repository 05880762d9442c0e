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

/** Marks the key as being sent now; undefined when another execution is sending it. */
export async function startSending(
	context: IExecuteFunctions,
	key: string,
): Promise<string | undefined> {
	const marker = sendingMarker(key);
	return (await recordKey(context, marker)) ? marker : undefined;
}

export async function finishSending(context: IExecuteFunctions, marker: string): Promise<void> {
	await releaseKey(context, marker);
}

/** Records the key; false when it was already recorded. */
export async function recordKey(context: IExecuteFunctions, key: string): Promise<boolean> {
	const result = await context.helpers.checkProcessedAndRecord([key], SCOPE, {
		mode: 'entries',
		maxEntries: MAX_KEYS,
	});
	return result.new.length > 0;
}

/** Forgets the key, so a later run may send it again. */
async function releaseKey(context: IExecuteFunctions, key: string): Promise<void> {
	await context.helpers.removeProcessed([key], SCOPE, { mode: 'entries' });
}

/** Whether the key is recorded, leaving the store as it was (the helpers only offer check-and-record). */
export async function isKeyRecorded(context: IExecuteFunctions, key: string): Promise<boolean> {
	const claimed = await recordKey(context, key);
	if (claimed) await releaseKey(context, key);
	return !claimed;
}

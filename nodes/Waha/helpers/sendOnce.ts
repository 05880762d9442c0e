import type { IExecuteFunctions } from 'n8n-workflow';

/**
 * Send Once keys live in n8n's own dedupe store (the one Remove Duplicates uses), scoped to the
 * workflow so every WAHA node of the workflow sees the same keys. Entries mode keeps the newest
 * 100 000 keys. A key is recorded after its message was sent (see delivery.ts). The store has no
 * lock: two executions that handle the same key within the same second, each reading the chat
 * before the other's message arrives, can both send.
 */
const SCOPE = 'workflow';
const MAX_KEYS = 100_000;

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

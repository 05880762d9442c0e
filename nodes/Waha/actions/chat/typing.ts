import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { setTyping } from '../../transport';
import { readTarget, recipientField, sessionRLC } from '../common.descriptions';

/**
 * Start Typing and Stop Typing. WAHA answers both with 201 and no body; the output is always an
 * object (an empty one breaks Code nodes and item pairing: devlikeapro/n8n-nodes-waha issue #28).
 */
export function typingOperation(operation: 'startTyping' | 'stopTyping') {
	return {
		description: updateDisplayOptions({ show: { resource: ['chat'], operation: [operation] } }, [
			sessionRLC,
			recipientField,
		]),
		async execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
			const { session, chatId } = readTarget(this, itemIndex);
			await setTyping(this, operation === 'startTyping', { session, chatId }, { itemIndex });
			return { success: true, chatId, session };
		},
	};
}

import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { changeSessionState } from '../../transport';
import { readSession, sessionRLC } from '../common.descriptions';
import { toSessionOutput } from './common';

/** Start and Stop: `export const { description, execute } = stateChangeOperation('start')`. */
export function stateChangeOperation(action: 'start' | 'stop') {
	return {
		description: updateDisplayOptions({ show: { resource: ['session'], operation: [action] } }, [
			sessionRLC,
		]),
		async execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
			const session = readSession(this, itemIndex);
			return toSessionOutput(await changeSessionState(this, session, action, { itemIndex }));
		},
	};
}

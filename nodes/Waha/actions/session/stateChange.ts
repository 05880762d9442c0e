import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { changeSessionState, getSession } from '../../transport';
import { readSession, sessionRLC } from '../common.descriptions';
import { toSessionOutput } from '../../helpers/session';

/** Start and Stop: `export const { description, execute } = stateChangeOperation('start')`. */
export function stateChangeOperation(action: 'start' | 'stop') {
	return {
		description: updateDisplayOptions({ show: { resource: ['session'], operation: [action] } }, [
			sessionRLC,
		]),
		async execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
			const session = readSession(this, itemIndex);
			await changeSessionState(this, session, action, { itemIndex });
			// The start/stop answer lacks `me` and `engine`; a GET has the whole session.
			return toSessionOutput(await getSession(this, session, { itemIndex }));
		},
	};
}

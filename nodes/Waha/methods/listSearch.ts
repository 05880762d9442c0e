import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { listSearchResult } from '../../shared/listSearch';
import { listSessions } from '../transport';

/** Sessions of the WAHA server, stopped ones included, with their status in the label. */
export async function searchSessions(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const sessions = await listSessions(this);
	return listSearchResult(
		sessions,
		filter,
		(session) => ({ name: `${session.name} (${session.status})`, value: session.name }),
		{ text: (session) => session.name, sortBy: (session) => session.name },
	);
}

import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { listSessions } from '../transport';

/** Sessions of the WAHA server, stopped ones included, with their status in the label. */
export async function searchSessions(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const needle = filter?.trim().toLowerCase() ?? '';
	const sessions = await listSessions(this);
	return {
		results: sessions
			.filter((session) => session.name.toLowerCase().includes(needle))
			.sort((a, b) => a.name.localeCompare(b.name))
			.map((session) => ({ name: `${session.name} (${session.status})`, value: session.name })),
	};
}

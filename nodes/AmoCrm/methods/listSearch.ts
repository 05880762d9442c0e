import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { amoGetAll } from '../transport';
import type { AmoCustomField, AmoPipeline, AmoUser } from '../transport/types';

function matching<T extends { id: number; name: string }>(
	entries: T[],
	filter: string | undefined,
	label: (entry: T) => string = (entry) => entry.name,
): INodeListSearchResult {
	const needle = filter?.trim().toLowerCase() ?? '';
	return {
		results: entries
			.filter((entry) => label(entry).toLowerCase().includes(needle) || String(entry.id) === needle)
			.map((entry) => ({ name: label(entry), value: String(entry.id) })),
	};
}

export async function searchPipelines(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const pipelines = await amoGetAll<AmoPipeline>(this, '/api/v4/leads/pipelines', 'pipelines');
	return matching(
		pipelines,
		filter,
		(pipeline) => `${pipeline.name}${pipeline.is_main ? ' (main)' : ''}`,
	);
}

/** Deal custom fields a code can be written to (text-like types). */
export async function searchLeadFields(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const fields = await amoGetAll<AmoCustomField>(
		this,
		'/api/v4/leads/custom_fields',
		'custom_fields',
	);
	return matching(
		fields.filter((field) => ['text', 'numeric', 'textarea', 'url'].includes(field.type)),
		filter,
		(field) => `${field.name} (${field.type})`,
	);
}

export async function searchUsers(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const users = await amoGetAll<AmoUser>(this, '/api/v4/users', 'users');
	return matching(users, filter, (user) =>
		user.email ? `${user.name} (${user.email})` : user.name,
	);
}

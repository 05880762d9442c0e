import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { listSearchResult } from '../../shared/listSearch';
import { amoGetAll } from '../transport';
import { ORDER_CODE_FIELD_TYPES } from '../helpers/customFields';
import type { AmoCustomField, AmoPipeline, AmoUser } from '../transport/types';

/** Entries by their label, or by their id typed in full. */
function matching<T extends { id: number; name: string }>(
	entries: T[],
	filter: string | undefined,
	label: (entry: T) => string = (entry) => entry.name,
): INodeListSearchResult {
	return listSearchResult(
		entries,
		filter,
		(entry) => ({ name: label(entry), value: String(entry.id) }),
		{
			key: (entry) => String(entry.id),
		},
	);
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

/**
 * Deal custom fields an order code can be written to: text and textarea only, as a numeric field
 * drops leading zeros (docs/services/amocrm.md, "Custom fields").
 */
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
		fields.filter((field) => ORDER_CODE_FIELD_TYPES.includes(field.type)),
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

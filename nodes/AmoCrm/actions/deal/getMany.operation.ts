import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { idOf } from '../../helpers/fields';
import { amoGetAll, amoRequest } from '../../transport';
import { MAX_PAGE_SIZE, type AmoList } from '../../transport/types';
import { returnAllOrLimit } from '../../../shared/descriptions';
import { pipelineRLC, statusField } from '../common.descriptions';

const properties: INodeProperties[] = [
	...returnAllOrLimit,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Search Text',
				name: 'query',
				type: 'string',
				default: '',
				description: 'Full-text search over the deal’s filled fields (amoCRM’s query parameter)',
			},
			pipelineRLC,
			statusField,
			{
				displayName: 'Created After',
				name: 'createdAfter',
				type: 'dateTime',
				default: '',
			},
			{
				displayName: 'Updated After',
				name: 'updatedAfter',
				type: 'dateTime',
				default: '',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['deal'], operation: ['getMany'] } },
	properties,
);

function epochSeconds(value: unknown): number | undefined {
	const time = Date.parse(String(value ?? ''));
	return Number.isFinite(time) ? Math.floor(time / 1000) : undefined;
}

/** With a filter amoCRM may ignore, pages read for a Limit before giving up on more matches. */
const MAX_FILTERED_PAGES = 20;

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = this.getNodeParameter('limit', itemIndex, 50) as number;
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const qs: IDataObject = {};
	if (typeof filters.query === 'string' && filters.query.trim()) qs.query = filters.query.trim();
	const pipelineId = idOf(filters.pipeline);
	const statusId = idOf(filters.statusId);
	if (pipelineId && statusId) {
		qs['filter[statuses][0][pipeline_id]'] = pipelineId;
		qs['filter[statuses][0][status_id]'] = statusId;
	} else if (pipelineId) qs['filter[pipeline_id]'] = pipelineId;
	const createdAfter = epochSeconds(filters.createdAfter);
	if (createdAfter) qs['filter[created_at][from]'] = createdAfter;
	const updatedAfter = epochSeconds(filters.updatedAfter);
	if (updatedAfter) qs['filter[updated_at][from]'] = updatedAfter;
	const filtered = Boolean(pipelineId || statusId || createdAfter || updatedAfter);
	if (!filtered) {
		return await amoGetAll<IDataObject>(this, '/api/v4/leads', 'leads', qs, {
			itemIndex,
			max: returnAll ? undefined : limit,
		});
	}
	// Filters are alpha and ignored on some accounts (docs/services/amocrm.md, "Deals and
	// /leads/complex"): every deal is checked on our side too. A deal drops out only when its own
	// field contradicts a filter. Newest first by the date filtered on, so the reading stops at the
	// first deal older than it even when amoCRM ignored the filter.
	const dateKey = createdAfter ? 'created_at' : updatedAfter ? 'updated_at' : undefined;
	const from = createdAfter ?? updatedAfter;
	if (dateKey) qs[`order[${dateKey}]`] = 'desc';
	const number = (value: unknown) => (typeof value === 'number' ? value : undefined);
	const contradicts = (lead: IDataObject, key: string, test: (value: number) => boolean) => {
		const value = number(lead[key]);
		return value !== undefined && !test(value);
	};
	const matches = (lead: IDataObject) =>
		!(pipelineId && contradicts(lead, 'pipeline_id', (value) => value === pipelineId)) &&
		!(statusId && contradicts(lead, 'status_id', (value) => value === statusId)) &&
		!(createdAfter && contradicts(lead, 'created_at', (value) => value >= createdAfter)) &&
		!(updatedAfter && contradicts(lead, 'updated_at', (value) => value >= updatedAfter));
	const found: IDataObject[] = [];
	for (let page = 1; returnAll || page <= MAX_FILTERED_PAGES; page++) {
		const body = await amoRequest<AmoList<'leads', IDataObject>>(
			this,
			{ method: 'GET', path: '/api/v4/leads', qs: { ...qs, page, limit: MAX_PAGE_SIZE } },
			{ itemIndex },
		);
		const leads = body?._embedded?.leads ?? [];
		found.push(...leads.filter(matches));
		if (!returnAll && found.length >= limit) return found.slice(0, limit);
		if (!body?._links?.next || leads.length === 0) break;
		const oldest = dateKey ? number(leads[leads.length - 1][dateKey]) : undefined;
		if (oldest !== undefined && from !== undefined && oldest < from) break;
	}
	return found;
}

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { idOf } from '../../helpers/fields';
import { amoGetAll } from '../../transport';
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
	return await amoGetAll<IDataObject>(this, '/api/v4/leads', 'leads', qs, {
		itemIndex,
		max: returnAll ? undefined : limit,
	});
}

import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { idOf } from '../helpers/fields';
import { amoGetAll } from '../transport';
import {
	INCOMING_STATUS_TYPE,
	type AmoCatalog,
	type AmoCustomField,
	type AmoPipeline,
} from '../transport/types';

/** Stages of the pipeline chosen on the canvas (or of every pipeline when none is chosen yet). */
export async function getStatuses(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const pipelineId = idOf(this.getCurrentNodeParameter('pipeline'));
	const pipelines = await amoGetAll<AmoPipeline>(this, '/api/v4/leads/pipelines', 'pipelines');
	return pipelines
		.filter((pipeline) => !pipelineId || pipeline.id === pipelineId)
		.flatMap((pipeline) =>
			(pipeline._embedded?.statuses ?? [])
				// The system Incoming stage takes only unsorted leads (docs/services/amocrm.md,
				// "Pipelines and statuses").
				.filter((status) => status.type !== INCOMING_STATUS_TYPE)
				.map((status) => ({
					name: pipelineId ? status.name : `${pipeline.name} → ${status.name}`,
					value: status.id,
				})),
		);
}

export async function getLeadFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const fields = await amoGetAll<AmoCustomField>(
		this,
		'/api/v4/leads/custom_fields',
		'custom_fields',
	);
	return fields
		.map((field) => ({ name: `${field.name} (${field.type})`, value: field.id }))
		.sort((a, b) => a.name.localeCompare(b.name));
}

export async function getCatalogs(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const catalogs = await amoGetAll<AmoCatalog>(this, '/api/v4/catalogs', 'catalogs');
	return catalogs.map((catalog) => ({
		name: `${catalog.name} (${catalog.type})`,
		value: catalog.id,
	}));
}

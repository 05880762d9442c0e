import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { idOf } from '../helpers/fields';

export const dealIdField: INodeProperties = {
	displayName: 'Deal ID',
	name: 'dealId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. 41200987',
};

/** A resource locator picked from a searchable list or entered as an ID. */
function listOrId(
	displayName: string,
	name: string,
	searchListMethod: string,
	placeholder: string,
	extra: Partial<INodeProperties> = {},
): INodeProperties {
	return {
		displayName,
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod, searchable: true },
			},
			{ displayName: 'By ID', name: 'id', type: 'string', placeholder },
		],
		...extra,
	};
}

export const pipelineRLC = listOrId('Pipeline', 'pipeline', 'searchPipelines', 'e.g. 7654321', {
	description: 'The pipeline new deals go to',
});

export const statusField: INodeProperties = {
	displayName: 'Status Name or ID',
	name: 'statusId',
	type: 'options',
	typeOptions: { loadOptionsMethod: 'getStatuses', loadOptionsDependsOn: ['pipeline.value'] },
	default: '',
	description:
		'The stage of the pipeline. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};

export const orderCodeFieldRLC = listOrId(
	'Order Code Field',
	'orderCodeField',
	'searchLeadFields',
	'e.g. 1234567',
	{
		required: true,
		description:
			'The deal custom field that holds the Kaspi order code: a text or textarea field (a numeric one would drop leading zeros)',
	},
);

export const responsibleUserRLC = listOrId(
	'Responsible User',
	'responsibleUser',
	'searchUsers',
	'e.g. 8123456',
);

/** Fields a deal can be created or updated with. */
export const dealFieldOptions: INodeProperties[] = [
	{ displayName: 'Name', name: 'name', type: 'string', default: '' },
	{ displayName: 'Price', name: 'price', type: 'number', default: 0 },
	pipelineRLC,
	statusField,
	responsibleUserRLC,
	{
		displayName: 'Tags',
		name: 'tags',
		type: 'string',
		default: '',
		placeholder: 'e.g. kaspi, vip',
		description: 'Comma-separated tag names to add to the deal',
	},
	{
		displayName: 'Contact ID',
		name: 'contactId',
		type: 'string',
		default: '',
		description: 'An existing contact to attach as the deal’s main contact (create only)',
	},
	{
		displayName: 'Custom Fields',
		name: 'customFields',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		options: [
			{
				displayName: 'Field',
				name: 'field',
				values: [
					{
						displayName: 'Field Name or ID',
						name: 'fieldId',
						type: 'options',
						typeOptions: { loadOptionsMethod: 'getLeadFields' },
						default: '',
						description:
							'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
					},
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	},
];

export const timeoutOption: INodeProperties = {
	displayName: 'Timeout (Seconds)',
	name: 'timeoutSeconds',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 300 },
	default: 30,
	description: 'How long to wait for one amoCRM answer',
};

/** Reads a required positive id parameter. */
export function requiredId(
	context: IExecuteFunctions,
	name: string,
	label: string,
	itemIndex: number,
): number {
	const id = idOf(context.getNodeParameter(name, itemIndex, ''));
	if (!id) {
		throw new NodeOperationError(context.getNode(), `${label} must be a positive number`, {
			itemIndex,
		});
	}
	return id;
}

/** Turns the deal fields collection into the body amoCRM takes. */
export function dealBody(fields: IDataObject): IDataObject {
	const body: IDataObject = {};
	if (typeof fields.name === 'string' && fields.name.trim()) body.name = fields.name.trim();
	if (fields.price !== undefined && fields.price !== '')
		body.price = Math.round(Number(fields.price));
	const pipelineId = idOf(fields.pipeline);
	if (pipelineId) body.pipeline_id = pipelineId;
	const statusId = idOf(fields.statusId);
	if (statusId) body.status_id = statusId;
	const userId = idOf(fields.responsibleUser);
	if (userId) body.responsible_user_id = userId;
	const tags = String(fields.tags ?? '')
		.split(',')
		.map((tag) => tag.trim())
		.filter(Boolean);
	if (tags.length) body.tags_to_add = tags.map((name) => ({ name }));
	const custom = ((fields.customFields as IDataObject | undefined)?.field ?? []) as IDataObject[];
	const values = custom
		.filter((entry) => idOf(entry.fieldId))
		.map((entry) => ({
			field_id: idOf(entry.fieldId),
			values: [{ value: String(entry.value ?? '') }],
		}));
	if (values.length) body.custom_fields_values = values;
	return body;
}

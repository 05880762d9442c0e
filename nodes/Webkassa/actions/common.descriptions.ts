import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { returnAllOrLimit } from '../../shared/descriptions';
import { EXTERNAL_NUMBER_MAX } from '../transport/types';

/** The cashbox, picked by name from the cashier's cashboxes or typed as its unique number (ЗНК). */
export const cashboxRLC: INodeProperties = {
	displayName: 'Cashbox',
	name: 'cashbox',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The cash register (its unique number, ЗНК, e.g. SWK00033717)',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchCashboxes', searchable: true },
		},
		{
			displayName: 'By Unique Number',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. SWK00033717',
			validation: [
				{
					type: 'regex',
					properties: { regex: '^\\s*[A-Za-z0-9]+\\s*$', errorMessage: 'Letters and digits only' },
				},
			],
		},
	],
};

export function readCashbox(context: IExecuteFunctions, itemIndex: number): string {
	const raw = context.getNodeParameter('cashbox', itemIndex, '', { extractValue: true });
	const value = String(
		typeof raw === 'object' && raw !== null && 'value' in raw
			? (raw as { value: unknown }).value
			: raw,
	).trim();
	if (!value) {
		throw new NodeOperationError(context.getNode(), 'Cashbox is empty', {
			itemIndex,
			description: 'Pick the cashbox from the list or type its unique number (ЗНК).',
		});
	}
	return value;
}

/** Reads and checks an external number (`ExternalCheckNumber`): non-empty, at most 50 characters. */
export function readExternalNumber(
	context: IExecuteFunctions,
	itemIndex: number,
	name: string,
	displayName: string,
): string {
	const value = String(context.getNodeParameter(name, itemIndex, '') ?? '').trim();
	if (!value) {
		throw new NodeOperationError(context.getNode(), `${displayName} is empty`, {
			itemIndex,
			description:
				'Use a key that is the same on every retry of the same document, e.g. kaspi-{{ $json.code }}-sale. A fresh random id per try would print a second receipt.',
		});
	}
	if (value.length > EXTERNAL_NUMBER_MAX) {
		throw new NodeOperationError(
			context.getNode(),
			`${displayName} is longer than ${EXTERNAL_NUMBER_MAX} characters`,
			{
				itemIndex,
				description: `Got ${value.length} characters; Webkassa accepts at most ${EXTERNAL_NUMBER_MAX}.`,
			},
		);
	}
	return value;
}

/** Return All + Limit, shown for one list operation. */
export function listControls(resource: string, operation: string): INodeProperties[] {
	return updateDisplayOptions(
		{ show: { resource: [resource], operation: [operation] } },
		returnAllOrLimit,
	);
}

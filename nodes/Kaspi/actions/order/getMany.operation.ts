import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { listOrders } from '../../transport';
import type { KaspiOrder } from '../../helpers/mapper';
import {
	ORDER_STATES,
	type DeliveryType,
	type OrderState,
	type OrderStatus,
} from '../../transport/types';
import { callOptions, timeoutOption } from '../common.descriptions';
import { parseDateParameter, stateOptions, statusOptions } from './filters';
import { returnAllOrLimit } from '../../../shared/descriptions';

const properties: INodeProperties[] = [
	{
		displayName: 'Created After',
		name: 'createdAfter',
		type: 'dateTime',
		default: '={{ $now.minus({ days: 1 }).toISO() }}',
		description:
			'Orders created at or after this moment. Ranges longer than Kaspi’s 14-day limit are split into windows for you.',
	},
	{
		displayName: 'Created Before',
		name: 'createdBefore',
		type: 'dateTime',
		default: '={{ $now.toISO() }}',
		description: 'Orders created at or before this moment',
	},
	{
		displayName: 'States',
		name: 'states',
		type: 'multiOptions',
		options: stateOptions,
		default: [],
		description: 'The order tabs to read. Empty reads every state, one request series per state.',
	},
	{
		displayName: 'Statuses',
		name: 'statuses',
		type: 'multiOptions',
		options: statusOptions,
		default: [],
		description: 'Keep only orders in these statuses. Empty keeps all.',
	},
	...returnAllOrLimit,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Delivery Type',
				name: 'deliveryType',
				type: 'options',
				options: [
					{ name: 'Any', value: '' },
					{ name: 'Delivery', value: 'DELIVERY' },
					{ name: 'Pickup', value: 'PICKUP' },
				],
				default: '',
				description:
					'Pickup is the buyer collecting the order at your point; any delivery, a Kaspi Postomat included, is Delivery. Kaspi takes this filter only with the New, Sign Required and Archive states; for the others the node filters the orders itself.',
			},
			{
				displayName: 'Include Entries',
				name: 'includeEntries',
				type: 'boolean',
				default: true,
				description:
					'Whether to add the order lines (SKU, name, quantity, prices). They come in the same request, so this costs no extra calls.',
			},
			timeoutOption,
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['order'], operation: ['getMany'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<KaspiOrder[]> {
	const from = parseDateParameter(this, 'createdAfter', 'Created After', itemIndex);
	const to = parseDateParameter(this, 'createdBefore', 'Created Before', itemIndex);
	if (from > to) {
		throw new NodeOperationError(this.getNode(), 'Created After is later than Created Before', {
			itemIndex,
			description: 'Swap the two dates or widen the range.',
		});
	}
	const states = this.getNodeParameter('states', itemIndex, []) as OrderState[];
	const returnAll = this.getNodeParameter('returnAll', itemIndex) as boolean;
	const options = this.getNodeParameter('options', itemIndex, {}) as {
		deliveryType?: '' | DeliveryType;
		includeEntries?: boolean;
	};
	return await listOrders(
		this,
		{
			from,
			to,
			states: states.length ? states : [...ORDER_STATES],
			statuses: this.getNodeParameter('statuses', itemIndex, []) as OrderStatus[],
			deliveryType: options.deliveryType || undefined,
			includeEntries: options.includeEntries ?? true,
			limit: returnAll ? undefined : (this.getNodeParameter('limit', itemIndex) as number),
		},
		callOptions(this, itemIndex),
	);
}

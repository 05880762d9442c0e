import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { stateOptions } from './actions/order/filters';
import { DEFAULT_TIMEOUT_SECONDS, listOrders } from './transport';
import { MAX_WINDOW_MS, type OrderState } from './transport/types';
import { planPoll, type TriggerMemory } from './helpers/pollMemory';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

export class KaspiTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Kaspi Trigger',
		name: 'kaspiTrigger',
		icon: { light: 'file:kaspi.svg', dark: 'file:kaspi.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["emitStateChanges"] ? "New and changed orders" : "New orders" }}',
		description:
			'Starts the workflow when a Kaspi.kz order arrives, or when an order changes state',
		defaults: { name: 'Kaspi Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'kaspiApi', required: true }],
		properties: [
			{
				displayName:
					'Polls Kaspi on the schedule below (at least once a minute). The first poll after activation only records the orders already there; every order created after it is emitted once. Renaming this node resets its memory.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Watch States',
				name: 'states',
				type: 'multiOptions',
				options: stateOptions,
				default: ['DELIVERY', 'KASPI_DELIVERY', 'NEW', 'PICKUP', 'SIGN_REQUIRED'],
				required: true,
				description:
					'Order tabs to poll. An order accepted in the seller cabinet between two polls leaves New, so keep the delivery states to never miss one.',
			},
			{
				displayName: 'Emit State Changes',
				name: 'emitStateChanges',
				type: 'boolean',
				default: false,
				description:
					'Whether to also emit an order when its state changes between polls, e.g. to Delivery or Archive (add Archive to Watch States for that)',
			},
			{
				displayName: 'Track Changes For (Days)',
				name: 'trackDays',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 60 },
				default: 14,
				description: 'How long after its creation an order is watched for state changes',
				displayOptions: { show: { emitStateChanges: [true] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Include Entries',
						name: 'includeEntries',
						type: 'boolean',
						default: true,
						description: 'Whether to add the order lines; they come in the same request',
					},
					{
						displayName: 'Overlap Window (Hours)',
						name: 'overlapHours',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 336 },
						default: 24,
						description:
							'Each poll looks back this far before the previous one, so an order that shows up late (e.g. after a credit approval) is still caught. Orders already emitted inside the window are remembered and not emitted again.',
					},
					{
						displayName: 'Timeout (Seconds)',
						name: 'timeoutSeconds',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: DEFAULT_TIMEOUT_SECONDS,
						description: 'How long to wait for Kaspi on each attempt',
					},
				],
			},
		],
	};

	/**
	 * The memory (a creation-date watermark and the codes seen inside the overlap window) lives in
	 * workflow static data. It is built fresh and assigned back on every poll, because n8n only tracks
	 * changes to top-level keys. It is written only after Kaspi answered, so a failed poll leaves it
	 * untouched and the next poll covers the same range again.
	 */
	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const states = this.getNodeParameter('states') as OrderState[];
		const emitStateChanges = this.getNodeParameter('emitStateChanges') as boolean;
		const options = this.getNodeParameter('options', {}) as {
			includeEntries?: boolean;
			overlapHours?: number;
			timeoutSeconds?: number;
		};
		const callOptions = { timeoutSeconds: options.timeoutSeconds };
		const includeEntries = options.includeEntries ?? true;
		const now = Date.now();

		if (this.getMode() === 'manual') {
			// "Fetch test event": the newest order of the last 14 days, so fields can be mapped.
			const recent = await listOrders(
				this,
				{ from: now - MAX_WINDOW_MS + 1, to: now, states, includeEntries },
				callOptions,
			);
			const latest = recent.sort((a, b) => b.creationDate - a.creationDate).slice(0, 1);
			return latest.length
				? [this.helpers.returnJsonArray(latest.map((order) => ({ ...order, event: 'new' })))]
				: null;
		}

		const staticData = this.getWorkflowStaticData('node');
		const plan = planPoll(staticData.memory as TriggerMemory | undefined, {
			now,
			overlapMs: (options.overlapHours ?? 24) * HOUR_MS,
			trackMs: emitStateChanges ? (this.getNodeParameter('trackDays', 14) as number) * DAY_MS : 0,
		});
		const orders = await listOrders(
			this,
			{ from: plan.from, to: now, states, includeEntries },
			callOptions,
		);
		const { memory, events } = plan.apply(orders, emitStateChanges);
		staticData.memory = memory;

		if (!events.length) return null;
		return [
			this.helpers.returnJsonArray(
				events.map(({ order, event, previousState }) => ({
					...order,
					event,
					...(previousState ? { previousState } : {}),
				})) as IDataObject[],
			),
		];
	}
}

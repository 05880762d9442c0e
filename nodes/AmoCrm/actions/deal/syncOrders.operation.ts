import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { asNodeError } from '../../../shared/execute';
import { idOf } from '../../helpers/fields';
import { OrderSync, type SyncOrder } from '../../helpers/sync';
import { accountHost } from '../../transport';
import {
	orderCodeFieldRLC,
	pipelineRLC,
	responsibleUserRLC,
	statusField,
} from '../common.descriptions';
import { checkOrderCodeField } from '../../helpers/customFields';
import { catalogField } from '../product/common';
import { loadTotals, saveTotals } from '../../helpers/priceMemory';

const properties: INodeProperties[] = [
	{
		displayName:
			'Takes the orders the Kaspi node outputs (one item per order) and keeps one deal per order, in batches: at most a few amoCRM calls per 50 orders',
		name: 'syncNotice',
		type: 'notice',
		default: '',
	},
	{ ...pipelineRLC, required: true },
	{ ...statusField, description: 'The stage new deals start in. ' + statusField.description },
	orderCodeFieldRLC,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Add Notes',
				name: 'addNotes',
				type: 'boolean',
				default: true,
				description:
					'Whether to add a note with the order’s items, total and delivery to each new deal, and a line when its state changes',
			},
			{
				displayName: 'Deal Name Prefix',
				name: 'dealNamePrefix',
				type: 'string',
				default: 'Kaspi order ',
			},
			{
				displayName: 'Dry Run',
				name: 'dryRun',
				type: 'boolean',
				default: false,
				description:
					'Whether to only read amoCRM and return, per order, the write requests the sync would send, without sending them',
			},
			{
				displayName: 'Link Products',
				name: 'linkProducts',
				type: 'boolean',
				default: true,
				description:
					'Whether to link the order’s items to the deal as catalog products (found or created by SKU)',
			},
			{ ...catalogField, displayName: 'Products Catalog Name or ID' },
			responsibleUserRLC,
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['deal'], operation: ['syncOrders'] } },
	properties,
);

function toSyncOrder(json: IDataObject): SyncOrder {
	const entries = Array.isArray(json.entries) ? (json.entries as IDataObject[]) : [];
	const text = (value: unknown) =>
		typeof value === 'string' && value.trim() ? value.trim() : null;
	return {
		code: String(json.code ?? '').trim(),
		state: String(json.state ?? '').trim() || 'UNKNOWN',
		totalPrice: Number(json.totalPrice) || 0,
		customerName: text(json.customerName),
		customerFirstName: text(json.customerFirstName),
		customerLastName: text(json.customerLastName),
		customerPhone: text(json.customerPhone),
		deliveryAddress: text(json.deliveryAddress),
		deliveryMode: String(json.deliveryMode ?? ''),
		createdAt: String(json.createdAt ?? ''),
		creationDate: Number(json.creationDate),
		entries: entries.map((entry) => ({
			sku: String(entry.sku ?? '').trim(),
			name: String(entry.name ?? ''),
			quantity: Math.max(1, Math.round(Number(entry.quantity) || 1)),
			unitPrice: Number(entry.unitPrice) || 0,
			totalPrice: Number(entry.totalPrice) || 0,
		})),
	};
}

/** The whole input at once: batching across items is the point of this operation. */
export const batch = true;

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return [await syncAll.call(this)];
}

async function syncAll(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	if (items.length === 0) return [];
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const orderCodeFieldId = idOf(this.getNodeParameter('orderCodeField', 0));
	if (!orderCodeFieldId) {
		throw new NodeOperationError(this.getNode(), 'Order Code Field must be a deal custom field', {
			description: 'Pick the deal field that holds the Kaspi order code, or enter its ID.',
		});
	}
	try {
		await checkOrderCodeField(this, orderCodeFieldId);
	} catch (error) {
		const wrapped = asNodeError(this, error, 0);
		if (!this.continueOnFail()) throw wrapped;
		return items.map((item, index) => ({
			json: { action: 'error', error: wrapped.message, orderCode: String(item.json.code ?? '') },
			error: wrapped,
			pairedItem: { item: index },
		}));
	}
	// Existing deals are looked for among those created since the order was: without its date, an
	// older order's deal would be missed and a duplicate created.
	const refused = new Map<number, NodeOperationError>();
	items.forEach((item, itemIndex) => {
		if (Number(item.json.creationDate) > 0) return;
		const error = new NodeOperationError(
			this.getNode(),
			'The item has no creationDate: connect the Kaspi node’s output',
			{
				itemIndex,
				description:
					'Sync Orders needs the order’s creationDate (milliseconds since 1970) to find the deal it may already have.',
			},
		);
		if (!this.continueOnFail()) throw error;
		refused.set(itemIndex, error);
	});
	const accepted = items
		.map((item, itemIndex) => ({ item, itemIndex }))
		.filter(({ itemIndex }) => !refused.has(itemIndex));
	const host = await accountHost(this);
	const dryRun = options.dryRun === true;
	const staticData = this.getWorkflowStaticData('node');
	const lastTotals = loadTotals(staticData, host);
	const sync = new OrderSync(this, host, {
		orderCodeFieldId,
		pipelineId: idOf(this.getNodeParameter('pipeline', 0, '')),
		statusId: idOf(this.getNodeParameter('statusId', 0, '')),
		responsibleUserId: idOf(options.responsibleUser),
		dealNamePrefix:
			typeof options.dealNamePrefix === 'string' ? options.dealNamePrefix : 'Kaspi order ',
		addNotes: options.addNotes !== false,
		linkProducts: options.linkProducts !== false,
		catalogId: idOf(options.catalogId),
		dryRun,
		lastTotals,
	});
	const orders = accepted.map(({ item }) => toSyncOrder(item.json));
	let results;
	try {
		results = await sync.run(orders);
		// A dry run wrote nothing, so it remembers nothing.
		if (!dryRun)
			saveTotals(
				staticData,
				host,
				lastTotals,
				orders.map((order) => order.code),
			);
	} catch (error) {
		// Only a blocked account or a broken credential ends the whole run.
		const wrapped = asNodeError(this, error, 0);
		if (!this.continueOnFail()) throw wrapped;
		return items.map((_, index) => ({
			json: {
				action: 'error',
				error: wrapped.message,
				orderCode: String(items[index].json.code ?? ''),
			},
			pairedItem: { item: index },
		}));
	}
	const byItem = new Map(accepted.map(({ itemIndex }, position) => [itemIndex, results[position]]));
	return items.map((item, itemIndex) => {
		const error = refused.get(itemIndex);
		if (error) {
			return {
				json: { action: 'error', error: error.message, orderCode: String(item.json.code ?? '') },
				error,
				pairedItem: { item: itemIndex },
			};
		}
		return {
			json: { ...byItem.get(itemIndex), ...(dryRun ? { dryRun: true } : {}) },
			pairedItem: { item: itemIndex },
		};
	});
}

import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as cash from './actions/cash/Cash.resource';
import * as cashbox from './actions/cashbox/Cashbox.resource';
import * as receipt from './actions/receipt/Receipt.resource';
import { router } from './actions/router';
import * as session from './actions/session/Session.resource';
import * as shift from './actions/shift/Shift.resource';
import { listSearch } from './methods';

/**
 * Fiscal receipts through Webkassa.kz: VAT computed by Webkassa's own formula, receipts that a
 * retry can never double (deterministic external number, code 14 read back), and a cashier token
 * that renews itself (code 2/3 → one login, one retry, shared by every execution).
 */
export class Webkassa implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Webkassa',
		name: 'webkassa',
		icon: { light: 'file:webkassa.svg', dark: 'file:webkassa.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			'Make fiscal receipts, close shifts and book cash with the Webkassa.kz online cash register',
		defaults: { name: 'Webkassa' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'webkassaApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Cash', value: 'cash' },
					{ name: 'Cashbox', value: 'cashbox' },
					{ name: 'Receipt', value: 'receipt' },
					{ name: 'Session', value: 'session' },
					{ name: 'Shift', value: 'shift' },
				],
				default: 'receipt',
			},
			...receipt.description,
			...shift.description,
			...cash.description,
			...cashbox.description,
			...session.description,
		],
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}

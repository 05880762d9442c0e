import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CODE_DUPLICATE_EXTERNAL_NUMBER } from '../../transport/errors';
import { tryWebkassa, webkassaApiError } from '../../transport';
import { MONEY_IN, MONEY_OUT, type WebkassaMoneyOperationResponse } from '../../transport/types';
import { toTiyn } from '../../helpers/vat';
import { cashboxRLC, readCashbox, readExternalNumber } from '../common.descriptions';
import { toIsoDate } from '../receipt/lookup';

type MoneyDirection = 'in' | 'out';

export function moneyProperties(direction: MoneyDirection): INodeProperties[] {
	return [
		cashboxRLC,
		{
			displayName: 'Amount',
			name: 'amount',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 2 },
			default: 0,
			required: true,
			description:
				direction === 'in'
					? 'Cash put into the drawer, in tenge'
					: 'Cash taken from the drawer, in tenge',
		},
		{
			displayName: 'External Number',
			name: 'externalCheckNumber',
			type: 'string',
			default: '',
			required: true,
			placeholder: `e.g. cash-${direction}-{{ $now.toFormat('yyyy-MM-dd') }}`,
			description:
				'A key that is the same on every retry of this cash operation (max 50 characters), so a retry never books it twice',
		},
	];
}

export async function moneyOperation(
	context: IExecuteFunctions,
	itemIndex: number,
	direction: MoneyDirection,
): Promise<IDataObject> {
	const cashbox = readCashbox(context, itemIndex);
	const amount = Number(context.getNodeParameter('amount', itemIndex, 0));
	if (!Number.isFinite(amount) || toTiyn(amount) <= 0) {
		throw new NodeOperationError(context.getNode(), 'Amount must be more than 0', { itemIndex });
	}
	const externalNumber = readExternalNumber(
		context,
		itemIndex,
		'externalCheckNumber',
		'External Number',
	);
	const outcome = await tryWebkassa<WebkassaMoneyOperationResponse>(
		context,
		'moneyOperation',
		{
			CashboxUniqueNumber: cashbox,
			OperationType: direction === 'in' ? MONEY_IN : MONEY_OUT,
			Sum: amount,
			ExternalCheckNumber: externalNumber,
		},
		// Safe to repeat: the external number makes a repeat answer 14 instead of booking twice.
		{ itemIndex, idempotent: true },
	);
	const base = {
		operation: direction === 'in' ? 'moneyIn' : 'moneyOut',
		externalCheckNumber: externalNumber,
		amount,
		cashboxUniqueNumber: cashbox,
	};
	if (outcome.ok) {
		return {
			...base,
			duplicate: false,
			shiftNumber: outcome.data.ShiftNumber,
			dateTime: toIsoDate(outcome.data.DateTime) ?? outcome.data.DateTime,
			cashInDrawer: outcome.data.Sum,
			offline: outcome.data.OfflineMode === true,
		};
	}
	// Already booked by an earlier try; Webkassa has no lookup for cash operations.
	if (outcome.error.Code === CODE_DUPLICATE_EXTERNAL_NUMBER) return { ...base, duplicate: true };
	throw webkassaApiError(context, 'moneyOperation', outcome.error, itemIndex);
}

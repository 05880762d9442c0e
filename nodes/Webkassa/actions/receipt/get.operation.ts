import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { cashboxRLC, readCashbox, readExternalNumber } from '../common.descriptions';
import { findByExternalNumber, findByFiscalNumber, receiptFromHistory } from './lookup';

const properties: INodeProperties[] = [
	cashboxRLC,
	{
		displayName: 'Find By',
		name: 'findBy',
		type: 'options',
		default: 'externalNumber',
		options: [
			{
				name: 'External Number',
				value: 'externalNumber',
				description: 'The key the receipt was created with, e.g. kaspi-123456-sale',
			},
			{
				name: 'Fiscal Number',
				value: 'fiscalNumber',
				description: 'The fiscal sign printed on the receipt',
			},
		],
	},
	{
		displayName: 'External Number',
		name: 'externalCheckNumber',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. kaspi-{{ $json.code }}-sale',
		displayOptions: { show: { findBy: ['externalNumber'] } },
	},
	{
		displayName: 'Fiscal Number',
		name: 'fiscalNumber',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show: { findBy: ['fiscalNumber'] } },
	},
	{
		displayName: 'Shift Number',
		name: 'shiftNumber',
		type: 'number',
		default: 0,
		description: 'The shift of the receipt; 0 searches the last three shifts',
		displayOptions: { show: { findBy: ['fiscalNumber'] } },
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['receipt'], operation: ['get'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const cashbox = readCashbox(this, itemIndex);
	if (this.getNodeParameter('findBy', itemIndex) === 'fiscalNumber') {
		const fiscalNumber = String(this.getNodeParameter('fiscalNumber', itemIndex, '')).trim();
		if (!fiscalNumber) {
			throw new NodeOperationError(this.getNode(), 'Fiscal Number is empty', { itemIndex });
		}
		const shift = Number(this.getNodeParameter('shiftNumber', itemIndex, 0)) || undefined;
		const receipt = await findByFiscalNumber(this, cashbox, fiscalNumber, itemIndex, shift);
		if (!receipt) {
			throw new NodeOperationError(
				this.getNode(),
				`No receipt with fiscal number ${fiscalNumber} on cashbox ${cashbox}`,
				{
					itemIndex,
					description: shift
						? 'Check the shift number, or set it to 0 to search the last shifts.'
						: 'Only the last three shifts were searched; give the shift number for an older receipt.',
				},
			);
		}
		return { found: true, ...receiptFromHistory(receipt, cashbox) };
	}
	const externalNumber = readExternalNumber(
		this,
		itemIndex,
		'externalCheckNumber',
		'External Number',
	);
	const receipt = await findByExternalNumber(this, cashbox, externalNumber, itemIndex);
	return receipt
		? { found: true, ...receipt }
		: { found: false, externalCheckNumber: externalNumber, cashboxUniqueNumber: cashbox };
}

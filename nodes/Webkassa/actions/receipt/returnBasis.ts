import type { IExecuteFunctions } from 'n8n-workflow';

import { registrationNumberOf } from '../../transport/cashboxes';
import type { WebkassaReturnBasis } from '../../transport/types';
import { readExternalNumber } from '../common.descriptions';
import { fail } from './fail';
import { findByExternalNumber, toIsoDate } from './lookup';

/** The sale a return reverses: found by its external number, or entered by hand. */
export async function readReturnBasis(
	context: IExecuteFunctions,
	itemIndex: number,
	cashbox: string,
): Promise<WebkassaReturnBasis> {
	if (context.getNodeParameter('returnBasisSource', itemIndex, 'externalNumber') === 'manual') {
		const fiscalNumber = String(
			context.getNodeParameter('originalFiscalNumber', itemIndex, ''),
		).trim();
		const registrationNumber = String(
			context.getNodeParameter('originalRegistrationNumber', itemIndex, ''),
		).trim();
		const dateTime = toIsoDate(String(context.getNodeParameter('originalDateTime', itemIndex, '')));
		if (!fiscalNumber) fail(context, itemIndex, 'Original Fiscal Number is empty');
		if (!/^\d{1,20}$/.test(registrationNumber)) {
			fail(
				context,
				itemIndex,
				'Original Cashbox Registration Number is empty or not a number',
				'Give the RNM printed on the original receipt: Webkassa matches the return to the cashbox that made the sale.',
			);
		}
		if (!dateTime) fail(context, itemIndex, 'Original Date and Time is empty or not a date');
		return {
			CheckNumber: fiscalNumber,
			DateTime: dateTime,
			RegistrationNumber: registrationNumber,
			Total: Number(context.getNodeParameter('originalTotal', itemIndex, 0)),
			IsOffline: context.getNodeParameter('originalOffline', itemIndex, false) as boolean,
		};
	}
	const original = readExternalNumber(
		context,
		itemIndex,
		'originalExternalNumber',
		'Original External Number',
	);
	const found = await findByExternalNumber(context, cashbox, original, itemIndex);
	if (!found?.fiscalNumber || !found.dateTime) {
		fail(
			context,
			itemIndex,
			`The original receipt "${original}" was not found on this cashbox`,
			'Check the original external number and the cashbox, or enter the original receipt’s details.',
		);
	}
	// The history names the RNM of the cashbox that printed the original; Cashboxes is the fallback.
	const registrationNumber =
		(found.registrationNumber ? String(found.registrationNumber) : undefined) ??
		(await registrationNumberOf(context, cashbox, itemIndex));
	return {
		CheckNumber: String(found.fiscalNumber),
		DateTime: String(found.dateTime),
		RegistrationNumber: registrationNumber ?? '',
		Total: Number(found.total ?? 0),
		IsOffline: found.offline === true,
	};
}

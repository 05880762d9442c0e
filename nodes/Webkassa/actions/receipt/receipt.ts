import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { normalisePhone } from '../../../shared/phone';
import { buildPositions, parseRate } from '../../helpers/positions';
import {
	CODE_DUPLICATE_EXTERNAL_NUMBER,
	CODE_SHIFT_OVER_24H,
	CODE_VALIDATION,
	REFUSED_TAX_RATE,
} from '../../transport/errors';
import {
	tryWebkassa,
	webkassaApiError,
	webkassaRequest,
	type WebkassaOutcome,
} from '../../transport';
import {
	OPERATION_SALE,
	OPERATION_SALE_RETURN,
	ROUND_TYPE_NONE,
	type WebkassaCheckRequest,
	type WebkassaCheckResponse,
	type WebkassaError,
} from '../../transport/types';
import { readCashbox, readExternalNumber } from '../common.descriptions';
import { fail } from './fail';
import type { ReceiptKind } from './fields';
import { toIsoDate } from './lookup';
import { readPayments } from './payments';
import { readPositionInputs } from './positions';
import { readReturnBasis } from './returnBasis';

function checkOutput(
	kind: ReceiptKind,
	request: WebkassaCheckRequest,
	total: number,
	data: WebkassaCheckResponse,
): IDataObject {
	return {
		operation: kind,
		duplicate: false,
		externalCheckNumber: request.ExternalCheckNumber,
		fiscalNumber: String(data.CheckNumber),
		shiftNumber: data.ShiftNumber,
		checkOrderNumber: data.CheckOrderNumber,
		dateTime: toIsoDate(data.DateTime) ?? data.DateTime,
		total,
		change: request.Change,
		ticketUrl: data.TicketUrl,
		ticketPrintUrl: data.TicketPrintUrl,
		offline: data.OfflineMode === true,
		cashboxUniqueNumber: request.CashboxUniqueNumber,
		registrationNumber: data.Cashbox?.RegistrationNumber ?? null,
	};
}

/** Create Sale and Create Return. */
export async function createReceipt(
	context: IExecuteFunctions,
	itemIndex: number,
	kind: ReceiptKind,
): Promise<IDataObject> {
	const cashbox = readCashbox(context, itemIndex);
	const externalNumber = readExternalNumber(
		context,
		itemIndex,
		'externalCheckNumber',
		'External Number',
	);
	const receiptRate = parseRate(context.getNodeParameter('vatRate', itemIndex, ''));
	// No silent default: a rate the organisation is not registered for fails every receipt.
	if (receiptRate === undefined || Number.isNaN(receiptRate)) {
		fail(
			context,
			itemIndex,
			'VAT Rate is empty or not a rate',
			'Choose the VAT rate your organisation is registered for in Webkassa (none, 5, 10, 12 or 16); in the receipts workflow, set vatRate in Settings.',
		);
	}
	const { positions, total } = buildPositions(readPositionInputs(context, itemIndex), receiptRate);
	const { payments, change } = readPayments(context, itemIndex, total);
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;

	const request: WebkassaCheckRequest = {
		CashboxUniqueNumber: cashbox,
		OperationType: kind === 'sale' ? OPERATION_SALE : OPERATION_SALE_RETURN,
		Positions: positions,
		Payments: payments,
		Change: change,
		RoundType: ROUND_TYPE_NONE,
		ExternalCheckNumber: externalNumber,
	};
	const email = String(options.customerEmail ?? '').trim();
	if (email) {
		if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 50) {
			fail(context, itemIndex, 'Buyer E-Mail is not a valid e-mail address (max 50 characters)');
		}
		request.CustomerEmail = email;
	}
	const rawPhone = String(options.customerPhone ?? '').trim();
	if (rawPhone) {
		const phone = normalisePhone(rawPhone);
		// A masked or invalid number is left out rather than failing a fiscal receipt.
		if (phone.ok) request.CustomerPhone = `+${phone.digits}`;
	}
	const orderNumber = String(options.externalOrderNumber ?? '').trim();
	if (orderNumber) request.ExternalOrderNumber = orderNumber.slice(0, 200);

	if (kind === 'return')
		request.ReturnBasisDetails = await readReturnBasis(context, itemIndex, cashbox);

	const send = async () =>
		await tryWebkassa<WebkassaCheckResponse>(context, 'check', request as unknown as IDataObject, {
			itemIndex,
			// Safe: a repeat with the same ExternalCheckNumber answers 14, never a second receipt.
			idempotent: true,
		});
	let outcome = await send();
	if (
		!outcome.ok &&
		outcome.error.Code === CODE_SHIFT_OVER_24H &&
		options.closeShiftWhenExpired === true
	) {
		await webkassaRequest(context, 'zReport', { CashboxUniqueNumber: cashbox }, { itemIndex });
		outcome = await send();
	}
	if (outcome.ok) return checkOutput(kind, request, total, outcome.data);
	if (outcome.error.Code === CODE_DUPLICATE_EXTERNAL_NUMBER)
		return duplicateOutput(kind, request, total, outcome);
	if (outcome.error.Code === CODE_VALIDATION) {
		const refused = refusedRate(request, outcome.error);
		if (refused !== undefined) {
			const error = webkassaApiError(context, 'check', outcome.error, itemIndex);
			error.message = `Webkassa error 9: the cashbox's organisation is not registered for VAT rate ${refused}`;
			error.description =
				`${error.description ?? ''} Choose a VAT rate the organisation is registered for in Webkassa (VAT Rate, or vatRate in the receipts workflow's Settings).`.trim();
			throw error;
		}
	}
	throw webkassaApiError(context, 'check', outcome.error, itemIndex);
}

/**
 * A repeated external number: Webkassa answers code 14 with the original receipt in `Data`, and
 * its text ends with the original's fiscal number, the fallback when `Data` is missing
 * (docs/services/webkassa.md, "Duplicates"). No further lookup is needed.
 */
function duplicateOutput(
	kind: ReceiptKind,
	request: WebkassaCheckRequest,
	total: number,
	outcome: Extract<WebkassaOutcome<WebkassaCheckResponse>, { ok: false }>,
): IDataObject {
	if (outcome.data?.CheckNumber)
		return { ...checkOutput(kind, request, total, outcome.data), duplicate: true };
	const fiscalNumber = /(\d{6,})\s*\.?\s*$/.exec(String(outcome.error.Text ?? ''))?.[1] ?? null;
	return {
		operation: kind,
		duplicate: true,
		externalCheckNumber: request.ExternalCheckNumber,
		fiscalNumber,
		cashboxUniqueNumber: request.CashboxUniqueNumber,
	};
}

/** The rate Webkassa refused, as "16%" or "no VAT", when code 9 is about a position's VAT rate. */
function refusedRate(request: WebkassaCheckRequest, error: WebkassaError): string | undefined {
	const text = String(error.Text ?? '');
	if (!REFUSED_TAX_RATE.test(text)) return undefined;
	// Webkassa names the position: "Позиция '<name>' содержит неподдерживаемое … значение налоговой ставки".
	const named = /'([^']+)'/.exec(text)?.[1];
	const position =
		request.Positions.find((entry) => entry.PositionName === named) ?? request.Positions[0];
	return position?.TaxPercent ? `${position.TaxPercent}%` : 'no VAT';
}

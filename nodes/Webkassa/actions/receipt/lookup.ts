import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { tryWebkassa, webkassaApiError, WEBKASSA_CREDENTIAL } from '../../transport';
import { latestShifts } from '../../transport/shifts';
import type { WebkassaHistoryReceipt, WebkassaPrintLine } from '../../transport/types';

/** How many recent shifts a lookup without a shift number searches. */
const SHIFTS_SEARCHED = 3;
const NOT_FOUND_CODES = new Set([15, 16, 19]);

/**
 * Webkassa dates come as "dd.MM.yyyy HH:mm:ss" (Almaty time unless an offset follows) or ISO.
 * `ReturnBasisDetails.DateTime` wants ISO (docs/services/webkassa.md, "Dates" and "Return basis").
 */
export function toIsoDate(value: unknown): string | undefined {
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	const match =
		/^(\d{2})\.(\d{2})\.(\d{4})[ T](\d{2}):(\d{2}):(\d{2})(?:\s*([+-]\d{2}:\d{2}))?/.exec(
			value.trim(),
		);
	const parsed = match
		? Date.parse(
				`${match[3]}-${match[2]}-${match[1]}T${match[4]}:${match[5]}:${match[6]}${match[7] ?? '+05:00'}`,
			)
		: Date.parse(value);
	return Number.isNaN(parsed) ? undefined : new Date(parsed).toISOString();
}

/** The fiscal number (`i`) and the OFD link from a receipt's QR code line. */
function parseTicketQr(lines: WebkassaPrintLine[]): { fiscalNumber?: string; ticketUrl?: string } {
	const qr = lines.find((line) => line.Type === 2 && typeof line.Value === 'string');
	if (!qr) return {};
	try {
		const url = new URL(qr.Value);
		return { fiscalNumber: url.searchParams.get('i') ?? undefined, ticketUrl: qr.Value };
	} catch {
		return {};
	}
}

export function receiptFromHistory(receipt: WebkassaHistoryReceipt, cashbox: string): IDataObject {
	return {
		fiscalNumber: String(receipt.Number),
		shiftNumber: receipt.ShiftNumber,
		externalCheckNumber: receipt.ExternalCheckNumber ?? null,
		externalOrderNumber: receipt.ExternalOrderNumber ?? null,
		operationType: receipt.OperationType,
		dateTime: toIsoDate(receipt.RegistratedOn) ?? receipt.RegistratedOn,
		total: receipt.Total,
		ticketUrl: receipt.TicketUrl ?? null,
		ticketPrintUrl: receipt.TicketPrintUrl ?? null,
		offline: receipt.IsOffline === true,
		cashboxUniqueNumber: cashbox,
		registrationNumber: receipt.CashboxRegistrationNumber ?? null,
	};
}

/** Shift numbers to search, newest first. */
async function recentShifts(
	context: IExecuteFunctions,
	cashbox: string,
	itemIndex: number,
): Promise<number[]> {
	return (await latestShifts(context, cashbox, SHIFTS_SEARCHED, itemIndex)).map(
		(shift) => shift.ShiftNumber,
	);
}

/** A receipt by its fiscal number, in the given shift or in the last few shifts. */
export async function findByFiscalNumber(
	context: IExecuteFunctions,
	cashbox: string,
	fiscalNumber: string,
	itemIndex: number,
	shiftNumber?: number,
): Promise<WebkassaHistoryReceipt | undefined> {
	const shifts = shiftNumber ? [shiftNumber] : await recentShifts(context, cashbox, itemIndex);
	for (const shift of shifts) {
		const receipt = await historyByNumber(context, cashbox, fiscalNumber, shift, itemIndex);
		if (receipt) return receipt;
	}
	return undefined;
}

async function historyByNumber(
	context: IExecuteFunctions,
	cashbox: string,
	fiscalNumber: string,
	shift: number,
	itemIndex: number,
): Promise<WebkassaHistoryReceipt | undefined> {
	const outcome = await tryWebkassa<WebkassaHistoryReceipt>(
		context,
		'historyByNumber',
		{ CashboxUniqueNumber: cashbox, Number: fiscalNumber, ShiftNumber: shift },
		{ itemIndex, idempotent: true },
	);
	if (outcome.ok) return outcome.data;
	if (NOT_FOUND_CODES.has(outcome.error.Code)) return undefined;
	throw webkassaApiError(context, 'historyByNumber', outcome.error, itemIndex);
}

/** The fiscal number in a direct lookup's answer (its field name is not documented: both seen). */
function fiscalNumberOf(ticket: IDataObject): string | undefined {
	const value = ticket.CheckNumber ?? ticket.Number;
	return value === undefined || value === null || value === '' ? undefined : String(value);
}

/**
 * The v4 history API's direct lookup, shift by shift (it needs the shift number). `undefined` when
 * the account has no such route (HTTP 404) or the receipt is in none of the last shifts; the
 * caller then falls back to the printable form.
 */
async function findByDirectLookup(
	context: IExecuteFunctions,
	cashbox: string,
	externalNumber: string,
	itemIndex: number,
): Promise<WebkassaHistoryReceipt | undefined> {
	for (const shift of await recentShifts(context, cashbox, itemIndex)) {
		let outcome;
		try {
			outcome = await tryWebkassa<IDataObject>(
				context,
				'ticketByExternalNumber',
				{ CashboxUniqueNumber: cashbox, ExternalCheckNumber: externalNumber, ShiftNumber: shift },
				{ itemIndex, idempotent: true },
			);
		} catch (error) {
			// No history API on this account or host: the print-form route still works.
			if (error instanceof NodeApiError && String(error.httpCode) === '404') return undefined;
			throw error instanceof NodeApiError
				? error
				: new NodeApiError(context.getNode(), { message: String(error) }, { itemIndex });
		}
		if (!outcome.ok) {
			if (NOT_FOUND_CODES.has(outcome.error.Code)) continue;
			throw webkassaApiError(context, 'ticketByExternalNumber', outcome.error, itemIndex);
		}
		const fiscalNumber = fiscalNumberOf(outcome.data);
		if (fiscalNumber)
			return await historyByNumber(context, cashbox, fiscalNumber, shift, itemIndex);
	}
	return undefined;
}

/**
 * A receipt by its external number. On v4 the history API's direct lookup is tried first; then
 * the printable form (keyed by external number), whose QR code carries the fiscal number, which
 * finds the receipt in the shift history (docs/services/webkassa.md, "Lookup by external number").
 * Returns undefined when Webkassa knows no such external number.
 */
export async function findByExternalNumber(
	context: IExecuteFunctions,
	cashbox: string,
	externalNumber: string,
	itemIndex: number,
): Promise<IDataObject | undefined> {
	const credentials = await context.getCredentials(WEBKASSA_CREDENTIAL, itemIndex);
	if (credentials.apiFamily !== 'legacy') {
		const direct = await findByDirectLookup(context, cashbox, externalNumber, itemIndex);
		if (direct)
			return { ...receiptFromHistory(direct, cashbox), externalCheckNumber: externalNumber };
	}
	const outcome = await tryWebkassa<{ Lines?: WebkassaPrintLine[] } | WebkassaPrintLine[]>(
		context,
		'printFormat',
		// PrintFormat declares IsDuplicate as required; false asks for the receipt itself.
		{
			CashboxUniqueNumber: cashbox,
			ExternalCheckNumber: externalNumber,
			PaperKind: 0,
			IsDuplicate: false,
		},
		{ itemIndex, idempotent: true },
	);
	if (!outcome.ok) {
		if (NOT_FOUND_CODES.has(outcome.error.Code)) return undefined;
		throw webkassaApiError(context, 'printFormat', outcome.error, itemIndex);
	}
	const lines = Array.isArray(outcome.data) ? outcome.data : (outcome.data.Lines ?? []);
	const qr = parseTicketQr(lines);
	if (!qr.fiscalNumber) {
		return {
			externalCheckNumber: externalNumber,
			fiscalNumber: null,
			ticketUrl: null,
			cashboxUniqueNumber: cashbox,
		};
	}
	const receipt = await findByFiscalNumber(context, cashbox, qr.fiscalNumber, itemIndex);
	if (!receipt) {
		return {
			fiscalNumber: qr.fiscalNumber,
			shiftNumber: null,
			externalCheckNumber: externalNumber,
			ticketUrl: qr.ticketUrl ?? null,
			cashboxUniqueNumber: cashbox,
		};
	}
	return { ...receiptFromHistory(receipt, cashbox), externalCheckNumber: externalNumber };
}

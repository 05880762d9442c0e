import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { tryWebkassa, webkassaApiError, webkassaRequest } from '../../transport';
import type {
	WebkassaCashboxListItem,
	WebkassaHistoryReceipt,
	WebkassaPrintLine,
	WebkassaShiftHistory,
} from '../../transport/types';

/** How many recent shifts a lookup without a shift number searches. */
const SHIFTS_SEARCHED = 3;
const NOT_FOUND_CODES = new Set([15, 16, 19]);

/**
 * Webkassa dates come as "dd.MM.yyyy HH:mm:ss" (Almaty time unless an offset follows) or ISO.
 * `ReturnBasisDetails.DateTime` wants ISO (webkassa.md §1).
 */
export function toIsoDate(value: unknown): string | undefined {
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	const match = /^(\d{2})\.(\d{2})\.(\d{4})[ T](\d{2}):(\d{2}):(\d{2})(?:\s*([+-]\d{2}:\d{2}))?/.exec(value.trim());
	const parsed = match
		? Date.parse(`${match[3]}-${match[2]}-${match[1]}T${match[4]}:${match[5]}:${match[6]}${match[7] ?? '+05:00'}`)
		: Date.parse(value);
	return Number.isNaN(parsed) ? undefined : new Date(parsed).toISOString();
}

/** The fiscal number (`i`) and the OFD link from a receipt's QR code line. */
export function parseTicketQr(lines: WebkassaPrintLine[]): { fiscalNumber?: string; ticketUrl?: string } {
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
	};
}

/** Shift numbers to search, newest first. */
async function recentShifts(context: IExecuteFunctions, cashbox: string, itemIndex: number): Promise<number[]> {
	const history = await webkassaRequest<WebkassaShiftHistory>(
		context,
		'shiftHistory',
		{ CashboxUniqueNumber: cashbox, Skip: 0, Take: SHIFTS_SEARCHED },
		{ itemIndex, idempotent: true },
	);
	return (history.Shifts ?? [])
		.map((shift) => shift.ShiftNumber)
		.sort((a, b) => b - a)
		.slice(0, SHIFTS_SEARCHED);
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
		const outcome = await tryWebkassa<WebkassaHistoryReceipt>(
			context,
			'historyByNumber',
			{ CashboxUniqueNumber: cashbox, Number: fiscalNumber, ShiftNumber: shift },
			{ itemIndex, idempotent: true },
		);
		if (outcome.ok) return outcome.data;
		if (!NOT_FOUND_CODES.has(outcome.error.Code)) {
			throw webkassaApiError(context, 'historyByNumber', outcome.error, itemIndex);
		}
	}
	return undefined;
}

/**
 * A receipt by its external number. Webkassa has no direct lookup, so: the printable form (keyed by
 * external number) carries the QR code with the fiscal number, which then finds the receipt in the
 * shift history. Returns undefined when Webkassa knows no such external number.
 */
export async function findByExternalNumber(
	context: IExecuteFunctions,
	cashbox: string,
	externalNumber: string,
	itemIndex: number,
): Promise<IDataObject | undefined> {
	const outcome = await tryWebkassa<{ Lines?: WebkassaPrintLine[] } | WebkassaPrintLine[]>(
		context,
		'printFormat',
		{ CashboxUniqueNumber: cashbox, ExternalCheckNumber: externalNumber, PaperKind: 0 },
		{ itemIndex, idempotent: true },
	);
	if (!outcome.ok) {
		if (NOT_FOUND_CODES.has(outcome.error.Code)) return undefined;
		throw webkassaApiError(context, 'printFormat', outcome.error, itemIndex);
	}
	const lines = Array.isArray(outcome.data) ? outcome.data : (outcome.data.Lines ?? []);
	const qr = parseTicketQr(lines);
	if (!qr.fiscalNumber) {
		return { externalCheckNumber: externalNumber, fiscalNumber: null, ticketUrl: null, cashboxUniqueNumber: cashbox };
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

/** The cashbox's registration number (РНМ), needed for a return's basis. */
export async function registrationNumberOf(
	context: IExecuteFunctions,
	cashbox: string,
	itemIndex: number,
): Promise<string | undefined> {
	const list = await webkassaRequest<{ List?: WebkassaCashboxListItem[] }>(context, 'cashboxes', {}, {
		itemIndex,
		idempotent: true,
	});
	return list.List?.find((entry) => entry.UniqueNumber === cashbox)?.RegistrationNumber;
}

import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { webkassaRequest } from '../../transport';
import { cashboxRLC, readCashbox } from '../common.descriptions';

/** Totals by operation from a Z/X report section (`Sell`, `ReturnSell`, …). */
function section(value: unknown): IDataObject | null {
	if (typeof value !== 'object' || value === null) return null;
	const record = value as IDataObject;
	const payments = Array.isArray(record.PaymentsByTypesApiModel)
		? (record.PaymentsByTypesApiModel as IDataObject[])
		: [];
	return {
		count: record.Count ?? 0,
		total: payments.reduce((sum, payment) => sum + Number(payment.Sum ?? 0), 0),
		vat: record.VAT ?? 0,
		discount: record.Discount ?? 0,
		change: record.Change ?? 0,
	};
}

/** The figures an operator reads from an X/Z report, with the full report beside them. */
function summariseReport(kind: 'x' | 'z', cashbox: string, report: IDataObject): IDataObject {
	return {
		report: kind === 'z' ? 'Z' : 'X',
		cashboxUniqueNumber: cashbox,
		reportNumber: report.ReportNumber ?? null,
		shiftNumber: report.ShiftNumber ?? null,
		shiftOpenedAt: report.StartOn ?? null,
		reportAt: report.ReportOn ?? null,
		shiftClosedAt: report.CloseOn ?? null,
		documentCount: report.DocumentCount ?? null,
		cashInDrawer: report.SumInCashbox ?? null,
		moneyIn: report.PutMoneySum ?? null,
		moneyOut: report.TakeMoneySum ?? null,
		sales: section(report.Sell),
		returns: section(report.ReturnSell),
		offline: report.OfflineMode === true,
		raw: report,
	};
}

/** X-Report and Z-Report differ only in the method and in whether a repeat is safe. */
export function reportOperation(kind: 'x' | 'z') {
	const method = kind === 'x' ? 'xReport' : 'zReport';
	return {
		description: updateDisplayOptions({ show: { resource: ['shift'], operation: [method] } }, [
			cashboxRLC,
		]),
		async execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
			const cashbox = readCashbox(this, itemIndex);
			// An X-report only reads; a Z-report closes the shift, so it is never repeated blindly.
			const report = await webkassaRequest<IDataObject>(
				this,
				method,
				{ CashboxUniqueNumber: cashbox },
				{
					itemIndex,
					idempotent: kind === 'x',
				},
			);
			return summariseReport(kind, cashbox, report);
		},
	};
}

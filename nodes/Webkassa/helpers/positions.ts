import { TAX_TYPE_NONE, TAX_TYPE_VAT, type WebkassaPosition } from '../transport/types';
import { fromTiyn, positionSum, toTiyn, vatIncluded } from './vat';

/** A position as read from the node's fields, amounts to the tiyn and the count to the thousandth. */
export interface PositionInput {
	name: string;
	code?: string;
	count: number;
	price: number;
	discount: number;
	unitCode: number;
	vatRate?: number;
}

/** 'none' and 0 mean no VAT; 'receipt' and empty mean the receipt's rate. Webkassa's `TaxPercent` is a whole number. */
export function parseRate(value: unknown): number | undefined {
	if (value === undefined || value === null || value === '' || value === 'receipt')
		return undefined;
	if (value === 'none') return 0;
	const rate = Number(value);
	return Number.isInteger(rate) && rate >= 0 && rate < 100 ? rate : Number.NaN;
}

/** Webkassa's limits on a position (docs/services/webkassa.md, "Limits"): `Price` up to 999 999 999, `Count` up to 4 294 967.295. */
export const MAX_PRICE = 999_999_999;
export const MAX_COUNT = 4_294_967.295;
/**
 * The largest position sum taken, in tenge: far above any real sale, and low enough that every sum,
 * tax and total stays an exact whole number of tiyn in a JavaScript number.
 */
export const MAX_POSITION_SUM = 9_999_999_999.99;
/** Positions with the VAT computed by Webkassa's formula, and the receipt total. */
export function buildPositions(
	inputs: PositionInput[],
	receiptRate: number,
): { positions: WebkassaPosition[]; total: number } {
	let totalTiyn = 0;
	const positions = inputs.map((input) => {
		const rate = input.vatRate ?? receiptRate;
		const sum = positionSum(input.price, input.count, input.discount);
		totalTiyn += toTiyn(sum);
		const position: WebkassaPosition = {
			Count: input.count,
			Price: input.price,
			Tax: vatIncluded(sum, rate),
			TaxType: rate > 0 ? TAX_TYPE_VAT : TAX_TYPE_NONE,
			PositionName: input.name,
			UnitCode: input.unitCode,
		};
		if (rate > 0) position.TaxPercent = rate;
		if (input.code) position.PositionCode = input.code;
		if (input.discount > 0) position.Discount = input.discount;
		return position;
	});
	return { positions, total: fromTiyn(totalTiyn) };
}

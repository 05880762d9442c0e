import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import {
	MAX_COUNT,
	MAX_POSITION_SUM,
	MAX_PRICE,
	parseRate,
	type PositionInput,
} from '../../helpers/positions';
import { fromTiyn, positionSum, toThousandths, toTiyn } from '../../helpers/vat';
import { UNIT_PIECE } from '../../transport/types';
import { fail } from './fail';

/** The positions of Define Below or of Positions (JSON), checked against Webkassa's limits. */
export function readPositionInputs(context: IExecuteFunctions, itemIndex: number): PositionInput[] {
	let raw: unknown[];
	if (context.getNodeParameter('positionsSource', itemIndex, 'fields') === 'json') {
		let value: unknown = context.getNodeParameter('positionsJson', itemIndex, '[]');
		if (typeof value === 'string') {
			try {
				value = JSON.parse(value) as unknown;
			} catch {
				fail(context, itemIndex, 'Positions (JSON) is not valid JSON');
			}
		}
		raw = Array.isArray(value) ? value : [value];
	} else {
		const collection = context.getNodeParameter('positions', itemIndex, {}) as {
			position?: IDataObject[];
		};
		raw = collection.position ?? [];
	}
	if (raw.length === 0)
		fail(context, itemIndex, 'The receipt has no positions', 'Add at least one position.');
	return raw.map((entry, index) => {
		const record = (typeof entry === 'object' && entry !== null ? entry : {}) as IDataObject;
		const label = `Position ${index + 1}`;
		const name = String(record.name ?? '').trim();
		if (!name) fail(context, itemIndex, `${label}: Name is empty`);
		const number = (field: string, fallback: number) => {
			const value =
				record[field] === undefined || record[field] === '' ? fallback : Number(record[field]);
			if (!Number.isFinite(value) || value < 0)
				fail(
					context,
					itemIndex,
					`${label}: ${field} must be a number ≥ 0`,
					`Got "${String(record[field])}".`,
				);
			return value;
		};
		const vatRate = parseRate(record.vatRate);
		if (Number.isNaN(vatRate))
			fail(
				context,
				itemIndex,
				`${label}: vatRate must be a whole percentage such as 16, or 0 for no VAT`,
			);
		// Amounts are kept to the tiyn and counts to the thousandth, as Webkassa keeps them, so the
		// sums computed here are the ones Webkassa computes from the request.
		const rawCount = number('count', 1);
		if (rawCount === 0) fail(context, itemIndex, `${label}: count must be more than 0`);
		const count = toThousandths(rawCount) / 1000;
		if (count === 0) fail(context, itemIndex, `${label}: count must be at least 0.001`);
		if (count > MAX_COUNT) fail(context, itemIndex, `${label}: count must be at most ${MAX_COUNT}`);
		const price = fromTiyn(toTiyn(number('price', Number.NaN)));
		if (price > MAX_PRICE) fail(context, itemIndex, `${label}: price must be at most ${MAX_PRICE}`);
		if (price * count > MAX_POSITION_SUM) {
			fail(context, itemIndex, `${label}: price × count must be at most ${MAX_POSITION_SUM}`);
		}
		const discount = fromTiyn(toTiyn(number('discount', 0)));
		if (discount > positionSum(price, count)) {
			fail(context, itemIndex, `${label}: discount must not be more than price × count`);
		}
		return {
			name: name.slice(0, 255),
			code:
				record.code === undefined || record.code === ''
					? undefined
					: String(record.code).slice(0, 50),
			count,
			price,
			discount,
			// 0 is not in Webkassa's unit reference: it means "not set", as an empty value does.
			unitCode: number('unitCode', UNIT_PIECE) || UNIT_PIECE,
			vatRate,
		};
	});
}

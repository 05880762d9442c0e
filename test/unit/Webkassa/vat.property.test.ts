/**
 * @jest-environment ./test/helpers/fuzzEnvironment.mjs
 */
/**
 * Fuzzing the Webkassa receipt arithmetic (nodes/Webkassa/helpers/vat.ts and the positions and
 * payments of helpers/positions.ts and helpers/payments.ts) against exact integer arithmetic (BigInt) as the oracle.
 * The formulas are the ones the code documents (docs/services/webkassa.md, "VAT"):
 *   position sum = Price × Count − Discount, rounded half-up to the tiyn;
 *   Tax = round(sum × p / (100 + p), 2), VAT inside the price, half-up;
 *   total = Σ position sums; Σ Payments.Sum − Change = total, change from cash only.
 * Every amount sent has at most 2 decimals, every count at most 3; invalid input (negative, NaN,
 * Infinity, absurdly large, a fractional VAT rate) stops the item with an error naming the field.
 */
import fc from 'fast-check';
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { buildPayments } from '../../../nodes/Webkassa/helpers/payments';
import { buildPositions } from '../../../nodes/Webkassa/helpers/positions';
import { resetSessions } from '../../../nodes/Webkassa/transport/session';
import {
	PAYMENT_TYPES,
	type PaymentMethod,
	type WebkassaPosition,
} from '../../../nodes/Webkassa/transport/types';
import { positionSum, vatIncluded } from '../../../nodes/Webkassa/helpers/vat';
import { CASHBOX, ok, reply, runWebkassa } from '../../helpers/webkassa';
import { expectNoUnhandledRejection, fuzzTarget } from '../../helpers/fuzz';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual<typeof import('n8n-workflow')>('n8n-workflow');
	return { ...actual, sleep: jest.fn(async () => undefined) };
});

const fuzz = fuzzTarget('webkassa vat');

// ---- the oracle: whole tiyn and thousandths as BigInt

/** a / b rounded half-up, for a ≥ 0 and b > 0. */
const halfUp = (a: bigint, b: bigint) => (2n * a + b) / (2n * b);
const taxTiyn = (sumTiyn: bigint, rate: number) =>
	rate === 0 ? 0n : halfUp(sumTiyn * BigInt(rate), BigInt(100 + rate));
const grossTiyn = (priceTiyn: bigint, countMilli: bigint) => halfUp(priceTiyn * countMilli, 1000n);
/** The tiyn of an amount that must already have at most 2 decimals. */
const tiynOf = (amount: number) => BigInt(Math.round(amount * 100));
const hasDecimals = (value: number, places: number) =>
	Number.isFinite(value) && Math.round(value * 10 ** places) / 10 ** places === value;

const RATES = [0, 5, 10, 12, 16];
const rate = fc.oneof(
	{ weight: 3, arbitrary: fc.constantFrom(...RATES) },
	{ weight: 1, arbitrary: fc.integer({ min: 0, max: 99 }) },
);
/** Up to 10 billion tenge, in tiyn: the largest position sum the node takes. */
const sumTiyn = fc.oneof(
	fc.integer({ min: 0, max: 100_000_00 }),
	fc.integer({ min: 0, max: 999_999_999_999 }),
);
/** Unit prices up to Webkassa's 999 999 999 ₸, mostly shop-sized. */
const priceTiyn = fc.oneof(
	{ weight: 3, arbitrary: fc.integer({ min: 0, max: 5_000_000_00 }) },
	{ weight: 1, arbitrary: fc.integer({ min: 0, max: 999_999_999_00 }) },
);
/** Counts in thousandths: pieces mostly, kilograms sometimes. */
const countMilli = fc.oneof(
	fc.integer({ min: 1, max: 20 }).map((n) => n * 1000),
	fc.integer({ min: 1, max: 50_000 }),
);

const position = fc
	.record({
		priceTiyn,
		countMilli,
		rate: fc.option(rate, { nil: undefined }),
		discountShare: fc.double({ min: 0, max: 1, noNaN: true }),
	})
	.filter(
		({ priceTiyn, countMilli }) =>
			grossTiyn(BigInt(priceTiyn), BigInt(countMilli)) <= 999_999_999_999n,
	)
	.map(({ priceTiyn, countMilli, rate, discountShare }) => {
		const gross = Number(grossTiyn(BigInt(priceTiyn), BigInt(countMilli)));
		const discountTiyn = Math.floor(gross * discountShare * (discountShare < 0.7 ? 0 : 1));
		return {
			name: 'Товар',
			price: priceTiyn / 100,
			count: countMilli / 1000,
			discount: discountTiyn / 100,
			unitCode: 796,
			vatRate: rate,
		};
	});

/** What the oracle says one sent position must carry. */
function expectPosition(
	sent: WebkassaPosition,
	receiptRate: number,
	vatRate: number | undefined,
): bigint {
	const applied = vatRate ?? receiptRate;
	const sum =
		grossTiyn(tiynOf(sent.Price), BigInt(Math.round(sent.Count * 1000))) -
		tiynOf(sent.Discount ?? 0);
	expect({
		sumNotNegative: sum >= 0n,
		price: hasDecimals(sent.Price, 2),
		count: hasDecimals(sent.Count, 3),
		tax: tiynOf(sent.Tax) === taxTiyn(sum, applied) && hasDecimals(sent.Tax, 2),
		discount: hasDecimals(sent.Discount ?? 0, 2),
		taxType: sent.TaxType === (applied > 0 ? 100 : 0),
		taxPercent: sent.TaxPercent === (applied > 0 ? applied : undefined),
	}).toEqual({
		sumNotNegative: true,
		price: true,
		count: true,
		tax: true,
		discount: true,
		taxType: true,
		taxPercent: true,
	});
	return sum;
}

describe('VAT and position sums against exact arithmetic', () => {
	it('VAT inside a sum is round(sum × p / (100 + p), 2), half-up, with at most 2 decimals', async () => {
		await fuzz.check(
			'vatIncluded = exact half-up formula',
			fc.property(sumTiyn, rate, (tiyn, percent) => {
				const tax = vatIncluded(tiyn / 100, percent);
				expect({ tiyn, percent, tax: tiynOf(tax), twoDecimals: hasDecimals(tax, 2) }).toEqual({
					tiyn,
					percent,
					tax: taxTiyn(BigInt(tiyn), percent),
					twoDecimals: true,
				});
			}),
			{ numRuns: 10000 },
		);
	});

	it('a position sum is Price × Count − Discount, rounded half-up to the tiyn, with no binary drift', async () => {
		await fuzz.check(
			'positionSum = exact product, no float drift',
			fc.property(
				priceTiyn,
				countMilli,
				fc.double({ min: 0, max: 1, noNaN: true }),
				(price, milli, share) => {
					const gross = grossTiyn(BigInt(price), BigInt(milli));
					fc.pre(gross <= 999_999_999_999n);
					const discount = BigInt(Math.floor(Number(gross) * share));
					const sum = positionSum(price / 100, milli / 1000, Number(discount) / 100);
					expect({ price, milli, sum: tiynOf(sum), twoDecimals: hasDecimals(sum, 2) }).toEqual({
						price,
						milli,
						sum: gross - discount,
						twoDecimals: true,
					});
				},
			),
			{ numRuns: 10000 },
		);
	});

	it('a receipt totals its positions, and the payments cover the total with change from cash only', async () => {
		const method = fc.constantFrom<PaymentMethod>('card', 'cash', 'mobile');
		await fuzz.check(
			'receipt total = Σ positions; Σ payments − change = total',
			fc.property(
				fc.array(position, { minLength: 1, maxLength: 8 }),
				fc.constantFrom(...RATES),
				fc.array(fc.record({ method, extraTiyn: fc.integer({ min: 0, max: 100_000 }) }), {
					minLength: 1,
					maxLength: 3,
				}),
				(inputs, receiptRate, split) => {
					const { positions, total } = buildPositions(inputs, receiptRate);
					const sums = positions.map((sent, index) =>
						expectPosition(sent, receiptRate, inputs[index].vatRate),
					);
					const totalTiyn = sums.reduce((a, b) => a + b, 0n);
					expect({ total: tiynOf(total), twoDecimals: hasDecimals(total, 2) }).toEqual({
						total: totalTiyn,
						twoDecimals: true,
					});

					// Split the total over the methods, the cash part (if any) rounded up with change.
					const shares = split.map((_, index) => (index === 0 ? totalTiyn : 0n));
					const entries = split.map(({ method }, index) => ({
						method,
						amount:
							Number(shares[index] + (method === 'cash' ? BigInt(split[index].extraTiyn) : 0n)) /
							100,
					}));
					const result = buildPayments(total, 'split', entries);
					const cashGiven = entries.some((entry) => entry.method === 'cash' && entry.amount > 0);
					const overpaid =
						entries.reduce((sum, entry) => sum + tiynOf(entry.amount), 0n) - totalTiyn;
					if (overpaid > 0n && !cashGiven) {
						expect(result).toEqual({ error: expect.stringContaining('only cash can give change') });
						return;
					}
					if ('error' in result) {
						// Overpaid beyond the cash handed over: change cannot come from card or mobile.
						expect(result.error).toMatch(/only cash can give change/);
						return;
					}
					const paid = result.payments.reduce((sum, payment) => sum + tiynOf(payment.Sum), 0n);
					expect({
						paidMinusChange: paid - tiynOf(result.change),
						change: result.change >= 0,
					}).toEqual({
						paidMinusChange: totalTiyn,
						change: true,
					});
					expect(
						result.payments.every((payment) => hasDecimals(payment.Sum, 2) && payment.Sum > 0),
					).toBe(true);
					expect(new Set(result.payments.map((payment) => payment.PaymentType)).size).toBe(
						result.payments.length,
					);
				},
			),
			{ numRuns: 3000 },
		);
	});
});

// ---- the same through the node: generated positions, valid and not, to the request it sends

const awkwardNumber = fc.constantFrom<unknown>(
	-1,
	-0.01,
	Number.NaN,
	Infinity,
	-Infinity,
	1e300,
	1e15,
	999_999_999.995,
	1_000_000_000,
	4_294_967.296,
	0.0004,
	'12',
	'1e3',
	'abc',
	'',
	null,
	true,
	[],
	{},
);
const rawPosition = fc.record(
	{
		name: fc.oneof(
			{ weight: 14, arbitrary: fc.constantFrom('Чайник', 'Доставка', 'Mouse') },
			{ weight: 1, arbitrary: fc.constantFrom('', '  ', null) },
		),
		code: fc.constantFrom(undefined, 'SKU-1', ''),
		count: fc.oneof(
			{ weight: 14, arbitrary: countMilli.map((milli) => milli / 1000) },
			{ weight: 1, arbitrary: fc.double({ min: 0, max: 10, noNaN: true }) },
			{ weight: 1, arbitrary: awkwardNumber },
		),
		price: fc.oneof(
			{ weight: 14, arbitrary: priceTiyn.map((tiyn) => tiyn / 100) },
			{ weight: 1, arbitrary: fc.double({ min: 0, max: 1e6, noNaN: true }) },
			{ weight: 1, arbitrary: awkwardNumber },
		),
		discount: fc.oneof(
			{ weight: 8, arbitrary: fc.constant(0) },
			{ weight: 4, arbitrary: fc.integer({ min: 0, max: 100_000 }).map((tiyn) => tiyn / 100) },
			{ weight: 1, arbitrary: awkwardNumber },
		),
		vatRate: fc.oneof(
			{ weight: 6, arbitrary: fc.constantFrom(undefined, '', 'receipt', 'none', 0, 12, 16, '16') },
			{ weight: 1, arbitrary: fc.constantFrom<unknown>(12.5, -1, 100, 'abc', Number.NaN) },
		),
	},
	{ requiredKeys: ['name'] },
);

/** An error that names the field at fault, in the node's words. */
const FIELD_ERROR =
	/^(Position \d+: (Name is empty|(count|price|discount|unitCode) must be a number ≥ 0|count must be more than 0|count must be at least 0.001|count must be at most 4294967.295|price must be at most 999999999|price × count must be at most 9999999999.99|discount must not be more than price × count|vatRate must be a whole percentage such as 16, or 0 for no VAT)|(Cash Received|Payment \d+): (amount must be a number from 0 to 999999999999.99|method must be card, cash or mobile)|The payments \(.+\) are less than the total \(.+\)|The payments exceed the total by .+, but only cash can give change)$/;

describe('Create Sale on generated positions', () => {
	beforeAll(() => nock.disableNetConnect());
	afterAll(() => nock.enableNetConnect());

	it('sends a consistent receipt, or stops the item with an error naming the field', async () => {
		const outcomes = { sent: 0, refused: 0 };
		await fuzz.check(
			'Create Sale: consistent request or field error',
			fc.asyncProperty(
				fc.array(rawPosition, { minLength: 1, maxLength: 3 }),
				fc.constantFrom('16', '12', 'none'),
				fc.oneof(
					{ weight: 4, arbitrary: fc.constant({ paymentMethod: 'card' }) },
					{ weight: 2, arbitrary: fc.constant({ paymentMethod: 'cash', cashReceived: 0 }) },
					{
						weight: 1,
						arbitrary: fc.record({
							paymentMethod: fc.constant('cash'),
							cashReceived: fc.oneof(fc.integer({ min: 0, max: 10_000_000 }), awkwardNumber),
						}),
					},
					{
						weight: 1,
						arbitrary: fc.record({
							paymentMethod: fc.constant('split'),
							payments: fc.record({
								payment: fc.array(
									fc.record({
										method: fc.constantFrom('card', 'cash', 'mobile', 'bitcoin'),
										amount: fc.oneof(
											fc.integer({ min: 0, max: 10_000_000 }).map((t) => t / 100),
											awkwardNumber,
										),
									}),
									{ minLength: 1, maxLength: 3 },
								),
							}),
						}),
					},
				),
				async (positions, vatRate, payment) => {
					nock.cleanAll();
					resetSessions();
					const bodies = reply('/api/v4/Check', [
						ok({
							CheckNumber: '1',
							DateTime: '22.11.2026 14:05:11',
							ShiftNumber: 1,
							Cashbox: { UniqueNumber: CASHBOX },
						}),
					]);
					const parameters: IDataObject = {
						resource: 'receipt',
						operation: 'createSale',
						cashbox: { __rl: true, mode: 'id', value: CASHBOX },
						externalCheckNumber: 'fuzz-sale',
						positionsSource: 'json',
						positionsJson: positions as IDataObject[],
						vatRate,
						options: {},
						...(payment as IDataObject),
					};
					try {
						await runWebkassa({ parameters });
					} catch (error) {
						outcomes.refused++;
						expect(error).toBeInstanceOf(NodeOperationError);
						expect({ message: (error as Error).message }).toEqual({
							message: expect.stringMatching(FIELD_ERROR),
						});
						expect(bodies).toEqual([]);
						return;
					}
					outcomes.sent++;
					expect(bodies).toHaveLength(1);
					const request = bodies[0] as {
						Positions: WebkassaPosition[];
						Payments: Array<{ Sum: number; PaymentType: number }>;
						Change: number;
					};
					const receiptRate = vatRate === 'none' ? 0 : Number(vatRate);
					const sums = request.Positions.map((sent, index) => {
						const own = positions[index].vatRate;
						const ownRate =
							own === undefined || own === '' || own === 'receipt'
								? undefined
								: own === 'none'
									? 0
									: Number(own);
						expect(sent.Price).toBeLessThanOrEqual(999_999_999);
						return expectPosition(sent, receiptRate, ownRate);
					});
					const total = sums.reduce((a, b) => a + b, 0n);
					const paid = request.Payments.reduce((sum, p) => sum + tiynOf(p.Sum), 0n);
					expect({
						paidMinusChange: paid - tiynOf(request.Change),
						changeOk: request.Change >= 0 && hasDecimals(request.Change, 2),
					}).toEqual({
						paidMinusChange: total,
						changeOk: true,
					});
					expect(
						request.Payments.every(
							(p) =>
								hasDecimals(p.Sum, 2) && Object.values(PAYMENT_TYPES).includes(p.PaymentType as 0),
						),
					).toBe(true);
				},
			),
			// 600 cases: with 300, about one run in four drew only 60 sent receipts, the floor below.
			{ numRuns: 600 },
		);
		// Both outcomes must be common, not a corner: at least a tenth of the cases each.
		expect(outcomes.sent).toBeGreaterThan(60);
		expect(outcomes.refused).toBeGreaterThan(60);
	});
});

expectNoUnhandledRejection();

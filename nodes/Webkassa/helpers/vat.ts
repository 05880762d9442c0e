/**
 * Money arithmetic of a receipt. VAT is inside the price (docs/services/webkassa.md, "VAT"):
 * `Tax = round(sum × p / (100 + p), 2)`, with the rate an input (16 % since 2026, 12 % before).
 * Amounts are handled in tiyn (1/100 tenge) so that 0.1 + 0.2 never reaches Webkassa.
 */

export function toTiyn(amount: number): number {
	return Math.round(amount * 100);
}

export function fromTiyn(tiyn: number): number {
	return Math.round(tiyn) / 100;
}

/** The VAT contained in `sum` at `percent` %, rounded half-up to the tiyn. */
export function vatIncluded(sum: number, percent: number): number {
	if (!percent) return 0;
	const tiyn = toTiyn(sum);
	return fromTiyn(Math.round((tiyn * percent) / (100 + percent)));
}

/** A count in thousandths, the precision Webkassa keeps (`Count` has 3 decimals). */
export function toThousandths(count: number): number {
	return Math.round(count * 1000);
}

/**
 * Position sum = Price × Count − Discount + Markup, rounded half-up to the tiyn. The product is
 * taken in whole tiyn × thousandths, so 1 ₸ × 1.005 is 1.01, not the 1.00 that the binary
 * 100 × 1.005 = 100.49999999999999 would give.
 */
export function positionSum(price: number, count: number, discount = 0, markup = 0): number {
	const gross = Math.round((toTiyn(price) * toThousandths(count)) / 1000);
	return fromTiyn(gross - toTiyn(discount) + toTiyn(markup));
}

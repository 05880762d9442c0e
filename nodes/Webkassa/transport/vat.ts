/**
 * Money arithmetic of a receipt. VAT is inside the price (webkassa.md §4):
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

/** Position sum = Price × Count − Discount + Markup. */
export function positionSum(price: number, count: number, discount = 0, markup = 0): number {
	return fromTiyn(Math.round(toTiyn(price) * count) - toTiyn(discount) + toTiyn(markup));
}

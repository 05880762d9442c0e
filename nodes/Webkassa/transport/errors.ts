import type { WebkassaError } from './types';

/** Codes the node acts on (docs/services/webkassa.md, "Error codes"). */
export const CODE_WRONG_CREDENTIALS = 1;
const CODE_TOKEN_EXPIRED = 2;
const CODE_NOT_AUTHORIZED = 3;
export const CODE_VALIDATION = 9;
export const CODE_SHIFT_OVER_24H = 11;
export const CODE_DUPLICATE_EXTERNAL_NUMBER = 14;
/** The service is out of order on this host; the `AlternativeDomainNames` header names others. */
export const CODE_OTHER_HOST = 505;

/** A message in English per code, and what the operator should do. */
const CODES: Record<number, { message: string; hint?: string }> = {
	[-1]: {
		message: 'unknown error',
		hint: 'Retry later; if it persists, contact Webkassa support.',
	},
	1: {
		message: 'wrong login or password',
		hint: 'Check the cashier e-mail and password in the Webkassa API credential (the password may have been changed).',
	},
	2: {
		message: 'the session token has expired',
		hint: 'The node logs in again by itself; if this persists, another system may be logging in with the same cashier account.',
	},
	3: {
		message: 'the user is not authorised',
		hint: 'The node logs in again by itself; check the cashier account in the Webkassa cabinet.',
	},
	4: {
		message: 'the cashier has no right to this operation',
		hint: 'Grant the cashier the right in the Webkassa cabinet.',
	},
	5: {
		message: 'the cashier has no access to this cashbox',
		hint: 'Assign the cashbox to the cashier in the Webkassa cabinet, or pick another cashbox.',
	},
	6: {
		message: 'cashbox not found',
		hint: 'Check the cashbox unique number (ЗНК, e.g. SWK00033717).',
	},
	7: {
		message: 'the cashbox is blocked',
		hint: 'Unblock it in the Webkassa cabinet or with the OFD.',
	},
	8: {
		message: 'not enough cash in the drawer for this withdrawal',
		hint: 'Lower the amount, or check the cash balance with an X-report.',
	},
	9: {
		message: 'the request failed validation',
		hint: 'Webkassa names the field in its text. Amounts, VAT and payments must add up.',
	},
	10: {
		message: 'the cashbox is not activated',
		hint: 'Activate the cashbox in the Webkassa cabinet.',
	},
	11: {
		message: 'the shift has been open for more than 24 hours',
		hint: 'Close the shift (Shift → Z-Report), or enable the option "Close Shift and Retry After 24 Hours".',
	},
	12: {
		message: 'the shift is already closed',
		hint: 'Nothing to close: the last shift was closed and no sale has opened a new one.',
	},
	13: {
		message: 'no open shift found',
		hint: 'Nothing to close: the cashbox has never had a shift.',
	},
	14: { message: 'this external number was already used (duplicate receipt)' },
	15: { message: 'the shift does not exist', hint: 'Check the shift number.' },
	16: { message: 'receipt not found' },
	17: { message: 'a discount or markup cannot be given here' },
	18: {
		message: 'the cashbox has been offline for more than 72 hours',
		hint: 'Restore the cashbox’s connection to the OFD; receipts are blocked until then.',
	},
	19: { message: 'no receipt with this external number' },
	20: { message: 'the date is earlier than the cashbox’s connection date' },
	505: {
		message: 'Webkassa is temporarily unavailable on this host',
		hint: 'Retry later, or point the credential’s base URL (Environment: Custom URL) at the host Webkassa names.',
	},
};

/**
 * Webkassa's text for a VAT rate the organisation is not registered for ("…неподдерживаемое вашей
 * организацией значение налоговой ставки"), and for payment type 4 on an OFD protocol below 2.0.2
 * ("Тип платежа 'Мобильные' недоступен…"). Both come as code 9 (docs/services/webkassa.md).
 */
export const REFUSED_TAX_RATE = /налогов\S* ставк/i;
const REFUSED_MOBILE_PAYMENT = /мобильн/i;
const MOBILE_HINT =
	'Payment type 4 (mobile) needs the cashbox on OFD protocol 2.0.2 or newer: choose Bank Card, or ask Webkassa or your OFD to update the cashbox.';

interface DescribedError {
	code: number;
	message: string;
	description: string;
}

/**
 * The operator's message for a Webkassa error: English first, Webkassa's own Russian text kept
 * verbatim (it often names the field), then the hint.
 */
export function describeWebkassaError(error: WebkassaError): DescribedError {
	const code = Number(error.Code);
	const known = CODES[code];
	const text = typeof error.Text === 'string' ? error.Text.trim().slice(0, 300) : '';
	let message = `Webkassa error ${code}: ${known?.message ?? 'unexpected error'}`;
	let hint = known?.hint ?? '';
	if (code === CODE_OTHER_HOST && error.alternativeHosts) {
		message += `; use ${error.alternativeHosts}`;
	}
	if (code === CODE_VALIDATION && REFUSED_MOBILE_PAYMENT.test(text)) hint = MOBILE_HINT;
	const description = [text ? `Webkassa said: «${text}».` : '', hint].filter(Boolean).join(' ');
	return { code, message, description };
}

export function firstError(errors: WebkassaError[] | undefined): WebkassaError | undefined {
	return Array.isArray(errors) && errors.length > 0 ? errors[0] : undefined;
}

export function isTokenError(errors: WebkassaError[] | undefined): boolean {
	const code = firstError(errors)?.Code;
	return code === CODE_TOKEN_EXPIRED || code === CODE_NOT_AUTHORIZED;
}

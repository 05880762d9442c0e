/**
 * Phone numbers as Kazakh merchants meet them: Kaspi's 10-digit `cellPhone`, a buyer's
 * `8 701 123 45 67`, `+7 (701) 123-45-67`, or Kaspi's mask `+0(000)-000-00-00`.
 *
 * libphonenumber-js would do this, but the package ships no runtime dependencies, so this is the
 * small piece we need for country code 7, kept in step with libphonenumber-js by property tests
 * (test/unit/shared/phone.test.ts) that use the library as the oracle.
 */

export type PhoneRejection = 'empty' | 'masked' | 'invalid';

type NormalisedPhone =
	| { ok: true; /** E.164 without the plus, e.g. `77011234567`. */ digits: string; chatId: string }
	| { ok: false; reason: PhoneRejection };

// National-number patterns for +7 copied from libphonenumber-js metadata (metadata.max.json, KZ
// fixed line, mobile and VoIP; RU mobile). A WhatsApp account for a Kazakh shop's buyer sits on one
// of these; Russian landlines and service numbers are left out on purpose. Baikonur's 33622, which
// older metadata listed as KZ, is a Russian landline to libphonenumber-js 1.13, so it is left out.
const KZ_FIXED_LINE =
	/^7(?:1(?:0(?:[23]\d|4[0-3]|59|63)|1(?:[23]\d|4[0-79]|59)|2(?:[23]\d|59)|3(?:2\d|3[0-79]|4[0-35-9]|59)|4(?:[24]\d|3[013-9]|5[1-9]|97)|5(?:2\d|3[1-9]|4[0-7]|59)|6(?:[2-4]\d|5[19]|61)|72\d|8(?:[27]\d|3[1-46-9]|4[0-5]|59))|2(?:1(?:[23]\d|4[46-9]|5[3469])|2(?:2\d|3[0679]|46|5[12679])|3(?:[2-4]\d|5[139])|4(?:2\d|3[1-35-9]|59)|5(?:[23]\d|4[0-8]|59|61)|6(?:2\d|3[1-9]|4[0-4]|59)|7(?:[2379]\d|40|5[279])|8(?:[23]\d|4[0-3]|59)|9(?:2\d|3[124578]|59)))\d{5}$/;
const KZ_MOBILE = /^7(?:0[0-25-8]|47|6[0-4]|7[15-8]|85)\d{7}$/;
const KZ_VOIP = /^751\d{7}$/;
const RU_MOBILE =
	/^9(?:[0-24-9]\d{4}|3(?:0(?:0(?:05|[124579]\d|3[0-7]|6[0-49]|8[04-9])|[1-9]\d\d)|[1-9]\d{3}))\d{4}$/;

function isKnownNationalNumber(national: string): boolean {
	return (
		KZ_MOBILE.test(national) ||
		KZ_FIXED_LINE.test(national) ||
		KZ_VOIP.test(national) ||
		RU_MOBILE.test(national)
	);
}

/** Characters people put between digits: spaces, dashes, dots, brackets, slashes. */
const DECORATION = /[\s\-.()/\u00a0]/g;

/**
 * The text of a value, or undefined for one that has none: JSON can carry an object whose
 * `toString` is not a function (`{"toString": 1}`), on which `String()` throws a TypeError.
 */
function textOf(value: unknown): string | undefined {
	try {
		return String(value);
	} catch {
		return undefined;
	}
}

function accept(digits: string): NormalisedPhone {
	return { ok: true, digits, chatId: `${digits}@c.us` };
}

/**
 * Normalises a phone number, default region Kazakhstan, to E.164 digits and a WAHA `…@c.us` chat id.
 * Numbers outside +7 are accepted when written in full international form, since WhatsApp itself
 * decides whether they exist.
 */
export function normalisePhone(input: unknown): NormalisedPhone {
	if (input === null || input === undefined) return { ok: false, reason: 'empty' };
	const text = textOf(input);
	if (text === undefined) return { ok: false, reason: 'invalid' };
	const raw = text.trim();
	if (raw === '') return { ok: false, reason: 'empty' };
	// Kaspi hides the buyer's number as +0(000)-000-00-00; other systems use stars or x's.
	if (/[*xX•]/.test(raw)) return { ok: false, reason: 'masked' };

	const compact = raw.replace(DECORATION, '');
	if (!/^\+?\d+$/.test(compact)) return { ok: false, reason: 'invalid' };
	const digitsOnly = compact.replace('+', '');
	if (/^0+$/.test(digitsOnly)) return { ok: false, reason: 'masked' };

	let national: string | undefined;
	if (compact.startsWith('+')) {
		if (!digitsOnly.startsWith('7')) {
			return /^[1-9]\d{7,14}$/.test(digitsOnly)
				? accept(digitsOnly)
				: { ok: false, reason: 'invalid' };
		}
		national = digitsOnly.slice(1);
	} else if (digitsOnly.length === 11 && /^[78]/.test(digitsOnly)) {
		// 8 is the domestic trunk prefix, 7 the country code written without a plus. Checked before
		// 8~10: eleven digits starting with 810 are a trunk-prefixed number, not a foreign one.
		national = digitsOnly.slice(1);
	} else if (digitsOnly.startsWith('810')) {
		// 8~10 is the international prefix dialled from Kazakhstan.
		const international = digitsOnly.slice(3);
		if (international.startsWith('7')) national = international.slice(1);
		else if (/^[1-9]\d{7,14}$/.test(international)) return accept(international);
		else return { ok: false, reason: 'invalid' };
	} else if (digitsOnly.length === 10) {
		// Kaspi's cellPhone: the national number without any prefix.
		national = digitsOnly;
	}

	if (national === undefined || !isKnownNationalNumber(national)) {
		return { ok: false, reason: 'invalid' };
	}
	return accept(`7${national}`);
}

/**
 * Hides the middle digits so a log line or error can still be matched to a buyer by its ends:
 * `77011234567` becomes `7701*****67`.
 */
export function maskPhone(input: unknown): string {
	const digits = (textOf(input ?? '') ?? '').replace(/\D/g, '');
	if (digits.length < 7) return '*'.repeat(digits.length);
	return `${digits.slice(0, 4)}${'*'.repeat(digits.length - 6)}${digits.slice(-2)}`;
}

/**
 * Masks every run of 9 or more digits in free text, e.g. an API error that echoes a chat id. The
 * run may be decorated the way `normalisePhone` accepts (spaces, dashes, dots, brackets, slashes).
 */
export function maskPhonesInText(text: string): string {
	return text.replace(/\+?\d[\d\s\-.()/]{7,}\d/g, (match) => {
		const digits = match.replace(/\D/g, '');
		return digits.length >= 9 ? maskPhone(digits) : match;
	});
}

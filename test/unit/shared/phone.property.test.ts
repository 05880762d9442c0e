/**
 * @jest-environment ./test/helpers/fuzzEnvironment.mjs
 */
/**
 * Fuzzing the phone normaliser (nodes/shared/phone.ts) with anything an item or an API can hand
 * it: arbitrary UTF-16 (lone surrogates, controls), JSON values, digits with separators and the
 * +7 / 8 / 7 / 8~10 prefixes, KZ and RU mobiles, too short and too long. libphonenumber-js (max
 * metadata) is the oracle for KZ and RU mobile numbers, where phone.ts says it agrees.
 */
import fc from 'fast-check';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

import { maskPhone, maskPhonesInText, normalisePhone } from '../../../nodes/shared/phone';
import { expectNoUnhandledRejection, fuzzTarget } from '../../helpers/fuzz';

const fuzz = fuzzTarget('phone');

/** Any UTF-16 code unit, lone surrogates and C0 controls included. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));
const digit = fc.constantFrom(...'0123456789');
/** Look-alikes of digits and separators that are not ASCII: fullwidth, Arabic-Indic, dashes, spaces. */
const lookAlike = fc.constantFrom(
	'７',
	'٧',
	'۷',
	'–',
	'—',
	'\u2009',
	'\u202f',
	'\u3000',
	'＋',
	'（',
);
const phoneish = fc
	.array(
		fc.oneof(
			digit,
			digit,
			fc.constantFrom(' ', '-', '(', ')', '+', '.', '/', '*', 'x'),
			lookAlike,
			codeUnit,
		),
		{
			maxLength: 30,
		},
	)
	.map((units) => units.join(''));

/** Strings and JSON values of every kind, as an item field or a Kaspi response may carry them. */
const anyInput = fc.oneof(
	fc.string({ unit: codeUnit, maxLength: 40 }),
	fc.string({ unit: 'binary', maxLength: 20 }),
	phoneish,
	fc.jsonValue({ maxDepth: 2 }),
	fc.constantFrom(
		null,
		undefined,
		Infinity,
		-Infinity,
		Number.NaN,
		7011234567,
		77011234567,
		8.5e10,
		-7011234567,
	),
	fc.bigInt(),
	// JSON can carry objects on which String() throws: {"toString": 1}.
	fc.constantFrom<unknown>(
		JSON.parse('{"toString":1}'),
		JSON.parse('[{"valueOf":null,"toString":"x"}]'),
		Object.create(null),
	),
);

/** What `String()` makes of a value, or '' where it throws. */
function textOf(value: unknown): string {
	try {
		return String(value ?? '');
	} catch {
		return '';
	}
}

const REASONS = new Set(['empty', 'masked', 'invalid']);

// ---- numbers: national part, layout, decoration

/** KZ mobile codes (libphonenumber-js 1.13 metadata) and RU mobile codes, plus neighbours that are not. */
// prettier-ignore
const KZ_MOBILE_CODES = ['700', '701', '702', '705', '706', '707', '708', '747', '760', '761', '762', '763', '764', '771', '775', '776', '777', '778', '785'];
// prettier-ignore
const NOT_MOBILE_CODES = ['703', '704', '709', '710', '740', '748', '765', '770', '779', '780', '786', '799', '800', '600', '495', '812', '111'];
const digits = (min: number, max: number) =>
	fc.array(digit, { minLength: min, maxLength: max }).map((list) => list.join(''));

const kzMobile = fc
	.tuple(fc.constantFrom(...KZ_MOBILE_CODES), digits(7, 7))
	.map(([code, rest]) => code + rest);
const ruMobile = fc.tuple(fc.constantFrom('9'), digits(9, 9)).map(([nine, rest]) => nine + rest);
const notMobile = fc
	.tuple(fc.constantFrom(...NOT_MOBILE_CODES), digits(7, 7))
	.map(([code, rest]) => code + rest);
/** One digit too few or too many, the classic typo. */
const offByOne = fc
	.tuple(fc.oneof(kzMobile, ruMobile), fc.boolean(), digit)
	.map(([national, drop, extra]) => (drop ? national.slice(0, -1) : national + extra));
const nationalNumber = fc.oneof(
	{ weight: 4, arbitrary: kzMobile },
	{ weight: 3, arbitrary: ruMobile },
	{ weight: 2, arbitrary: notMobile },
	{ weight: 2, arbitrary: offByOne },
);

type Prefix = '+7' | '8' | '7' | '' | '8 10 7' | '+ 7';
const PREFIXES: Prefix[] = ['+7', '8', '7', '', '8 10 7', '+ 7'];
const SEPARATORS = ['', ' ', '-', '.', '\u00a0', '/', '  ', ' - '];

/** Writes `text` with a random separator (maybe none) after each character; brackets around the code sometimes. */
function decorated(
	national: string,
): fc.Arbitrary<{ national: string; prefix: Prefix; text: string }> {
	return fc
		.record({
			prefix: fc.constantFrom(...PREFIXES),
			separators: fc.array(fc.constantFrom(...SEPARATORS), {
				minLength: national.length + 1,
				maxLength: national.length + 1,
			}),
			brackets: fc.boolean(),
			padding: fc.constantFrom('', ' ', '\t', '\n '),
		})
		.map(({ prefix, separators, brackets, padding }) => {
			let body = '';
			for (let index = 0; index < national.length; index++) {
				const open = brackets && index === 0 ? '(' : '';
				const close = brackets && index === 2 ? ')' : '';
				body += open + national[index] + close + separators[index];
			}
			return {
				national,
				prefix,
				text: padding + prefix + separators[national.length] + body.trim() + padding,
			};
		});
}
const writtenPhone = nationalNumber.chain(decorated);

/** libphonenumber-js's verdict for a KZ or RU number: E.164 digits when it is a KZ or RU mobile, `false` when invalid, `undefined` for other valid numbers. */
function oracle(text: string): string | false | undefined {
	for (const region of ['KZ', 'RU'] as const) {
		const parsed = parsePhoneNumberFromString(text, region);
		if (!parsed?.isValid()) continue;
		const type = parsed.getType();
		const mobile = type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE';
		return (parsed.country === 'KZ' || parsed.country === 'RU') && mobile
			? parsed.number.slice(1)
			: undefined;
	}
	return false;
}

describe('normalisePhone on arbitrary input', () => {
	it('never throws and always answers a well-formed verdict', async () => {
		await fuzz.check(
			'well-formed verdict for any input',
			fc.property(anyInput, (input) => {
				const result = normalisePhone(input);
				if (result.ok) {
					expect(result.digits).toMatch(/^[1-9]\d{7,14}$/);
					expect(result.chatId).toBe(`${result.digits}@c.us`);
				} else {
					expect(REASONS.has(result.reason)).toBe(true);
				}
			}),
			{ numRuns: 4000 },
		);
	});

	it('is idempotent: the E.164 form of an accepted number normalises to itself', async () => {
		await fuzz.check(
			'idempotence',
			fc.property(
				fc.oneof(
					{ weight: 5, arbitrary: writtenPhone.map((phone) => phone.text) },
					{ weight: 1, arbitrary: phoneish },
				),
				(input) => {
					const first = normalisePhone(input);
					fc.pre(first.ok);
					if (!first.ok) return;
					expect(normalisePhone(`+${first.digits}`)).toEqual(first);
					// An accepted +7 number is also accepted in every other layout of its national part. (The
					// bare digits of a foreign number are ambiguous, e.g. +91 12345678 is a Russian mobile
					// without its plus, so they are not compared.)
					if (first.digits.startsWith('7')) {
						const national = first.digits.slice(1);
						for (const layout of [first.digits, `8${national}`, national, `810 7 ${national}`]) {
							expect({ layout, result: normalisePhone(layout) }).toEqual({ layout, result: first });
						}
					}
				},
			),
			{ numRuns: 2500 },
		);
	});

	it('agrees with libphonenumber-js on KZ and RU mobiles, in every layout', async () => {
		const verdicts = { accepted: 0, rejected: 0 };
		await fuzz.check(
			'libphonenumber-js oracle on KZ/RU mobiles',
			fc.property(writtenPhone, ({ text }) => {
				const expected = oracle(text);
				// A valid number that is not a mobile (a KZ landline, say) is outside this comparison.
				fc.pre(expected !== undefined);
				const actual = normalisePhone(text);
				verdicts[actual.ok ? 'accepted' : 'rejected']++;
				expect({ text, digits: actual.ok ? actual.digits : false }).toEqual({
					text,
					digits: expected,
				});
			}),
			{ numRuns: 5000 },
		);
		expect(verdicts.accepted).toBeGreaterThan(1000);
		expect(verdicts.rejected).toBeGreaterThan(1000);
	});
});

describe('maskPhone', () => {
	it('never shows more than the first 4 and last 2 digits, and keeps the digit count', async () => {
		await fuzz.check(
			'mask shows at most 4 + 2 digits',
			fc.property(
				fc.oneof(
					anyInput,
					writtenPhone.map((phone) => phone.text),
				),
				(input) => {
					const masked = maskPhone(input);
					const digitsIn = textOf(input).replace(/\D/g, '');
					const shown = masked.replace(/\D/g, '');
					expect(masked).toHaveLength(digitsIn.length);
					expect(masked.replace(/[\d*]/g, '')).toBe('');
					expect(shown).toBe(digitsIn.length < 7 ? '' : digitsIn.slice(0, 4) + digitsIn.slice(-2));
				},
			),
			{ numRuns: 3000 },
		);
	});
});

/** Runs of digits as `maskPhonesInText` reads them: digits joined by the decorations it accepts. */
const digitRuns = (text: string) =>
	(text.match(/\d[\d\s\-.()/]*\d|\d/g) ?? []).map((run) => run.replace(/\D/g, ''));

describe('maskPhonesInText', () => {
	/** Text around a phone: any UTF-16 but digits, so every digit of the output comes from the phone. */
	const noDigits = fc
		.string({ unit: codeUnit, maxLength: 30 })
		.map((text) => text.replace(/\d/g, ''));

	it('leaves no full phone in the text, and at most 6 of its digits', async () => {
		await fuzz.check(
			'no full phone left in text',
			fc.property(noDigits, writtenPhone, noDigits, (before, { national, text }, after) => {
				// Text glued to the number would make it a different token, e.g. `tel:+7…`; keep a space.
				const masked = maskPhonesInText(`${before} ${text.trim()} ${after}`);
				const shown = masked.replace(/\D/g, '');
				expect(shown.length).toBeLessThanOrEqual(6);
				expect(shown).not.toContain(national);
			}),
			{ numRuns: 3000 },
		);
	});

	it('leaves no 7 digits of the number readable in one run, whatever surrounds it', async () => {
		const anyText = fc.string({
			unit: fc.oneof(codeUnit, digit, fc.constantFrom(' ', '-', '(', ')', '+')),
			maxLength: 40,
		});
		await fuzz.check(
			'no readable part of the phone in mixed text',
			fc.property(anyText, writtenPhone, anyText, (before, { national, text }, after) => {
				const windows = Array.from({ length: national.length - 6 }, (_, at) =>
					national.slice(at, at + 7),
				);
				// Digits around the number that happen to hold 7 of its digits prove nothing.
				fc.pre(!windows.some((window) => before.includes(window) || after.includes(window)));
				const masked = maskPhonesInText(before + text + after);
				const readable = digitRuns(masked).filter((run) =>
					windows.some((window) => run.includes(window)),
				);
				expect({ masked, readable }).toEqual({ masked, readable: [] });
			}),
			{ numRuns: 3000 },
		);
	});
});

expectNoUnhandledRejection();

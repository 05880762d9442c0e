/**
 * The phone normaliser against libphonenumber-js (max metadata) as the oracle. The contract, from
 * nodes/shared/phone.ts: a +7 number is accepted when it is a valid KZ fixed line, mobile or VoIP
 * number, or a valid RU mobile; the result is its E.164 form without the plus.
 */
import fc from 'fast-check';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

import { maskPhone, maskPhonesInText, normalisePhone } from '../../../nodes/shared/phone';

const KZ_TYPES = new Set(['FIXED_LINE', 'MOBILE', 'VOIP', 'FIXED_LINE_OR_MOBILE']);
const RU_TYPES = new Set(['MOBILE', 'FIXED_LINE_OR_MOBILE']);

/**
 * What libphonenumber-js says our normaliser should answer for `text`. KZ and RU share +7, the trunk
 * prefix 8 and the 8~10 exit code, but with default region KZ the library strips a country code
 * written without its plus (`79161234567`) only when the rest fits Kazakhstan; our normaliser strips
 * it for any +7 number, so the oracle asks with both regions as the default.
 */
function oracle(text: string): { ok: boolean; digits?: string } {
	const parsed = (['KZ', 'RU'] as const)
		.map((region) => parsePhoneNumberFromString(text, region))
		.find((candidate) => candidate?.isValid());
	if (!parsed) return { ok: false };
	const type = parsed.getType() ?? '';
	const accepted =
		(parsed.country === 'KZ' && KZ_TYPES.has(type)) ||
		(parsed.country === 'RU' && RU_TYPES.has(type));
	return accepted ? { ok: true, digits: parsed.number.slice(1) } : { ok: false };
}

function digitString(length: number): fc.Arbitrary<string> {
	return fc
		.array(fc.integer({ min: 0, max: 9 }), { minLength: length, maxLength: length })
		.map((digits) => digits.join(''));
}

/** A prefix followed by random digits up to ten in all. */
function national(prefix: fc.Arbitrary<string>): fc.Arbitrary<string> {
	return prefix.chain((start) => digitString(10 - start.length).map((rest) => start + rest));
}

/** Prefixes where valid KZ and RU numbers live, so the valid side is well covered too. */
// prettier-ignore
const KNOWN_PREFIXES = [
	'700', '701', '702', '705', '706', '707', '708', '747', '751', '760', '764', '771', '775',
	'776', '777', '778', '785', '7172', '7212', '7252', '727', '33622', '900', '912', '916',
	'926', '930', '9300', '9301', '936', '950', '977', '999',
];

/** Ten-digit national numbers: mostly starting with 7 or 9, some with any other first digit. */
const nationalNumber = fc.oneof(
	{ weight: 3, arbitrary: national(fc.constantFrom('7', '9')) },
	{ weight: 3, arbitrary: national(fc.constantFrom(...KNOWN_PREFIXES)) },
	{ weight: 2, arbitrary: national(fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '8')) },
);

const separator = fc.constantFrom(' ', '-', '.', '\u00a0', '');
type Layout = 'plus7' | 'trunk8' | 'country7' | 'bare';

/** `+7 (701) 123-45-67`, `8 701 123 45 67`, `77011234567`, `7011234567` and their mixes. */
const rendered = fc
	.record({
		national: nationalNumber,
		layout: fc.constantFrom<Layout>('plus7', 'trunk8', 'country7', 'bare'),
		brackets: fc.boolean(),
		separators: fc.array(separator, { minLength: 4, maxLength: 4 }),
		padding: fc.constantFrom('', ' ', '  '),
	})
	.map(({ national, layout, brackets, separators, padding }) => {
		const groups = [
			national.slice(0, 3),
			national.slice(3, 6),
			national.slice(6, 8),
			national.slice(8),
		];
		const area = brackets && layout !== 'bare' ? `(${groups[0]})` : groups[0];
		const prefix = { plus7: '+7', trunk8: '8', country7: '7', bare: '' }[layout];
		const body = [area, ...groups.slice(1)]
			.map((group, index) => (index === 0 ? group : separators[index] + group))
			.join('');
		const text = prefix ? prefix + separators[0] + body : body;
		return { national, text: padding + text + padding };
	});

/** Phone-like digit strings of any length, with decoration between the digits. */
const decoratedDigits = fc
	.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.constantFrom('', '', ' ', '-', '(', ')')), {
		minLength: 0,
		maxLength: 20,
	})
	.map((pairs) => pairs.map(([digit, decoration]) => `${digit}${decoration}`).join(''));

const ORACLE_RUNS = 10000;
const MASK_RUNS = 2000;
const TEXT_RUNS = 3000;

describe('normalisePhone: examples', () => {
	it.each(['8 701 123 45 67', '+7 (701) 123-45-67', '77011234567', '7011234567'])(
		'%s becomes 77011234567@c.us',
		(input) => {
			expect(normalisePhone(input)).toEqual({
				ok: true,
				digits: '77011234567',
				chatId: '77011234567@c.us',
			});
		},
	);

	it.each(['+0(000)-000-00-00', '0000000000', '+7 701 *** ** 67', '7701xxxxx67'])(
		'%s is masked',
		(input) => {
			expect(normalisePhone(input)).toEqual({ ok: false, reason: 'masked' });
		},
	);

	it.each([[''], ['   '], [null], [undefined]])('%p is empty', (input) => {
		expect(normalisePhone(input)).toEqual({ ok: false, reason: 'empty' });
	});

	it.each(['hello', '+7 701 123 45 6a', '12345', '7012345', '+7 495 123 45 67', '+7'])(
		'%s is invalid',
		(input) => {
			expect(normalisePhone(input)).toEqual({ ok: false, reason: 'invalid' });
		},
	);

	it('accepts a Russian mobile and a Kazakh landline, and foreign numbers in full form', () => {
		expect(normalisePhone('8 (916) 123-45-67')).toMatchObject({ ok: true, digits: '79161234567' });
		expect(normalisePhone('+7 7172 12 34 56')).toMatchObject({ ok: true, digits: '77172123456' });
		expect(normalisePhone('+49 30 1234567')).toMatchObject({ ok: true, digits: '49301234567' });
		expect(normalisePhone('810 49 30 1234567')).toMatchObject({
			ok: true,
			digits: '49301234567',
		});
	});
});

describe('normalisePhone against libphonenumber-js', () => {
	it(`agrees on validity and E.164 digits for rendered +7 numbers (numRuns ${ORACLE_RUNS})`, () => {
		const outcomes = { accepted: 0, rejected: 0 };
		fc.assert(
			fc.property(rendered, ({ text }) => {
				const expected = oracle(text);
				const actual = normalisePhone(text);
				outcomes[actual.ok ? 'accepted' : 'rejected']++;
				const ours = actual.ok ? { ok: true, digits: actual.digits } : { ok: false };
				if (ours.ok !== expected.ok || ours.digits !== expected.digits) {
					expect({ text, ...ours }).toEqual({ text, ...expected });
				}
				if (actual.ok) expect(actual.chatId).toBe(`${expected.digits}@c.us`);
			}),
			{ numRuns: ORACLE_RUNS },
		);
		// Both sides of the contract are exercised, not just a sea of invalid numbers.
		expect(outcomes.accepted).toBeGreaterThan(ORACLE_RUNS / 5);
		expect(outcomes.rejected).toBeGreaterThan(ORACLE_RUNS / 5);
	});

	it(`gives the same answer for every layout of one number (numRuns ${ORACLE_RUNS / 4})`, () => {
		fc.assert(
			fc.property(nationalNumber, (digits) => {
				const layouts = [`+7${digits}`, `8${digits}`, `7${digits}`, digits].map(normalisePhone);
				const first = JSON.stringify(layouts[0]);
				for (const layout of layouts.slice(1)) expect(JSON.stringify(layout)).toBe(first);
			}),
			{ numRuns: ORACLE_RUNS / 4 },
		);
	});
});

describe('maskPhone', () => {
	it('shows the first 4 and last 2 digits', () => {
		expect(maskPhone('77011234567')).toBe('7701*****67');
		expect(maskPhone('+7 (701) 123-45-67')).toBe('7701*****67');
		expect(maskPhone('123456')).toBe('******');
		expect(maskPhone(null)).toBe('');
	});

	it(`never reveals more than the first 4 and last 2 digits (numRuns ${MASK_RUNS})`, () => {
		fc.assert(
			fc.property(decoratedDigits, (input) => {
				const digits = input.replace(/\D/g, '');
				const masked = maskPhone(input);
				const shown = masked.replace(/\D/g, '');
				expect(masked).toHaveLength(digits.length);
				expect(shown).toBe(digits.length < 7 ? '' : digits.slice(0, 4) + digits.slice(-2));
			}),
			{ numRuns: MASK_RUNS },
		);
	});
});

describe('maskPhonesInText', () => {
	it('masks a chat id and leaves short numbers alone', () => {
		expect(maskPhonesInText('No chat 77011234567@c.us for order 512345')).toBe(
			'No chat 7701*****67@c.us for order 512345',
		);
	});

	it(`removes every rendered phone number from text (numRuns ${TEXT_RUNS})`, () => {
		fc.assert(
			fc.property(
				rendered,
				fc.constantFrom('Call ', 'Buyer: ', '', 'tel '),
				fc.constantFrom(' now', ', thanks', '', '.'),
				({ national, text }, before, after) => {
					const masked = maskPhonesInText(before + text.trim() + after);
					const shown = masked.replace(/\D/g, '');
					expect(masked).not.toContain(national);
					// Only the masked ends of the number may remain: at most 4 + 2 digits.
					expect(shown.length).toBeLessThanOrEqual(6);
				},
			),
			{ numRuns: TEXT_RUNS },
		);
	});
});

/** `{"toString": 1}` parsed from JSON: `String()` throws a TypeError on it. */
const hostile = JSON.parse('{"toString":1}') as unknown;

// Found by test/unit/shared/phone.property.test.ts.
describe('phone: values String() cannot convert', () => {
	it('are an invalid number and mask to nothing, instead of a TypeError', () => {
		expect(normalisePhone(hostile)).toEqual({ ok: false, reason: 'invalid' });
		expect(normalisePhone(Object.create(null))).toEqual({ ok: false, reason: 'invalid' });
		expect(maskPhone(hostile)).toBe('');
	});
});

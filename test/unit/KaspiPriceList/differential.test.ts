/**
 * Differential tests: the pack's validator (generated from schemas/kaspishopping.xsd) against
 * libxml2 (libxmljs2) with the same XSD, on generated and mutated price lists. Both engines must
 * give the same verdict on every document; where both find schema errors, the pack's first error
 * must be on a line libxml2 also reports.
 */
import { parseXml, type Document } from 'libxmljs2';

import { KASPI_SCHEMA } from '../../../nodes/KaspiPriceList/generated/kaspiSchema';
import { validateXml } from '../../../nodes/KaspiPriceList/xml/validator';
import { MUTATIONS, fuzz, mutate } from '../../helpers/pricelist';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const codegen = require('../../../schemas/xsd-codegen.js') as { readSchemaText: () => string };

const xsd = parseXml(codegen.readSchemaText());

interface Verdict {
	valid: boolean;
	/** False when libxml2 refused to build a document (a fatal well-formedness error). */
	parsed: boolean;
	/** Schema validation ran (no namespace or other recoverable parse error before it). */
	validated: boolean;
	lines: number[];
	messages: string[];
}

function libxml2(xml: string): Verdict {
	let doc: Document;
	try {
		doc = parseXml(xml);
	} catch (error) {
		return {
			valid: false,
			parsed: false,
			validated: false,
			lines: [],
			messages: [String((error as Error).message)],
		};
	}
	// Level 1 is a warning (e.g. "URI kaspiShopping is not absolute"), not an error.
	const parseErrors = doc.errors.filter((e) => (e.level ?? 2) >= 2);
	if (parseErrors.length) {
		return {
			valid: false,
			parsed: true,
			validated: false,
			lines: [],
			messages: parseErrors.map((e) => e.message),
		};
	}
	const valid = doc.validate(xsd);
	const errors = doc.validationErrors.filter((e) => (e.level ?? 2) >= 2);
	return {
		valid,
		parsed: true,
		validated: true,
		lines: errors.map((e) => e.line ?? 0),
		messages: errors.map((e) => e.message),
	};
}

const SEEDS_PER_MUTATION = 8;
const cases = MUTATIONS.flatMap((mutation) =>
	Array.from({ length: SEEDS_PER_MUTATION }, (_, i) => ({
		mutation,
		seed: 1000 + i * 7919 + mutation.name.length,
	})),
);

describe('Kaspi price-list validator agrees with libxml2', () => {
	it('covers hundreds of documents', () => {
		expect(cases.length).toBeGreaterThanOrEqual(500);
	});

	it.each(cases.map((c) => [c.mutation.name, c.seed, c] as const))(
		'on %s (seed %d)',
		(_name, _seed, { mutation, seed }) => {
			const xml = mutate(seed, mutation);
			const oracle = libxml2(xml);
			const ours = validateXml(xml, KASPI_SCHEMA);
			const context = `\n${xml}\nlibxml2: ${oracle.messages.join(' | ')}\nours: ${JSON.stringify(ours.errors)}`;
			expect({ verdict: ours.valid, context }).toEqual({ verdict: oracle.valid, context });
			if (mutation.valid !== undefined) expect(ours.valid).toBe(mutation.valid);
			if (!oracle.valid && oracle.validated && oracle.lines.length) {
				expect(ours.wellFormed).toBe(true);
				expect(oracle.lines).toContain(ours.errors[0].line);
			}
			if (!oracle.parsed) expect(ours.wellFormed).toBe(false);
		},
	);
});

describe('random edits of valid price lists', () => {
	const seeds = Array.from({ length: 400 }, (_, i) => 50_000 + i);
	it.each(seeds)('fuzz seed %d gets the same verdict from both engines', (seed) => {
		const xml = fuzz(seed);
		const oracle = libxml2(xml);
		const ours = validateXml(xml, KASPI_SCHEMA);
		expect({ valid: ours.valid, xml }).toEqual({ valid: oracle.valid, xml });
		if (!oracle.parsed) expect(ours.wellFormed).toBe(false);
	});

	it('the fuzzed set holds both verdicts in quantity', () => {
		const verdicts = Array.from(
			{ length: 400 },
			(_, i) => validateXml(fuzz(50_000 + i), KASPI_SCHEMA).valid,
		);
		expect(verdicts.filter(Boolean).length).toBeGreaterThan(25);
		expect(verdicts.filter((v) => !v).length).toBeGreaterThan(40);
	});
});

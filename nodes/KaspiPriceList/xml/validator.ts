import { FatalError, scan } from './scanner';
import { schemaCheck } from './schemaCheck';
import type { SchemaModel } from './schemaModel';

export { checkSimpleValue } from './simpleTypes';

/**
 * A single-pass XML 1.0 + Namespaces well-formedness checker and XSD validator driven by a
 * compiled schema model (generated from the XSD at build time). It reads the document once, keeps
 * only the open-element stack, and finds line numbers only for the errors it reports, so a
 * 100,000-offer price list validates in about the time it takes to scan it.
 *
 * Verdicts follow libxml2 (the differential tests check that); messages follow its wording.
 */

export interface XmlProblem {
	line: number;
	column: number;
	message: string;
}

interface XmlValidationResult {
	valid: boolean;
	/** False when the document is not even well-formed XML; validation stopped at the first error. */
	wellFormed: boolean;
	errors: XmlProblem[];
	/** All errors found, including those beyond `maxErrors`. */
	errorCount: number;
}

/** Validates a whole document held in a string against a compiled schema. */
export function validateXml(
	xml: string,
	schema: SchemaModel,
	maxErrors = 100,
): XmlValidationResult {
	const errors: XmlProblem[] = [];
	let errorCount = 0;

	// Line numbers are computed on demand from the last position located, forwards or backwards.
	let lineAt = 0;
	let lineNumber = 1;
	const isBreak = (i: number) => {
		const c = xml.charCodeAt(i);
		return c === 0xa || (c === 0xd && xml.charCodeAt(i + 1) !== 0xa);
	};
	function locate(position: number): { line: number; column: number } {
		for (let i = lineAt; i < position; i++) if (isBreak(i)) lineNumber++;
		for (let i = lineAt - 1; i >= position; i--) if (isBreak(i)) lineNumber--;
		lineAt = position;
		let lineStart = position;
		while (lineStart > 0 && !isBreak(lineStart - 1)) lineStart--;
		return { line: lineNumber, column: position - lineStart + 1 };
	}
	function report(position: number, message: string): void {
		errorCount++;
		if (errors.length < maxErrors) errors.push({ ...locate(position), message });
	}

	try {
		scan(xml, schemaCheck(xml, schema, report), {
			report,
			line: (position) => locate(position).line,
		});
	} catch (error) {
		// A bug here must not pass a document as valid: any other failure counts as a fatal error.
		const fatal =
			error instanceof FatalError
				? error
				: new FatalError(0, `Validator failure: ${String(error)}`);
		report(fatal.position, fatal.message);
		return { valid: false, wellFormed: false, errors, errorCount };
	}
	return { valid: errorCount === 0, wellFormed: true, errors, errorCount };
}

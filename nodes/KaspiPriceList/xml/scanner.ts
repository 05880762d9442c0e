import {
	firstInvalidChar,
	isSpace,
	isXmlChar,
	NAME,
	PREDEFINED,
	REFERENCE,
	XML_DECL,
} from './chars';

/**
 * The XML 1.0 scanner: reads the document once, checks what well-formedness needs at the level of
 * characters and tags, and hands text, start tags and end tags to the content handler.
 */

/** A well-formedness error: the scan stops at it. */
export class FatalError extends Error {
	constructor(
		readonly position: number,
		message: string,
	) {
		super(message);
	}
}

export interface RawAttribute {
	qname: string;
	value: string;
	position: number;
}

/** Where errors go, and the line of a position (for the messages that name one). */
interface Reporter {
	report(position: number, message: string): void;
	line(position: number): number;
}

/** What the scanner hands on, in document order. */
export interface ContentHandler {
	text(from: number, to: number, position: number, isCdata: boolean): void;
	startElement(
		qname: string,
		attributes: RawAttribute[],
		position: number,
		selfClosing: boolean,
	): void;
	endElement(position: number): void;
	/** The innermost open element, if any. */
	openElement(): { qname: string; start: number } | undefined;
	/** Whether the root element has started. */
	readonly rootSeen: boolean;
}

/** The text of character data or an attribute value: line ends normalised, references replaced. */
export function decode(raw: string, offset: number, attribute: boolean): string {
	let value = raw;
	if (value.includes('\r')) value = value.replace(/\r\n?/g, '\n');
	if (attribute && /[\t\n]/.test(value)) value = value.replace(/[\t\n]/g, ' ');
	if (!value.includes('&')) return value;
	let out = '';
	let at = 0;
	for (let amp = value.indexOf('&'); amp >= 0; amp = value.indexOf('&', at)) {
		out += value.slice(at, amp);
		REFERENCE.lastIndex = amp;
		const match = REFERENCE.exec(value);
		if (!match) {
			const entity = /^&([^;\s&<]*);/.exec(value.slice(amp, amp + 60));
			throw new FatalError(
				offset + amp,
				entity
					? `Entity '${entity[1]}' not defined`
					: "xmlParseEntityRef: no name (a bare '&' must be written &amp;)",
			);
		}
		if (match[1]) out += PREDEFINED[match[1]];
		else {
			const code = match[2] !== undefined ? parseInt(match[2], 10) : parseInt(match[3], 16);
			if (!isXmlChar(code))
				throw new FatalError(offset + amp, `xmlParseCharRef: invalid xmlChar value ${code}`);
			out += String.fromCodePoint(code);
		}
		at = REFERENCE.lastIndex;
	}
	return out + value.slice(at);
}

/** Scans a whole document; throws a FatalError at the first well-formedness error. */
export function scan(xml: string, content: ContentHandler, reporter: Reporter): void {
	function readName(position: number): string {
		// ASCII names (every name of a Kaspi price list) without the regular expression.
		let at = position;
		let c = xml.charCodeAt(at);
		if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x3a) {
			do c = xml.charCodeAt(++at);
			while (
				(c >= 0x61 && c <= 0x7a) ||
				(c >= 0x41 && c <= 0x5a) ||
				(c >= 0x30 && c <= 0x3a) ||
				c === 0x5f ||
				c === 0x2d ||
				c === 0x2e
			);
			if (!(c >= 0x80)) return xml.slice(position, at);
		}
		NAME.lastIndex = position;
		const match = NAME.exec(xml);
		if (!match) throw new FatalError(position, 'StartTag: invalid element name');
		return match[0];
	}

	const invalid = firstInvalidChar(xml);
	const end = invalid < 0 ? xml.length : invalid;

	let i = xml.charCodeAt(0) === 0xfeff ? 1 : 0;
	if (xml.startsWith('<?xml', i) && /[ \t\r\n]/.test(xml.charAt(i + 5))) {
		const declaration = XML_DECL.exec(xml.slice(i, i + 300));
		if (!declaration) throw new FatalError(i, 'Malformed XML declaration');
		const encoding = declaration[3];
		if (encoding && !/^utf-?8$/i.test(encoding)) {
			throw new FatalError(i, `Unsupported encoding ${encoding}: a Kaspi price list is UTF-8`);
		}
		i += declaration[0].length;
	}
	while (i < end) {
		const lt = xml.indexOf('<', i);
		const textEnd = lt < 0 || lt > end ? end : lt;
		if (textEnd > i) content.text(i, textEnd, i, false);
		if (textEnd === end) break;
		i = lt;
		const next = xml.charCodeAt(i + 1);
		if (next === 0x2f /* / */) {
			const name = readName(i + 2);
			let close = i + 2 + name.length;
			while (close < end && isSpace(xml.charCodeAt(close))) close++;
			if (xml.charCodeAt(close) !== 0x3e || close >= end)
				throw new FatalError(i, `expected '>' after </${name}`);
			const open = content.openElement();
			if (!open) throw new FatalError(i, `Unexpected end tag : ${name}`);
			if (open.qname !== name) {
				throw new FatalError(
					i,
					`Opening and ending tag mismatch: ${open.qname} line ${reporter.line(open.start)} and ${name}`,
				);
			}
			content.endElement(i);
			i = close + 1;
		} else if (next === 0x21 /* ! */) {
			if (xml.startsWith('<!--', i)) {
				const close = xml.indexOf('-->', i + 4);
				if (close < 0 || close + 3 > end) throw new FatalError(i, 'Comment not terminated');
				const dashes = xml.indexOf('--', i + 4);
				if (dashes < close) throw new FatalError(dashes, 'Double hyphen within comment');
				i = close + 3;
			} else if (xml.startsWith('<![CDATA[', i)) {
				const close = xml.indexOf(']]>', i + 9);
				if (close < 0 || close + 3 > end) throw new FatalError(i, 'CData section not finished');
				if (!content.openElement())
					throw new FatalError(i, 'CData section outside the root element');
				content.text(i + 9, close, i, true);
				i = close + 3;
			} else if (xml.startsWith('<!DOCTYPE', i)) {
				throw new FatalError(i, 'A document type declaration is not allowed in a Kaspi price list');
			} else throw new FatalError(i, 'StartTag: invalid element name');
		} else if (next === 0x3f /* ? */) {
			const target = readName(i + 2);
			if (/^xml$/i.test(target))
				throw new FatalError(i, 'XML declaration allowed only at the start of the document');
			if (target.includes(':'))
				reporter.report(i, `colons are forbidden from PI names '${target}'`);
			const close = xml.indexOf('?>', i + 2);
			if (close < 0 || close + 2 > end) throw new FatalError(i, 'PI not terminated');
			const after = xml.charAt(i + 2 + target.length);
			if (close !== i + 2 + target.length && !/[ \t\r\n]/.test(after))
				throw new FatalError(i, `ParsePI: PI ${target} space expected`);
			i = close + 2;
		} else {
			const name = readName(i + 1);
			let at = i + 1 + name.length;
			const attributes: RawAttribute[] = [];
			for (;;) {
				let spaced = false;
				while (at < end && isSpace(xml.charCodeAt(at))) {
					at++;
					spaced = true;
				}
				const c = xml.charCodeAt(at);
				if (at >= end) throw new FatalError(i, `Couldn't find end of Start Tag ${name}`);
				if (c === 0x3e) {
					content.startElement(name, attributes, i, false);
					i = at + 1;
					break;
				}
				if (c === 0x2f) {
					if (xml.charCodeAt(at + 1) !== 0x3e || at + 1 >= end)
						throw new FatalError(at, `Couldn't find end of Start Tag ${name}`);
					content.startElement(name, attributes, i, true);
					i = at + 2;
					break;
				}
				// name S? '=' S? quoted value, with no '<' in the value.
				if (!spaced) throw new FatalError(at, 'attributes construct error');
				const attributeName = readName(at);
				let cursor = at + attributeName.length;
				while (isSpace(xml.charCodeAt(cursor))) cursor++;
				if (xml.charCodeAt(cursor) !== 0x3d)
					throw new FatalError(at, `Specification mandates value for attribute ${attributeName}`);
				cursor++;
				while (isSpace(xml.charCodeAt(cursor))) cursor++;
				const quote = xml.charCodeAt(cursor);
				if (quote !== 0x22 && quote !== 0x27)
					throw new FatalError(cursor, 'AttValue: " or \' expected');
				const close = xml.indexOf(quote === 0x22 ? '"' : "'", cursor + 1);
				if (close < 0 || close >= end)
					throw new FatalError(at, `Couldn't find end of Start Tag ${name}`);
				const lessThan = xml.indexOf('<', cursor + 1);
				if (lessThan >= 0 && lessThan < close)
					throw new FatalError(lessThan, "Unescaped '<' not allowed in attributes values");
				for (let a = 0; a < attributes.length; a++) {
					if (attributes[a].qname === attributeName)
						throw new FatalError(at, `Attribute ${attributeName} redefined`);
				}
				attributes.push({
					qname: attributeName,
					value: decode(xml.slice(cursor + 1, close), cursor + 1, true),
					position: at,
				});
				at = close + 1;
			}
		}
	}
	if (invalid >= 0) {
		throw new FatalError(
			invalid,
			`Char 0x${xml.charCodeAt(invalid).toString(16).toUpperCase()} out of allowed range`,
		);
	}
	const unclosed = content.openElement();
	if (unclosed) throw new FatalError(xml.length, `Premature end of data in tag ${unclosed.qname}`);
	if (!content.rootSeen) throw new FatalError(xml.length, 'Document is empty');
}

import type { ComplexTypeModel, ContentState, ElementModel, SchemaModel, SimpleTypeModel } from './schemaModel';

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

export interface XmlValidationResult {
	valid: boolean;
	/** False when the document is not even well-formed XML; validation stopped at the first error. */
	wellFormed: boolean;
	errors: XmlProblem[];
	/** All errors found, including those beyond `maxErrors`. */
	errorCount: number;
}

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

/** A regular-expression class from code-point ranges (built, so that no literal joiner or combining mark sits in the source). */
function charClass(ranges: Array<[number, number]>): string {
	const escape = (code: number) => `\\u{${code.toString(16)}}`;
	return ranges.map(([from, to]) => (from === to ? escape(from) : `${escape(from)}-${escape(to)}`)).join('');
}
const NAME_START = `A-Za-z_${charClass([
	[0xc0, 0xd6],
	[0xd8, 0xf6],
	[0xf8, 0x2ff],
	[0x370, 0x37d],
	[0x37f, 0x1fff],
	[0x200c, 0x200d],
	[0x2070, 0x218f],
	[0x2c00, 0x2fef],
	[0x3001, 0xd7ff],
	[0xf900, 0xfdcf],
	[0xfdf0, 0xfffd],
	[0x10000, 0xeffff],
])}`;
const NAME_CHAR = `${NAME_START}\\-.0-9${charClass([
	[0xb7, 0xb7],
	[0x300, 0x36f],
	[0x203f, 0x2040],
])}`;
/** A name with colons allowed (XML 1.0); namespace rules are checked after. */
const NAME = new RegExp(`[${NAME_START}:][${NAME_CHAR}:]*`, 'uy');
const REFERENCE = /&(?:(amp|lt|gt|quot|apos)|#([0-9]+)|#x([0-9a-fA-F]+));/y;
/** Candidates for a character XML 1.0 refuses: C0 controls other than tab/LF/CR, U+FFFE/FFFF and surrogates (fine in pairs). */
const SUSPECT_CHAR = new RegExp(
	`[${charClass([
		[0x0, 0x8],
		[0xb, 0xc],
		[0xe, 0x1f],
		[0xd800, 0xdfff],
		[0xfffe, 0xffff],
	]).replace(/\\u\{([0-9a-f]+)\}/g, (_, hex: string) => `\\u${hex.padStart(4, '0')}`)}]`,
	'g',
);

/** Position of the first character XML 1.0 does not allow, or -1. */
function firstInvalidChar(xml: string): number {
	SUSPECT_CHAR.lastIndex = 0;
	for (let match = SUSPECT_CHAR.exec(xml); match; match = SUSPECT_CHAR.exec(xml)) {
		const at = match.index;
		const c = xml.charCodeAt(at);
		if (c >= 0xd800 && c <= 0xdbff) {
			const next = xml.charCodeAt(at + 1);
			if (next >= 0xdc00 && next <= 0xdfff) {
				SUSPECT_CHAR.lastIndex = at + 2;
				continue;
			}
		}
		return at;
	}
	return -1;
}
const XML_DECL =
	/^<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(["'])1\.[0-9]*\1(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(["'])([A-Za-z][A-Za-z0-9._-]*)\2)?(?:[ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(["'])(yes|no)\4)?[ \t\r\n]*\?>/;
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function isXmlChar(code: number): boolean {
	return (
		code === 0x9 ||
		code === 0xa ||
		code === 0xd ||
		(code >= 0x20 && code <= 0xd7ff) ||
		(code >= 0xe000 && code <= 0xfffd) ||
		(code >= 0x10000 && code <= 0x10ffff)
	);
}

function isSpace(c: number): boolean {
	return c === 0x20 || c === 0xa || c === 0x9 || c === 0xd;
}

function isBlank(text: string): boolean {
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c !== 0x20 && c !== 0x9 && c !== 0xa && c !== 0xd) return false;
	}
	return true;
}

function codePointLength(text: string): number {
	let length = 0;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c < 0xd800 || c > 0xdbff) length++;
	}
	return length;
}

class FatalError extends Error {
	constructor(
		readonly position: number,
		message: string,
	) {
		super(message);
	}
}

interface CompiledType {
	model: SimpleTypeModel;
	patterns: RegExp[];
	name: string;
}

const compiledSchemas = new WeakMap<SchemaModel, Map<string, CompiledType>>();

function compiledTypes(schema: SchemaModel): Map<string, CompiledType> {
	let types = compiledSchemas.get(schema);
	if (!types) {
		types = new Map();
		for (const [name, model] of Object.entries(schema.simpleTypes)) {
			types.set(name, { name, model, patterns: model.patterns.map((source) => new RegExp(source, 'u')) });
		}
		compiledSchemas.set(schema, types);
	}
	return types;
}

/** Checks one value against a simple type; returns the problem, or undefined when it is valid. */
export function checkSimpleValue(schema: SchemaModel, typeName: string, raw: string): string | undefined {
	const type = compiledTypes(schema).get(typeName);
	if (!type) return `The type '${typeName}' is not in the schema.`;
	const { model } = type;
	let value = raw;
	if (model.whiteSpace !== 'preserve' && /[\t\n\r]| {2}|^ | $/.test(raw)) {
		value = value.replace(/[\t\n\r]/g, ' ');
		if (model.whiteSpace === 'collapse') value = value.replace(/ {2,}/g, ' ').trim();
	}
	if (model.base === 'integer') {
		if (!/^[+-]?[0-9]+$/.test(value)) {
			return `'${value}' is not a valid value of the atomic type '${typeName}'.`;
		}
		const number =
			value.length <= 15 || value.replace(/^[+-]?0*/, '').length <= 15
				? Number(value)
				: value.startsWith('-')
					? -Infinity
					: Infinity;
		if (model.minInclusive !== undefined && number < model.minInclusive) {
			return `[facet 'minInclusive'] The value '${value}' is less than the minimum value allowed ('${model.minInclusive}').`;
		}
		if (model.maxInclusive !== undefined && number > model.maxInclusive) {
			return `[facet 'maxInclusive'] The value '${value}' is greater than the maximum value allowed ('${model.maxInclusive}').`;
		}
	}
	if (model.base === 'string' && (model.length ?? model.minLength ?? model.maxLength) !== undefined) {
		const length = codePointLength(value);
		if (model.length !== undefined && length !== model.length) {
			return `[facet 'length'] The value '${value}' has a length of '${length}'; this differs from the allowed length of '${model.length}'.`;
		}
		if (model.minLength !== undefined && length < model.minLength) {
			return `[facet 'minLength'] The value '${value}' has a length of '${length}'; this underruns the allowed minimum length of '${model.minLength}'.`;
		}
		if (model.maxLength !== undefined && length > model.maxLength) {
			return `[facet 'maxLength'] The value '${value}' has a length of '${length}'; this exceeds the allowed maximum length of '${model.maxLength}'.`;
		}
	}
	for (let i = 0; i < type.patterns.length; i++) {
		if (!type.patterns[i].test(value)) {
			const shown = model.patterns[i].slice(4, -2);
			return `[facet 'pattern'] The value '${value}' is not accepted by the pattern '${shown}'.`;
		}
	}
	if (model.enumeration && !model.enumeration.includes(value)) {
		return `[facet 'enumeration'] The value '${value}' is not an element of the set {${model.enumeration
			.map((entry) => `'${entry}'`)
			.join(', ')}}.`;
	}
	return undefined;
}

type Namespaces = Record<string, string>;

interface Frame {
	qname: string;
	start: number;
	namespaces: Namespaces;
	/** undefined: not validated (unknown or unexpected element). */
	element?: ElementModel;
	complex?: ComplexTypeModel;
	simpleType?: string;
	state: number;
	text: string;
	textReported: boolean;
	uniques?: Array<{ name: string; child: string; attribute: string; seen: Set<string> }>;
}

const NO_ATTRIBUTES: ComplexTypeModel['attributes'] = [];

const transitions = new WeakMap<ContentState, { names: string[]; edges: Array<[number, number]> }>();

/**
 * The next state for a child name. A short list compared with === beats a property lookup keyed by
 * a freshly sliced string, which has to be hashed on every element.
 */
function transition(state: ContentState, name: string): [number, number] | undefined {
	let table = transitions.get(state);
	if (!table) {
		table = { names: Object.keys(state.next), edges: Object.values(state.next) };
		transitions.set(state, table);
	}
	for (let i = 0; i < table.names.length; i++) if (table.names[i] === name) return table.edges[i];
	return undefined;
}

function isNamespaceDeclaration(name: string): boolean {
	return name.charCodeAt(0) === 0x78 && name.startsWith('xmlns') && (name.length === 5 || name.charCodeAt(5) === 0x3a);
}

interface RawAttribute {
	qname: string;
	value: string;
	position: number;
}

/** Validates a whole document held in a string against a compiled schema. */
export function validateXml(xml: string, schema: SchemaModel, maxErrors = 100): XmlValidationResult {
	const errors: XmlProblem[] = [];
	let errorCount = 0;
	const tns = schema.targetNamespace;
	const types = schema.complexTypes;

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

	const show = (local: string, uri: string | undefined) =>
		uri === tns ? local : uri ? `{${uri}}${local}` : local;
	const expected = (state: ContentState) => Object.keys(state.next).join(', ');

	function decode(raw: string, offset: number, attribute: boolean): string {
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
					entity ? `Entity '${entity[1]}' not defined` : "xmlParseEntityRef: no name (a bare '&' must be written &amp;)",
				);
			}
			if (match[1]) out += PREDEFINED[match[1]];
			else {
				const code = match[2] !== undefined ? parseInt(match[2], 10) : parseInt(match[3], 16);
				if (!isXmlChar(code)) throw new FatalError(offset + amp, `xmlParseCharRef: invalid xmlChar value ${code}`);
				out += String.fromCodePoint(code);
			}
			at = REFERENCE.lastIndex;
		}
		return out + value.slice(at);
	}

	const stack: Frame[] = [];
	let rootSeen = false;
	const rootNamespaces: Namespaces = { xml: XML_NS };

	/** Whether xml[from, to) is only XML white space (the layout between elements), without slicing. */
	function blankRange(from: number, to: number): boolean {
		for (let i = from; i < to; i++) if (!isSpace(xml.charCodeAt(i))) return false;
		return true;
	}

	function text(from: number, to: number, position: number, isCdata: boolean): void {
		const frame = stack[stack.length - 1];
		if (frame && !isCdata && frame.complex?.content === 'elements' && blankRange(from, to)) return;
		const raw = xml.slice(from, to);
		if (!frame) {
			if (!isBlank(raw)) {
				throw new FatalError(position, rootSeen ? 'Extra content at the end of the document' : "Start tag expected, '<' not found");
			}
			return;
		}
		if (!isCdata && raw.includes(']]>')) throw new FatalError(position + raw.indexOf(']]>'), "Sequence ']]>' not allowed in content");
		const value = isCdata ? raw.replace(/\r\n?/g, '\n') : decode(raw, position, false);
		if (frame.complex === undefined && frame.simpleType === undefined) return;
		if (frame.simpleType !== undefined) {
			frame.text += value;
			return;
		}
		if (frame.textReported) return;
		const content = frame.complex!.content;
		if (content === 'empty' || !isBlank(value)) {
			frame.textReported = true;
			report(
				frame.start,
				`Element '${show(localOf(frame.qname), tns)}': Character content ${
					content === 'empty' ? 'is not allowed, because the content type is empty' : "other than whitespace is not allowed because the content type is 'element-only'"
				}.`,
			);
		}
	}

	function localOf(qname: string): string {
		return qname.slice(qname.indexOf(':') + 1);
	}

	function resolve(qname: string, namespaces: Namespaces, position: number, isAttribute: boolean): [string, string | undefined] {
		const colon = qname.indexOf(':');
		if (colon < 0) return [qname, isAttribute ? undefined : namespaces['']];
		const prefix = qname.slice(0, colon);
		const local = qname.slice(colon + 1);
		if (!local || local.includes(':') || !prefix) {
			report(position, `Failed to parse QName '${qname}'`);
			return [local, undefined];
		}
		const uri = namespaces[prefix];
		if (uri === undefined) report(position, `Namespace prefix ${prefix} on ${local} is not defined`);
		return [local, uri];
	}

	function startElement(qname: string, attributes: RawAttribute[], position: number, selfClosing: boolean): void {
		const parent = stack[stack.length - 1];
		if (!parent && rootSeen) throw new FatalError(position, 'Extra content at the end of the document');
		rootSeen = true;
		// Namespace declarations first: they apply to the element's own name and attributes.
		let namespaces = parent ? parent.namespaces : rootNamespaces;
		for (const attribute of attributes) {
			const { qname: name, value } = attribute;
			if (isNamespaceDeclaration(name)) {
				if (namespaces === (parent ? parent.namespaces : rootNamespaces)) namespaces = { ...namespaces };
				const prefix = name === 'xmlns' ? '' : name.slice(6);
				if (prefix === 'xmlns' || (prefix === 'xml') !== (value === XML_NS) || value === XMLNS_NS) {
					report(attribute.position, `xml namespace prefix mapped to wrong URI or reserved prefix '${prefix}'`);
				}
				if (prefix && value === '') report(attribute.position, `xmlns:${prefix}: Empty XML namespace is not allowed`);
				namespaces[prefix] = value;
			}
		}
		const [local, uri] = resolve(qname, namespaces, position, false);
		const frame: Frame = { qname, start: position, namespaces, state: 0, text: '', textReported: false };

		// Which declaration applies, from the parent's content model.
		if (!parent) {
			const root = schema.elements[schema.root];
			if (local === root.name && uri === tns) frame.element = root;
			else report(position, `Element '${show(local, uri)}': No matching global declaration available for the validation root.`);
		} else if (parent.complex?.content === 'elements') {
			// After an unexpected child (state -1) the rest of the parent's content is not checked.
			const state = parent.state >= 0 ? parent.complex.model![parent.state] : undefined;
			const edge = state && uri === tns ? transition(state, local) : undefined;
			if (edge) {
				frame.element = schema.elements[edge[0]];
				parent.state = edge[1];
			} else if (state) {
				report(
					position,
					`Element '${show(local, uri)}': This element is not expected.${
						Object.keys(state.next).length ? ` Expected is ( ${expected(state)} ).` : ''
					}`,
				);
				parent.state = -1;
			}
		} else if (parent.element && !parent.textReported) {
			parent.textReported = true;
			report(
				parent.start,
				`Element '${show(localOf(parent.qname), tns)}': Element content is not allowed, because the content type is ${
					parent.complex ? 'empty' : 'a simple type'
				}.`,
			);
		}
		const element = frame.element;
		if (element) {
			if (element.typeKind === 'complex') {
				frame.complex = types[element.type];
				if (frame.complex.content === 'simple') frame.simpleType = frame.complex.simpleType;
			} else frame.simpleType = element.type;
			if (element.unique.length) {
				frame.uniques = element.unique.map((u) => ({ ...u, seen: new Set<string>() }));
			}
		}

		// Attributes: well-formedness (uniqueness of expanded names), then the schema.
		const declared = frame.complex?.attributes ?? NO_ATTRIBUTES;
		let present = 0; // bit i: declared[i] was given
		for (let a = 0; a < attributes.length; a++) {
			const attribute = attributes[a];
			const name = attribute.qname;
			if (isNamespaceDeclaration(name)) continue;
			const colon = name.indexOf(':');
			const attrLocal = colon < 0 ? name : resolve(name, namespaces, attribute.position, true)[0];
			const attrUri = colon < 0 ? undefined : namespaces[name.slice(0, colon)];
			if (colon >= 0) {
				// Two prefixes for one namespace may still name the same attribute.
				for (let b = 0; b < a; b++) {
					const other = attributes[b].qname;
					const otherColon = other.indexOf(':');
					if (otherColon >= 0 && !isNamespaceDeclaration(other) && other.slice(otherColon + 1) === attrLocal && attrUri !== undefined && namespaces[other.slice(0, otherColon)] === attrUri) {
						throw new FatalError(attribute.position, `Namespaced Attribute ${attrLocal} in '${attrUri}' redefined`);
					}
				}
			}
			if (!element) continue;
			if (attrUri === XSI) {
				if (attrLocal !== 'schemaLocation' && attrLocal !== 'noNamespaceSchemaLocation') {
					report(position, `Element '${show(local, uri)}', attribute '{${XSI}}${attrLocal}': This attribute is not supported.`);
				}
				continue;
			}
			let index = -1;
			if (attrUri === undefined) for (let d = 0; d < declared.length && index < 0; d++) if (declared[d].name === attrLocal) index = d;
			const declaration = index >= 0 ? declared[index] : undefined;
			if (!declaration) {
				report(
					position,
					`Element '${show(local, uri)}', attribute '${attrUri ? `{${attrUri}}` : ''}${attrLocal}': The attribute '${
						attrUri ? `{${attrUri}}` : ''
					}${attrLocal}' is not allowed.`,
				);
				continue;
			}
			present |= 1 << index;
			const problem = checkSimpleValue(schema, declaration.type, attribute.value);
			if (problem) report(position, `Element '${show(local, uri)}', attribute '${attrLocal}': ${problem}`);
		}
		for (let d = 0; d < declared.length; d++) {
			const declaration = declared[d];
			if (declaration.required && !(present & (1 << d))) {
				report(position, `Element '${show(local, uri)}': The attribute '${declaration.name}' is required but missing.`);
			}
		}

		// Identity constraints of the parent that select this element.
		if (parent?.uniques && element && uri === tns) {
			for (const unique of parent.uniques) {
				if (unique.child !== local) continue;
				const field = attributes.find((a) => a.qname === unique.attribute);
				if (!field) continue;
				if (unique.seen.has(field.value)) {
					report(
						position,
						`Element '${show(local, uri)}': Duplicate key-sequence ['${field.value}'] in unique identity-constraint '${unique.name}'.`,
					);
				} else unique.seen.add(field.value);
			}
		}

		stack.push(frame);
		if (selfClosing) endElement(position);
	}

	function endElement(position: number): void {
		const frame = stack.pop()!;
		if (!frame.element) return;
		const local = localOf(frame.qname);
		if (frame.complex?.content === 'elements' && frame.state >= 0 && !frame.complex.model![frame.state].accepting) {
			report(
				frame.start,
				`Element '${show(local, tns)}': Missing child element(s). Expected is ( ${expected(frame.complex.model![frame.state])} ).`,
			);
		}
		if (frame.simpleType !== undefined && !frame.textReported) {
			const problem = checkSimpleValue(schema, frame.simpleType, frame.text);
			if (problem) report(frame.start, `Element '${show(local, tns)}': ${problem}`);
		}
		void position;
	}

	function readName(position: number): string {
		// ASCII names (every name of a Kaspi price list) without the regular expression.
		let at = position;
		let c = xml.charCodeAt(at);
		if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x3a) {
			do c = xml.charCodeAt(++at);
			while ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x3a) || c === 0x5f || c === 0x2d || c === 0x2e);
			if (!(c >= 0x80)) return xml.slice(position, at);
		}
		NAME.lastIndex = position;
		const match = NAME.exec(xml);
		if (!match) throw new FatalError(position, 'StartTag: invalid element name');
		return match[0];
	}

	try {
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
			if (textEnd > i) text(i, textEnd, i, false);
			if (textEnd === end) break;
			i = lt;
			const next = xml.charCodeAt(i + 1);
			if (next === 0x2f /* / */) {
				const name = readName(i + 2);
				let close = i + 2 + name.length;
				while (close < end && isSpace(xml.charCodeAt(close))) close++;
				if (xml.charCodeAt(close) !== 0x3e || close >= end) throw new FatalError(i, `expected '>' after </${name}`);
				const open = stack[stack.length - 1];
				if (!open) throw new FatalError(i, `Unexpected end tag : ${name}`);
				if (open.qname !== name) {
					throw new FatalError(i, `Opening and ending tag mismatch: ${open.qname} line ${locateLine(open.start)} and ${name}`);
				}
				endElement(i);
				i = close + 1;
			} else if (next === 0x21 /* ! */) {
				if (xml.startsWith('<!--', i)) {
					const close = xml.indexOf('-->', i + 4);
					if (close < 0 || close + 3 > end) throw new FatalError(i, 'Comment not terminated');
					const dashes = xml.indexOf('--', i + 4);
					if (dashes < close) throw new FatalError(dashes, "Double hyphen within comment");
					i = close + 3;
				} else if (xml.startsWith('<![CDATA[', i)) {
					const close = xml.indexOf(']]>', i + 9);
					if (close < 0 || close + 3 > end) throw new FatalError(i, 'CData section not finished');
					if (!stack.length) throw new FatalError(i, 'CData section outside the root element');
					text(i + 9, close, i, true);
					i = close + 3;
				} else if (xml.startsWith('<!DOCTYPE', i)) {
					throw new FatalError(i, 'A document type declaration is not allowed in a Kaspi price list');
				} else throw new FatalError(i, 'StartTag: invalid element name');
			} else if (next === 0x3f /* ? */) {
				const target = readName(i + 2);
				if (/^xml$/i.test(target)) throw new FatalError(i, 'XML declaration allowed only at the start of the document');
				if (target.includes(':')) report(i, `colons are forbidden from PI names '${target}'`);
				const close = xml.indexOf('?>', i + 2);
				if (close < 0 || close + 2 > end) throw new FatalError(i, 'PI not terminated');
				const after = xml.charAt(i + 2 + target.length);
				if (close !== i + 2 + target.length && !/[ \t\r\n]/.test(after)) throw new FatalError(i, `ParsePI: PI ${target} space expected`);
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
						startElement(name, attributes, i, false);
						i = at + 1;
						break;
					}
					if (c === 0x2f) {
						if (xml.charCodeAt(at + 1) !== 0x3e || at + 1 >= end) throw new FatalError(at, `Couldn't find end of Start Tag ${name}`);
						startElement(name, attributes, i, true);
						i = at + 2;
						break;
					}
					// name S? '=' S? quoted value, with no '<' in the value.
					if (!spaced) throw new FatalError(at, 'attributes construct error');
					const attributeName = readName(at);
					let cursor = at + attributeName.length;
					while (isSpace(xml.charCodeAt(cursor))) cursor++;
					if (xml.charCodeAt(cursor) !== 0x3d) throw new FatalError(at, `Specification mandates value for attribute ${attributeName}`);
					cursor++;
					while (isSpace(xml.charCodeAt(cursor))) cursor++;
					const quote = xml.charCodeAt(cursor);
					if (quote !== 0x22 && quote !== 0x27) throw new FatalError(cursor, 'AttValue: " or \' expected');
					const close = xml.indexOf(quote === 0x22 ? '"' : "'", cursor + 1);
					if (close < 0 || close >= end) throw new FatalError(at, `Couldn't find end of Start Tag ${name}`);
					const lessThan = xml.indexOf('<', cursor + 1);
					if (lessThan >= 0 && lessThan < close) throw new FatalError(lessThan, "Unescaped '<' not allowed in attributes values");
					for (let a = 0; a < attributes.length; a++) {
						if (attributes[a].qname === attributeName) throw new FatalError(at, `Attribute ${attributeName} redefined`);
					}
					attributes.push({ qname: attributeName, value: decode(xml.slice(cursor + 1, close), cursor + 1, true), position: at });
					at = close + 1;
				}
			}
		}
		if (invalid >= 0) {
			throw new FatalError(invalid, `Char 0x${xml.charCodeAt(invalid).toString(16).toUpperCase()} out of allowed range`);
		}
		if (stack.length) throw new FatalError(xml.length, `Premature end of data in tag ${stack[stack.length - 1].qname}`);
		if (!rootSeen) throw new FatalError(xml.length, 'Document is empty');
	} catch (error) {
		// A bug here must not pass a document as valid: any other failure counts as a fatal error.
		const fatal = error instanceof FatalError ? error : new FatalError(0, `Validator failure: ${String(error)}`);
		report(fatal.position, fatal.message);
		return { valid: false, wellFormed: false, errors, errorCount };
	}
	return { valid: errorCount === 0, wellFormed: true, errors, errorCount };

	function locateLine(position: number): number {
		return locate(position).line;
	}
}

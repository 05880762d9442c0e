import { isBlank, isSpace } from './chars';
import { decode, FatalError, type ContentHandler, type RawAttribute } from './scanner';
import type { ComplexTypeModel, ContentState, ElementModel, SchemaModel } from './schemaModel';
import { checkSimpleValue } from './simpleTypes';

/**
 * The schema check: follows the open elements against the compiled schema model (namespaces,
 * content models, attributes, simple values, unique constraints) as the scanner hands them on.
 */

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

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

const transitions = new WeakMap<
	ContentState,
	{ names: string[]; edges: Array<[number, number]> }
>();

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
	return (
		name.charCodeAt(0) === 0x78 &&
		name.startsWith('xmlns') &&
		(name.length === 5 || name.charCodeAt(5) === 0x3a)
	);
}

/** The content handler that validates what the scanner reads against `schema`. */
export function schemaCheck(
	xml: string,
	schema: SchemaModel,
	report: (position: number, message: string) => void,
): ContentHandler {
	const tns = schema.targetNamespace;
	const types = schema.complexTypes;
	const show = (local: string, uri: string | undefined) =>
		uri === tns ? local : uri ? `{${uri}}${local}` : local;
	const expected = (state: ContentState) => Object.keys(state.next).join(', ');

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
				throw new FatalError(
					position,
					rootSeen
						? 'Extra content at the end of the document'
						: "Start tag expected, '<' not found",
				);
			}
			return;
		}
		if (!isCdata && raw.includes(']]>'))
			throw new FatalError(position + raw.indexOf(']]>'), "Sequence ']]>' not allowed in content");
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
					content === 'empty'
						? 'is not allowed, because the content type is empty'
						: "other than whitespace is not allowed because the content type is 'element-only'"
				}.`,
			);
		}
	}

	function localOf(qname: string): string {
		return qname.slice(qname.indexOf(':') + 1);
	}

	function resolve(
		qname: string,
		namespaces: Namespaces,
		position: number,
		isAttribute: boolean,
	): [string, string | undefined] {
		const colon = qname.indexOf(':');
		if (colon < 0) return [qname, isAttribute ? undefined : namespaces['']];
		const prefix = qname.slice(0, colon);
		const local = qname.slice(colon + 1);
		if (!local || local.includes(':') || !prefix) {
			report(position, `Failed to parse QName '${qname}'`);
			return [local, undefined];
		}
		const uri = namespaces[prefix];
		if (uri === undefined)
			report(position, `Namespace prefix ${prefix} on ${local} is not defined`);
		return [local, uri];
	}

	function startElement(
		qname: string,
		attributes: RawAttribute[],
		position: number,
		selfClosing: boolean,
	): void {
		const parent = stack[stack.length - 1];
		if (!parent && rootSeen)
			throw new FatalError(position, 'Extra content at the end of the document');
		rootSeen = true;
		// Namespace declarations first: they apply to the element's own name and attributes.
		let namespaces = parent ? parent.namespaces : rootNamespaces;
		for (const attribute of attributes) {
			const { qname: name, value } = attribute;
			if (isNamespaceDeclaration(name)) {
				if (namespaces === (parent ? parent.namespaces : rootNamespaces))
					namespaces = { ...namespaces };
				const prefix = name === 'xmlns' ? '' : name.slice(6);
				if (prefix === 'xmlns' || (prefix === 'xml') !== (value === XML_NS) || value === XMLNS_NS) {
					report(
						attribute.position,
						`xml namespace prefix mapped to wrong URI or reserved prefix '${prefix}'`,
					);
				}
				if (prefix && value === '')
					report(attribute.position, `xmlns:${prefix}: Empty XML namespace is not allowed`);
				namespaces[prefix] = value;
			}
		}
		const [local, uri] = resolve(qname, namespaces, position, false);
		const frame: Frame = {
			qname,
			start: position,
			namespaces,
			state: 0,
			text: '',
			textReported: false,
		};

		// Which declaration applies, from the parent's content model.
		if (!parent) {
			const root = schema.elements[schema.root];
			if (local === root.name && uri === tns) frame.element = root;
			else
				report(
					position,
					`Element '${show(local, uri)}': No matching global declaration available for the validation root.`,
				);
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
					if (
						otherColon >= 0 &&
						!isNamespaceDeclaration(other) &&
						other.slice(otherColon + 1) === attrLocal &&
						attrUri !== undefined &&
						namespaces[other.slice(0, otherColon)] === attrUri
					) {
						throw new FatalError(
							attribute.position,
							`Namespaced Attribute ${attrLocal} in '${attrUri}' redefined`,
						);
					}
				}
			}
			if (!element) continue;
			if (attrUri === XSI) {
				if (attrLocal !== 'schemaLocation' && attrLocal !== 'noNamespaceSchemaLocation') {
					report(
						position,
						`Element '${show(local, uri)}', attribute '{${XSI}}${attrLocal}': This attribute is not supported.`,
					);
				}
				continue;
			}
			let index = -1;
			if (attrUri === undefined)
				for (let d = 0; d < declared.length && index < 0; d++)
					if (declared[d].name === attrLocal) index = d;
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
			if (problem)
				report(position, `Element '${show(local, uri)}', attribute '${attrLocal}': ${problem}`);
		}
		for (let d = 0; d < declared.length; d++) {
			const declaration = declared[d];
			if (declaration.required && !(present & (1 << d))) {
				report(
					position,
					`Element '${show(local, uri)}': The attribute '${declaration.name}' is required but missing.`,
				);
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
		if (
			frame.complex?.content === 'elements' &&
			frame.state >= 0 &&
			!frame.complex.model![frame.state].accepting
		) {
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

	return {
		text,
		startElement,
		endElement,
		openElement: () => stack[stack.length - 1],
		get rootSeen() {
			return rootSeen;
		},
	};
}

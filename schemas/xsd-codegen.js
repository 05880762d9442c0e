/**
 * Build-time code generator: reads `schemas/kaspishopping.xsd` and writes the schema model the
 * Kaspi Price List node validates with (`nodes/KaspiPriceList/generated/kaspiSchema.ts`). Nodes may
 * not read files at run time and the package has no runtime dependencies, so the XSD is compiled
 * here: named types are resolved, facets collected, patterns checked and translated to JavaScript,
 * and every content model is turned into a deterministic automaton over child element names.
 *
 * Only the XSD subset the schema uses is accepted; anything else stops the build with a message,
 * so the schema cannot silently mean more than the validator checks.
 */
'use strict';
const { readFileSync, writeFileSync, mkdirSync } = require('node:fs');
const { dirname, join } = require('node:path');

const XS = 'http://www.w3.org/2001/XMLSchema';
const ROOT = join(__dirname, '..');
const XSD_PATH = join(ROOT, 'schemas', 'kaspishopping.xsd');
const OUTPUT_PATH = join(ROOT, 'nodes', 'KaspiPriceList', 'generated', 'kaspiSchema.ts');

/** A minimal parser for the schema file itself (well-formed, no DTD, no CDATA). */
function parseXsd(text) {
	const clean = text.replace(/<!--[\s\S]*?-->/g, '').replace(/<\?[\s\S]*?\?>/g, '');
	const root = { name: '#root', attrs: {}, children: [], ns: {} };
	const stack = [root];
	const tag = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
	let match;
	while ((match = tag.exec(clean))) {
		const [, closing, name, rawAttrs, selfClosing] = match;
		if (closing) {
			const open = stack.pop();
			if (!open || open.name !== name) throw new Error(`xsd-codegen: unbalanced </${name}>`);
			continue;
		}
		const parent = stack[stack.length - 1];
		const attrs = {};
		const ns = { ...parent.ns };
		for (const [, key, , dq, sq] of rawAttrs.matchAll(/([\w:.-]+)\s*=\s*("([^"]*)"|'([^']*)')/g)) {
			const value = dq ?? sq;
			if (key === 'xmlns') ns[''] = value;
			else if (key.startsWith('xmlns:')) ns[key.slice(6)] = value;
			else attrs[key] = value;
		}
		const colon = name.indexOf(':');
		const prefix = colon < 0 ? '' : name.slice(0, colon);
		const node = { name, local: name.slice(colon + 1), uri: ns[prefix], attrs, children: [], ns };
		parent.children.push(node);
		if (!selfClosing) stack.push(node);
	}
	if (stack.length !== 1) throw new Error('xsd-codegen: unclosed element in the schema');
	const schema = root.children[0];
	if (!schema || schema.uri !== XS || schema.local !== 'schema')
		throw new Error('xsd-codegen: no xs:schema root');
	return schema;
}

function xsChildren(node, ...names) {
	for (const child of node.children) {
		if (child.uri !== XS) throw new Error(`xsd-codegen: foreign element <${child.name}>`);
	}
	return node.children.filter((child) => names.includes(child.local));
}

function unsupported(node, what) {
	throw new Error(
		`xsd-codegen: ${what} is not supported (<${node.name}> ${JSON.stringify(node.attrs)})`,
	);
}

const BUILTINS = {
	string: { base: 'string', whiteSpace: 'preserve' },
	normalizedString: { base: 'string', whiteSpace: 'replace' },
	token: { base: 'string', whiteSpace: 'collapse' },
	int: {
		base: 'integer',
		whiteSpace: 'collapse',
		minInclusive: -2147483648,
		maxInclusive: 2147483647,
	},
	integer: { base: 'integer', whiteSpace: 'collapse' },
	nonNegativeInteger: { base: 'integer', whiteSpace: 'collapse', minInclusive: 0 },
	positiveInteger: { base: 'integer', whiteSpace: 'collapse', minInclusive: 1 },
};

/** XSD regular expressions are implicitly anchored; accept only the subset that means the same in JS. */
function translatePattern(pattern, node) {
	if (/\\[pPiIcCdDwWsS]|\.|\$|\^|\(\?/.test(pattern.replace(/\\[-\\[\]{}()|+*?.]/g, ''))) {
		unsupported(
			node,
			`pattern "${pattern}" (only literal characters, classes, groups, | and quantifiers)`,
		);
	}
	const source = `^(?:${pattern})$`;
	new RegExp(source, 'u');
	return source;
}

function qnameLocal(qname, node, expectedUri) {
	const colon = qname.indexOf(':');
	const prefix = colon < 0 ? '' : qname.slice(0, colon);
	const uri = node.ns[prefix];
	if (uri !== expectedUri && !(expectedUri === undefined && uri === undefined)) {
		throw new Error(`xsd-codegen: ${qname} is not in ${expectedUri}`);
	}
	return qname.slice(colon + 1);
}

function compile(schemaNode) {
	const tns = schemaNode.attrs.targetNamespace;
	if (schemaNode.attrs.elementFormDefault !== 'qualified')
		unsupported(schemaNode, 'unqualified local elements');
	if ((schemaNode.attrs.attributeFormDefault ?? 'unqualified') !== 'unqualified') {
		unsupported(schemaNode, 'qualified attributes');
	}
	const namedSimple = new Map(xsChildren(schemaNode, 'simpleType').map((n) => [n.attrs.name, n]));
	const namedComplex = new Map(xsChildren(schemaNode, 'complexType').map((n) => [n.attrs.name, n]));
	const globals = xsChildren(schemaNode, 'element');
	for (const child of schemaNode.children) {
		if (!['simpleType', 'complexType', 'element'].includes(child.local))
			unsupported(child, 'this top-level component');
	}

	const simpleTypes = {};
	const complexTypes = {};
	let anonymous = 0;

	function resolveTypeRef(qname, node) {
		const colon = qname.indexOf(':');
		const uri = node.ns[colon < 0 ? '' : qname.slice(0, colon)];
		const local = qname.slice(colon + 1);
		if (uri === XS) {
			if (!BUILTINS[local]) unsupported(node, `built-in type xs:${local}`);
			const id = `xs:${local}`;
			if (!simpleTypes[id]) simpleTypes[id] = { ...BUILTINS[local], patterns: [] };
			return { kind: 'simple', id };
		}
		if (uri !== tns) throw new Error(`xsd-codegen: type ${qname} is outside the target namespace`);
		if (namedSimple.has(local)) return { kind: 'simple', id: simpleType(namedSimple.get(local)) };
		if (namedComplex.has(local))
			return { kind: 'complex', id: complexType(namedComplex.get(local)) };
		throw new Error(`xsd-codegen: unknown type ${qname}`);
	}

	function simpleType(node) {
		const id = node.attrs.name ?? `#anon${++anonymous}`;
		if (simpleTypes[id]) return id;
		const [restriction, ...rest] = node.children;
		if (!restriction || rest.length || restriction.local !== 'restriction')
			unsupported(node, 'a simple type other than a restriction');
		const base = resolveTypeRef(restriction.attrs.base, restriction);
		if (base.kind !== 'simple') unsupported(restriction, 'a complex base');
		const inherited = simpleTypes[base.id];
		const type = { ...inherited, patterns: [...inherited.patterns] };
		const stepPatterns = [];
		const enumeration = [];
		for (const facet of restriction.children) {
			const value = facet.attrs.value;
			switch (facet.local) {
				case 'pattern':
					stepPatterns.push(translatePattern(value, facet));
					break;
				case 'enumeration':
					enumeration.push(value);
					break;
				case 'minLength':
				case 'maxLength':
				case 'length':
					if (type.base !== 'string') unsupported(facet, 'a length facet on a number');
					type[facet.local] = Number(value);
					break;
				case 'minInclusive':
				case 'maxInclusive': {
					if (type.base !== 'integer') unsupported(facet, 'a range facet on a string');
					const limit = Number(value);
					if (!Number.isSafeInteger(limit)) unsupported(facet, 'a non-integer limit');
					const key = facet.local;
					type[key] =
						type[key] === undefined
							? limit
							: key === 'minInclusive'
								? Math.max(type[key], limit)
								: Math.min(type[key], limit);
					break;
				}
				default:
					unsupported(facet, `the facet xs:${facet.local}`);
			}
		}
		// Patterns of one restriction step are alternatives; patterns of different steps must all hold.
		if (stepPatterns.length)
			type.patterns.push(
				stepPatterns.length === 1 ? stepPatterns[0] : stepPatterns.map((p) => `(?:${p})`).join('|'),
			);
		if (enumeration.length) {
			if (type.base !== 'string' || inherited.enumeration)
				unsupported(restriction, 'this enumeration');
			type.enumeration = enumeration;
		}
		simpleTypes[id] = type;
		return id;
	}

	function attributes(nodes) {
		return nodes.map((node) => {
			if (node.attrs.ref || node.attrs.form) unsupported(node, 'an attribute reference or form');
			if (node.attrs.default !== undefined || node.attrs.fixed !== undefined)
				unsupported(node, 'default/fixed values');
			const use = node.attrs.use ?? 'optional';
			if (!['optional', 'required'].includes(use)) unsupported(node, `use="${use}"`);
			const type = node.attrs.type
				? resolveTypeRef(node.attrs.type, node)
				: { kind: 'simple', id: 'xs:string' };
			if (!node.attrs.type) resolveTypeRef('xs:string', { ns: { xs: XS } });
			if (type.kind !== 'simple') unsupported(node, 'a complex attribute type');
			return { name: node.attrs.name, type: type.id, required: use === 'required' };
		});
	}

	function complexType(node) {
		const id = node.attrs.name ?? `#anon${++anonymous}`;
		if (complexTypes[id]) return id;
		complexTypes[id] = null; // reserved: recursion is not supported
		if (node.attrs.mixed === 'true' || node.attrs.abstract)
			unsupported(node, 'mixed or abstract types');
		const type = { content: 'empty', attributes: [] };
		const particles = node.children.filter((c) => ['sequence', 'choice'].includes(c.local));
		const simpleContent = node.children.find((c) => c.local === 'simpleContent');
		for (const child of node.children) {
			if (!['sequence', 'choice', 'simpleContent', 'attribute'].includes(child.local))
				unsupported(child, 'this content model');
		}
		if (particles.length > 1) unsupported(node, 'two top-level particles');
		type.attributes = attributes(node.children.filter((c) => c.local === 'attribute'));
		if (simpleContent) {
			const [extension] = simpleContent.children;
			if (!extension || extension.local !== 'extension')
				unsupported(simpleContent, 'simple content other than an extension');
			const base = resolveTypeRef(extension.attrs.base, extension);
			if (base.kind !== 'simple') unsupported(extension, 'a complex base');
			type.content = 'simple';
			type.simpleType = base.id;
			for (const c of extension.children)
				if (c.local !== 'attribute') unsupported(c, 'this extension content');
			type.attributes = attributes(extension.children);
		} else if (particles.length) {
			type.content = 'elements';
			type.model = automaton(particles[0]);
		}
		complexTypes[id] = type;
		return id;
	}

	const elements = [];
	const declared = new Map();
	function elementDecl(node) {
		if (declared.has(node)) return declared.get(node);
		if (
			node.attrs.ref ||
			node.attrs.nillable ||
			node.attrs.abstract ||
			node.attrs.substitutionGroup
		)
			unsupported(node, 'this element feature');
		const inline = node.children.filter(
			(c) => c.local === 'complexType' || c.local === 'simpleType',
		);
		let type;
		if (node.attrs.type) type = resolveTypeRef(node.attrs.type, node);
		else if (inline[0]?.local === 'complexType')
			type = { kind: 'complex', id: complexType(inline[0]) };
		else if (inline[0]?.local === 'simpleType')
			type = { kind: 'simple', id: simpleType(inline[0]) };
		else unsupported(node, 'an element without a type');
		const unique = node.children
			.filter((c) => ['unique', 'key', 'keyref'].includes(c.local))
			.map((constraint) => {
				if (constraint.local !== 'unique') unsupported(constraint, 'xs:key / xs:keyref');
				const selector = constraint.children.find((c) => c.local === 'selector');
				const fields = constraint.children.filter((c) => c.local === 'field');
				if (
					!selector ||
					fields.length !== 1 ||
					!/^[\w]+:[\w]+$/.test(selector.attrs.xpath) ||
					!/^@[\w]+$/.test(fields[0].attrs.xpath)
				) {
					unsupported(
						constraint,
						'a constraint other than "prefix:child" selecting one "@attribute"',
					);
				}
				return {
					name: constraint.attrs.name,
					child: qnameLocal(selector.attrs.xpath, selector, tns),
					attribute: fields[0].attrs.xpath.slice(1),
				};
			});
		const index = elements.length;
		elements.push({ name: node.attrs.name, type: type.id, typeKind: type.kind, unique });
		declared.set(node, index);
		return index;
	}

	/** Thompson NFA of a particle, then subset construction into a DFA over element names. */
	function automaton(particle) {
		const nfa = [];
		const state = () => nfa.push({ eps: [], edges: [] }) - 1;
		function occurs(node) {
			const min = node.attrs.minOccurs === undefined ? 1 : Number(node.attrs.minOccurs);
			const max =
				node.attrs.maxOccurs === undefined
					? 1
					: node.attrs.maxOccurs === 'unbounded'
						? Infinity
						: Number(node.attrs.maxOccurs);
			if (!(min >= 0 && max >= min && max >= 1) || (max !== Infinity && max > 50))
				unsupported(node, 'these occurrence bounds');
			return { min, max };
		}
		function once(node, from) {
			const to = state();
			if (node.local === 'element') {
				nfa[from].edges.push({ name: node.attrs.name, element: elementDecl(node), to });
			} else if (node.local === 'sequence') {
				let at = from;
				for (const child of node.children) at = repeat(child, at);
				nfa[at].eps.push(to);
			} else if (node.local === 'choice') {
				for (const child of node.children) nfa[repeat(child, from)].eps.push(to);
			} else unsupported(node, 'this particle');
			return to;
		}
		function repeat(node, from) {
			const { min, max } = occurs(node);
			let at = from;
			for (let i = 0; i < min; i++) at = once(node, at);
			if (max === Infinity) {
				const loopStart = state();
				nfa[at].eps.push(loopStart);
				const back = once(node, loopStart);
				nfa[back].eps.push(loopStart);
				return loopStart;
			}
			const end = state();
			nfa[at].eps.push(end);
			for (let i = min; i < max; i++) {
				at = once(node, at);
				nfa[at].eps.push(end);
			}
			return end;
		}
		const start = state();
		const accept = repeat(particle, start);
		const closure = (set) => {
			const out = new Set(set);
			const todo = [...set];
			while (todo.length)
				for (const next of nfa[todo.pop()].eps)
					if (!out.has(next)) (out.add(next), todo.push(next));
			return [...out].sort((a, b) => a - b);
		};
		const dfa = [];
		const ids = new Map();
		const visit = (set) => {
			const key = set.join(',');
			if (ids.has(key)) return ids.get(key);
			const id = dfa.push(null) - 1;
			ids.set(key, id);
			const byName = new Map();
			for (const s of set) {
				for (const edge of nfa[s].edges) {
					const entry = byName.get(edge.name) ?? { element: edge.element, targets: [] };
					if (entry.element !== edge.element)
						throw new Error(
							`xsd-codegen: two declarations of <${edge.name}> compete (Unique Particle Attribution)`,
						);
					entry.targets.push(edge.to);
					byName.set(edge.name, entry);
				}
			}
			const next = {};
			for (const [name, entry] of byName) next[name] = [entry.element, 0];
			dfa[id] = { accepting: set.includes(accept), next };
			for (const [name, entry] of byName) next[name][1] = visit(closure(entry.targets));
			return id;
		};
		visit(closure([start]));
		return dfa;
	}

	if (globals.length !== 1) unsupported(schemaNode, 'more or fewer than one global element');
	const root = elementDecl(globals[0]);
	return { targetNamespace: tns, root, elements, simpleTypes, complexTypes };
}

/** The schema text, for the tests that hand the same XSD to libxml2. */
function readSchemaText(xsdPath = XSD_PATH) {
	return readFileSync(xsdPath, 'utf8');
}

/** The compiled model, as the generated module holds it. */
function compileModel(xsdPath = XSD_PATH) {
	return compile(parseXsd(readSchemaText(xsdPath)));
}

function generate(xsdPath = XSD_PATH) {
	const model = compileModel(xsdPath);
	const json = JSON.stringify(model, null, '\t');
	return `// GENERATED by schemas/xsd-codegen.js from schemas/kaspishopping.xsd: do not edit.
// \`npm run build\` regenerates it; a unit test fails when it is out of date.
import type { SchemaModel } from '../xml/schemaModel';

export const KASPI_SCHEMA: SchemaModel = ${json};
`;
}

function writeGenerated() {
	mkdirSync(dirname(OUTPUT_PATH), { recursive: true });
	writeFileSync(OUTPUT_PATH, generate(XSD_PATH));
}

module.exports = { compileModel, generate, readSchemaText, writeGenerated, XSD_PATH, OUTPUT_PATH };

if (require.main === module) writeGenerated();

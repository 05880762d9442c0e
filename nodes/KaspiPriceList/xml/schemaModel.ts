/**
 * The compiled form of an XSD as `schemas/xsd-codegen.js` writes it (`../generated/`): named types
 * resolved, facets flattened, and each content model turned into a deterministic automaton.
 */

export interface SimpleTypeModel {
	base: 'string' | 'integer';
	whiteSpace: 'preserve' | 'replace' | 'collapse';
	/** JavaScript sources, already anchored; every one must match. */
	patterns: string[];
	enumeration?: string[];
	length?: number;
	minLength?: number;
	maxLength?: number;
	minInclusive?: number;
	maxInclusive?: number;
}

interface AttributeModel {
	name: string;
	type: string;
	required: boolean;
}

/** One automaton state: child name → [element declaration index, next state]. */
export interface ContentState {
	accepting: boolean;
	next: Record<string, [number, number]>;
}

export interface ComplexTypeModel {
	content: 'empty' | 'simple' | 'elements';
	attributes: AttributeModel[];
	simpleType?: string;
	model?: ContentState[];
}

interface UniqueModel {
	name: string;
	/** Local name of the selected child elements (in the target namespace). */
	child: string;
	attribute: string;
}

export interface ElementModel {
	name: string;
	type: string;
	typeKind: 'simple' | 'complex';
	unique: UniqueModel[];
}

export interface SchemaModel {
	targetNamespace: string;
	root: number;
	elements: ElementModel[];
	simpleTypes: Record<string, SimpleTypeModel>;
	complexTypes: Record<string, ComplexTypeModel>;
}

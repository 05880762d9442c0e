import { codePointLength } from './chars';
import type { SchemaModel, SimpleTypeModel } from './schemaModel';

/** Values against the schema's simple types: white space, bounds, lengths, patterns and enumerations. */

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
			types.set(name, {
				name,
				model,
				patterns: model.patterns.map((source) => new RegExp(source, 'u')),
			});
		}
		compiledSchemas.set(schema, types);
	}
	return types;
}

/** Checks one value against a simple type; returns the problem, or undefined when it is valid. */
export function checkSimpleValue(
	schema: SchemaModel,
	typeName: string,
	raw: string,
): string | undefined {
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
	if (
		model.base === 'string' &&
		(model.length ?? model.minLength ?? model.maxLength) !== undefined
	) {
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

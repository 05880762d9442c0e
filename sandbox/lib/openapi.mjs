// @ts-check
/**
 * A focused check of requests against an OpenAPI 3 document, the subset WAHA's document uses:
 * `$ref`, `allOf`, `oneOf`, `nullable`, `type`, `enum`, `required`, `properties` and `items`.
 * Unknown properties are refused, because WAHA's strict mode runs class-validator with
 * `forbidNonWhitelisted` (github.com/devlikeapro/waha `src/nestjs/pipes/WAHAValidationPipe.ts`,
 * switched on by `WAHA_HTTP_STRICT_MODE`). Messages follow class-validator's wording so that a
 * refused test shows what WAHA would say.
 */

/**
 * @typedef {{ $ref?: string, allOf?: Schema[], oneOf?: Schema[], nullable?: boolean,
 *   type?: string, enum?: unknown[], required?: string[], properties?: Record<string, Schema>,
 *   items?: Schema, default?: unknown }} Schema
 * @typedef {{ name: string, in: string, required?: boolean, schema?: Schema }} Parameter
 * @typedef {{ parameters?: Parameter[],
 *   requestBody?: { content?: Record<string, { schema?: Schema }> } }} Operation
 * @typedef {{ paths: Record<string, Record<string, Operation>>,
 *   components?: { schemas?: Record<string, Schema> } }} OpenApiDocument
 */

/**
 * @param {OpenApiDocument} document
 */
export function createOpenApiCheck(document) {
	const routes = Object.entries(document.paths).map(([template, operations]) => ({
		pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
		// Literal segments first, so `/api/sessions/{session}` wins over `/api/{session}/...`.
		literals: template.split('/').filter((segment) => !segment.startsWith('{')).length,
		operations,
	}));
	routes.sort((a, b) => b.literals - a.literals);

	/** @param {Schema} schema */
	const resolve = (schema) => {
		let current = schema;
		while (current.$ref) {
			const name = current.$ref.replace('#/components/schemas/', '');
			current = document.components?.schemas?.[name] ?? {};
		}
		return current;
	};

	/**
	 * @param {Schema} rawSchema
	 * @param {unknown} value
	 * @param {string} where Property path, empty at the root.
	 * @returns {string[]}
	 */
	const check = (rawSchema, value, where) => {
		const schema = resolve(rawSchema);
		const name = where || 'body';
		if (value === null) return schema.nullable ? [] : [`${name} should not be null`];
		if (schema.allOf) return schema.allOf.flatMap((part) => check(part, value, where));
		if (schema.oneOf) {
			const results = schema.oneOf.map((part) => check(part, value, where));
			return results.some((problems) => problems.length === 0) ? [] : results[0];
		}
		if (schema.enum && !schema.enum.includes(value))
			return [`${name} must be one of the following values: ${schema.enum.join(', ')}`];
		switch (schema.type) {
			case 'string':
				return typeof value === 'string' ? [] : [`${name} must be a string`];
			case 'number':
				return typeof value === 'number' ? [] : [`${name} must be a number`];
			case 'boolean':
				return typeof value === 'boolean' ? [] : [`${name} must be a boolean value`];
			case 'array':
				if (!Array.isArray(value)) return [`${name} must be an array`];
				return schema.items
					? value.flatMap((item, index) =>
							check(/** @type {Schema} */ (schema.items), item, `${name}.${index}`),
						)
					: [];
			case 'object':
				return checkObject(schema, value, where);
			default:
				return [];
		}
	};

	/**
	 * @param {Schema} schema
	 * @param {unknown} value
	 * @param {string} where
	 */
	const checkObject = (schema, value, where) => {
		// A bare `type: object` is what WAHA's generator writes for a map (`metadata`) and for a
		// TypeScript enum it cannot describe (`WebhookConfig.events` items, which are strings):
		// the document does not say what is valid there.
		if (!schema.properties) return [];
		const prefix = where ? `${where}.` : '';
		if (typeof value !== 'object' || value === null || Array.isArray(value))
			return [`${where || 'body'} must be an object`];
		const record = /** @type {Record<string, unknown>} */ (value);
		const properties = schema.properties;
		return [
			...Object.keys(record)
				.filter((key) => !(key in properties))
				.map((key) => `property ${prefix}${key} should not exist`),
			// A property with a default (`session: 'default'`) is filled in by the DTO when missing.
			...(schema.required ?? [])
				.filter(
					(key) =>
						record[key] === undefined && resolve(properties[key] ?? {}).default === undefined,
				)
				.map((key) => `${prefix}${key} should not be empty`),
			...Object.entries(properties).flatMap(([key, property]) =>
				record[key] === undefined ? [] : check(property, record[key], `${prefix}${key}`),
			),
		];
	};

	/**
	 * A query value is text; a schema's number or boolean is read the way class-transformer does.
	 * @param {Parameter} parameter
	 * @param {string} value
	 */
	const checkQuery = (parameter, value) => {
		const schema = resolve(parameter.schema ?? {});
		if (schema.type === 'number' && !/^-?\d+(\.\d+)?$/.test(value))
			return [`${parameter.name} must be a number conforming to the specified constraints`];
		if (schema.type === 'boolean' && value !== 'true' && value !== 'false')
			return [`${parameter.name} must be a boolean value`];
		if (schema.enum && !schema.enum.includes(value))
			return [`${parameter.name} must be one of the following values: ${schema.enum.join(', ')}`];
		return [];
	};

	/**
	 * What WAHA's strict mode would refuse in this request, in class-validator's words; empty
	 * when the request conforms, or when the document does not describe the path.
	 * @param {string} method
	 * @param {string} path The path under the server root, e.g. `/api/sendText`.
	 * @param {Record<string, string>} query
	 * @param {unknown} body
	 * @returns {string[]}
	 */
	return function requestProblems(method, path, query, body) {
		const route = routes.find((candidate) => candidate.pattern.test(path));
		const operation = route?.operations[method.toLowerCase()];
		if (operation === undefined) return [];
		const queryParameters = (operation.parameters ?? []).filter(
			(parameter) => parameter.in === 'query',
		);
		const known = new Map(queryParameters.map((parameter) => [parameter.name, parameter]));
		const problems = [
			...Object.keys(query)
				.filter((name) => !known.has(name))
				.map((name) => `property ${name} should not exist`),
			...queryParameters
				.filter((parameter) => parameter.required && query[parameter.name] === undefined)
				.map((parameter) => `${parameter.name} should not be empty`),
			...Object.entries(query).flatMap(([name, value]) => {
				const parameter = known.get(name);
				return parameter ? checkQuery(parameter, value) : [];
			}),
		];
		const schema = operation.requestBody?.content?.['application/json']?.schema;
		if (schema) problems.push(...check(schema, body ?? {}, ''));
		return problems;
	};
}

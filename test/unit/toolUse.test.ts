/**
 * Every action node is offered to AI Agents as a tool, and n8n describes such a tool to the model
 * as "<operation action> in <node name>": so every operation needs an action, and a description
 * for whoever sets the tool up by hand.
 */
import type { INodeProperties, INodePropertyOptions, INodeType } from 'n8n-workflow';

import packageJson from '../../package.json';

const nodePaths = (packageJson as { n8n: { nodes: string[] } }).n8n.nodes;

/** `dist/nodes/Kaspi/Kaspi.node.js` → a fresh instance of the source's `Kaspi` class. */
function nodeOf(distPath: string): INodeType {
	const modulePath = `../../${distPath.replace(/^dist\//, '').replace(/\.js$/, '')}`;
	const className =
		modulePath
			.split('/')
			.pop()
			?.replace(/\.node$/, '') ?? '';
	const loaded = jest.requireActual<Record<string, new () => INodeType>>(modulePath);
	return new loaded[className]();
}

const actionNodes = nodePaths
	.map(nodeOf)
	.filter((node) => !node.description.group.includes('trigger'))
	.map((node) => [node.description.displayName, node] as const);

describe.each(actionNodes)('%s as an AI Agent tool', (_name, node) => {
	it('is usable as a tool', () => {
		expect(node.description.usableAsTool).toBe(true);
	});

	const operations = node.description.properties
		.filter(
			(property: INodeProperties) => property.name === 'operation' && property.type === 'options',
		)
		.flatMap((property) => {
			const resource = property.displayOptions?.show?.resource?.join(', ') ?? '';
			return ((property.options ?? []) as INodePropertyOptions[]).map((operation) => ({
				label: resource ? `${resource}: ${operation.name}` : operation.name,
				...operation,
			}));
		});

	it('has operations', () => {
		expect(operations.length).toBeGreaterThan(0);
	});

	it.each(operations.map((operation) => [operation.label, operation] as const))(
		'%s has a description and an action',
		(_operationName, operation) => {
			expect(operation.description?.trim()).toBeTruthy();
			expect(operation.action?.trim()).toBeTruthy();
		},
	);
});

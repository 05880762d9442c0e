/**
 * package.json against the source: the version constant, the node and credential paths n8n loads,
 * and the dependency rules for n8n Cloud.
 */
import type { ICredentialType, INodeType } from 'n8n-workflow';

import { PACKAGE_VERSION } from '../../nodes/shared/version';
import packageJson from '../../package.json';

interface Manifest {
	version: string;
	dependencies?: Record<string, string>;
	peerDependencies?: Record<string, string>;
	n8n: { nodes: string[]; credentials: string[] };
}
const manifest = packageJson as Manifest;

/** `dist/nodes/Kaspi/Kaspi.node.js` → the source module and the class it must export. */
function sourceOf(distPath: string): { modulePath: string; className: string } {
	const match = /^dist\/(.+)\.js$/.exec(distPath);
	if (!match) throw new Error(`${distPath} is not a path under dist/ ending in .js`);
	const className =
		match[1]
			.split('/')
			.pop()
			?.replace(/\.(node|credentials)$/, '') ?? '';
	return { modulePath: `../../${match[1]}`, className };
}

/** Loads a source module by its path relative to this file, as the build will compile it. */
function exportedClass<T>(distPath: string): T {
	const { modulePath, className } = sourceOf(distPath);
	const loaded = jest.requireActual<Record<string, new () => T>>(modulePath);
	expect(Object.keys(loaded)).toContain(className);
	return new loaded[className]();
}

describe('package.json', () => {
	it('has the version the nodes report in their User-Agent', () => {
		expect(PACKAGE_VERSION).toBe(manifest.version);
		expect(manifest.version).toMatch(/^\d+\.\d+\.\d+(-[\w.]+)?$/);
	});

	it('lists nodes and credentials', () => {
		expect(manifest.n8n.nodes.length).toBeGreaterThan(0);
		expect(manifest.n8n.credentials.length).toBeGreaterThan(0);
	});

	it.each(manifest.n8n.nodes)('node %s has a source file exporting its class', (distPath) => {
		const node = exportedClass<INodeType>(distPath);
		expect(node.description.name).toBe(
			sourceOf(distPath).className.replace(/^./, (first) => first.toLowerCase()),
		);
	});

	it.each(manifest.n8n.credentials)(
		'credential %s has a source file exporting its class',
		(distPath) => {
			const credential = exportedClass<ICredentialType>(distPath);
			expect(credential.name).toBe(
				sourceOf(distPath).className.replace(/^./, (first) => first.toLowerCase()),
			);
		},
	);

	it('has no runtime dependencies and only n8n-workflow as a peer', () => {
		expect(manifest.dependencies ?? {}).toEqual({});
		expect(Object.keys(manifest.peerDependencies ?? {})).toEqual(['n8n-workflow']);
	});
});

// @ts-check
/**
 * The tarball as `npm publish` would upload it (`npm pack --dry-run --json`): only the built
 * package, the schema, the workflows, the README, the licence and package.json; nothing stale,
 * no sources, tests, sandbox or source maps; and a manifest n8n's installer and verification
 * accept (no runtime dependencies, no install scripts, the supported n8n lines declared).
 * Run after `npm run build`: node --test test/package/
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { before, describe, test } from 'node:test';

import { loadBuiltClass, manifest, requireBuild, ROOT } from './lib.mjs';

/** Each shipped path must match one of these; anything else fails the test. */
const ALLOWED = [
	/^package\.json$/,
	/^README\.md$/,
	/^LICENSE$/,
	/^dist\/(nodes|credentials)\/.+\.(js|d\.ts)$/,
	/^dist\/nodes\/.+\.(svg|png)$/,
	/^dist\/nodes\/[^/]+\/[^/]+\.node\.json$/,
	/^schemas\/[^/]+\.xsd$/,
	/^workflows\/[^/]+\.json$/,
];

/** @type {string[]} */
let shipped = [];

before(() => {
	requireBuild();
	const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
		cwd: ROOT,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	/** @type {[{ files: { path: string }[] }]} */
	const [packed] = JSON.parse(output);
	shipped = packed.files.map((file) => file.path).sort();
});

/**
 * Files directly in a repository folder whose names match.
 * @param {string} folder
 * @param {RegExp} pattern
 */
function filesIn(folder, pattern) {
	return readdirSync(join(ROOT, folder))
		.filter((name) => pattern.test(name))
		.map((name) => `${folder}/${name}`)
		.sort();
}

describe('npm pack', () => {
	test('ships only the build, the schema, the workflows, README, LICENSE and package.json', () => {
		const unexpected = shipped.filter((path) => !ALLOWED.some((pattern) => pattern.test(path)));
		assert.deepEqual(unexpected, []);
		for (const required of ['package.json', 'README.md', 'LICENSE']) {
			assert.ok(shipped.includes(required), `${required} is missing from the tarball`);
		}
	});

	test('ships no changelog, tests, sandbox, docs, CI files or TypeScript sources', () => {
		const leaked = shipped.filter(
			(path) =>
				/^(CHANGELOG|test|sandbox|bench|docs|\.github|\.ci|nodes|credentials)\b/.test(path) ||
				(/\.ts$/.test(path) && !/\.d\.ts$/.test(path)) ||
				/(^|\/)__tests__\/|\.test\.|\.spec\./.test(path),
		);
		assert.deepEqual(leaked, []);
	});

	test('ships every schema and every workflow of the repository', () => {
		assert.deepEqual(
			shipped.filter((path) => path.startsWith('schemas/')),
			filesIn('schemas', /\.xsd$/),
		);
		const workflows = filesIn('workflows', /\.json$/);
		assert.ok(workflows.length > 0, 'the repository has workflows to ship');
		assert.deepEqual(
			shipped.filter((path) => path.startsWith('workflows/')),
			workflows,
		);
	});

	test('ships every node and credential n8n loads, with its codex file', () => {
		for (const path of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) {
			assert.ok(shipped.includes(path), `${path} is listed in package.json but not shipped`);
		}
		for (const path of manifest.n8n.nodes) {
			const codex = path.replace(/\.js$/, '.json');
			assert.ok(shipped.includes(codex), `${codex} (the codex of ${path}) is not shipped`);
		}
	});

	test('ships the icon files every node and credential points at', () => {
		/** @type {[string, unknown][]} */
		const icons = [];
		for (const path of manifest.n8n.nodes) {
			/** @type {{ description: { icon?: unknown } }} */
			const node = loadBuiltClass(path);
			icons.push([path, node.description.icon]);
		}
		for (const path of manifest.n8n.credentials) {
			/** @type {{ icon?: unknown }} */
			const credential = loadBuiltClass(path);
			icons.push([path, credential.icon]);
		}
		for (const [path, icon] of icons) {
			const references =
				typeof icon === 'string' ? [icon] : Object.values(/** @type {object} */ (icon ?? {}));
			assert.ok(references.length > 0, `${path} has no icon`);
			for (const reference of references) {
				const match = /^file:(.+)$/.exec(String(reference));
				assert.ok(match, `${path}: icon ${String(reference)} is not a file: reference`);
				const iconPath = join(dirname(path), match[1]).replace(/\\/g, '/');
				assert.ok(shipped.includes(iconPath), `${path}: icon ${iconPath} is not shipped`);
			}
		}
	});

	test('ships no stale build output: every built file has its source', () => {
		const orphans = shipped
			.filter((path) => path.startsWith('dist/'))
			.filter((path) => {
				const source = path.replace(/^dist\//, '').replace(/\.(js|d\.ts)$/, '.ts');
				return !existsSync(join(ROOT, source));
			});
		assert.deepEqual(orphans, []);
	});

	test('ships no source maps and no reference to one', () => {
		assert.deepEqual(
			shipped.filter((path) => path.endsWith('.map')),
			[],
		);
		const pointing = shipped
			.filter((path) => path.endsWith('.js'))
			.filter((path) => /\/\/# sourceMappingURL=/.test(readFileSync(join(ROOT, path), 'utf8')));
		assert.deepEqual(pointing, []);
	});

	test('ships the codex files exactly as they are in the sources', () => {
		for (const path of shipped.filter((file) => file.endsWith('.node.json'))) {
			const source = path.replace(/^dist\//, '');
			assert.deepEqual(
				JSON.parse(readFileSync(join(ROOT, path), 'utf8')),
				JSON.parse(readFileSync(join(ROOT, source), 'utf8')),
				`${path} differs from ${source}: rebuild`,
			);
		}
	});
});

/**
 * True when `version` satisfies a range made only of caret ranges joined by `||`
 * (the form package.json uses for engines.n8n), e.g. `^1.123.0 || ^2.41.0`.
 * @param {string} version
 * @param {string} range
 */
function satisfiesCaretRanges(version, range) {
	const [major, minor, patch] = version.split('.').map(Number);
	return range.split('||').some((part) => {
		const caret = /^\^(\d+)\.(\d+)\.(\d+)$/.exec(part.trim());
		if (!caret) throw new Error(`engines.n8n part "${part.trim()}" is not a caret range ^X.Y.Z`);
		const [low, lowMinor, lowPatch] = caret.slice(1).map(Number);
		return major === low && (minor > lowMinor || (minor === lowMinor && patch >= lowPatch));
	});
}

describe('package.json as published', () => {
	test('has no runtime, optional or bundled dependencies, and only n8n-workflow as a peer', () => {
		assert.deepEqual(manifest.dependencies ?? {}, {});
		assert.deepEqual(manifest.optionalDependencies ?? {}, {});
		assert.equal(manifest.bundleDependencies ?? manifest.bundledDependencies, undefined);
		assert.deepEqual(manifest.peerDependencies, { 'n8n-workflow': '*' });
	});

	test('runs no script when installed', () => {
		const installScripts = ['preinstall', 'install', 'postinstall', 'prepare', 'prepublish'];
		assert.deepEqual(
			Object.keys(manifest.scripts ?? {}).filter((name) => installScripts.includes(name)),
			[],
		);
	});

	test('declares the n8n lines it supports, covering every n8n the end-to-end tests pin', () => {
		const range = manifest.engines?.n8n;
		assert.equal(typeof range, 'string', 'engines.n8n is declared');
		const pinned = readdirSync(join(ROOT, 'test/e2e'), { withFileTypes: true })
			.filter((entry) => entry.isDirectory())
			.map((entry) => join(ROOT, 'test/e2e', entry.name, 'package.json'))
			.filter((path) => existsSync(path))
			.map((path) => JSON.parse(readFileSync(path, 'utf8')).dependencies?.n8n)
			.filter((version) => typeof version === 'string');
		assert.ok(pinned.length > 0, 'the end-to-end tests pin an n8n version');
		for (const version of pinned) {
			assert.ok(
				satisfiesCaretRanges(version, String(range)),
				`n8n ${version} (pinned for the end-to-end tests) is outside engines.n8n "${range}"`,
			);
		}
		assert.ok(!satisfiesCaretRanges('3.0.0', String(range)), 'n8n 3.x is not claimed untested');
		assert.ok(!satisfiesCaretRanges('1.122.0', String(range)), 'n8n before 1.123 is not claimed');
	});
});

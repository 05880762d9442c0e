// @ts-check
/**
 * The emulators are written from the vendors' sources and share no code with the nodes: if an
 * emulator loaded a node's constants, a wrong constant would be enforced by both sides and no test
 * could fail. So no file under `sandbox/` may import from `nodes/` or `dist/` (type imports in JSDoc
 * included), nor reach them through the package's own name. The emulators' files import only
 * each other and bare `node:` or package specifiers. Run: node --test test/sandbox/independence.test.mjs
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SANDBOX = join(ROOT, 'sandbox');
const FORBIDDEN_DIRS = ['nodes', 'dist'].map((dir) => join(ROOT, dir));
/** The loader that once handed the nodes' compiled constants to the emulators; it stays gone. */
const WIRE_LOADER = join(SANDBOX, 'lib', 'wire.mjs');
const OWN_PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).name;
/**
 * `npm run demo` is harness code, not an emulator: it starts n8n with the packed pack through the
 * end-to-end harness, so it may import from `test/`. It still must not import the nodes itself.
 */
const HARNESS_FILES = new Set([join(SANDBOX, 'demo.mjs')]);

/**
 * Every way a module names another: static and re-exporting `from`, side-effect imports, dynamic
 * `import()` (which is also the JSDoc type-import form), `require()`, and a `new URL(…,
 * import.meta.url)` handed to a loader. Comments are scanned too, because JSDoc types live there.
 */
const SPECIFIER_PATTERNS = [
	/\bfrom\s*(['"])([^'"]+)\1/g,
	/\bimport\s*(['"])([^'"]+)\1/g,
	/\bimport\s*\(\s*(['"`])([^'"`]+)\1/g,
	/\brequire(?:\.resolve)?\s*\(\s*(['"`])([^'"`]+)\1/g,
	/\bnew\s+URL\s*\(\s*(['"`])([^'"`]+)\1\s*,\s*import\.meta\.url/g,
];

/**
 * @param {string} source
 * @returns {string[]}
 */
function specifiersIn(source) {
	return SPECIFIER_PATTERNS.flatMap((pattern) =>
		[...source.matchAll(pattern)].map((match) => match[2]),
	);
}

/**
 * The file a specifier names, or null for a bare one (`node:fs`, `axios`).
 * @param {string} specifier
 * @param {string} fromFile
 * @returns {string | null}
 */
function resolveSpecifier(specifier, fromFile) {
	if (specifier.startsWith('file:')) return fileURLToPath(specifier);
	if (specifier.startsWith('.') || isAbsolute(specifier))
		return resolve(dirname(fromFile), specifier);
	if (specifier === OWN_PACKAGE || specifier.startsWith(`${OWN_PACKAGE}/`))
		return join(ROOT, specifier.slice(OWN_PACKAGE.length));
	return null;
}

/**
 * @param {string} dir
 * @param {string} file
 */
function isInside(dir, file) {
	const path = relative(dir, file);
	return path === '' || (!path.startsWith('..') && !isAbsolute(path));
}

/**
 * Why importing `specifier` from `file` breaks the rule, or null when it does not.
 * @param {string} specifier
 * @param {string} file
 * @returns {string | null}
 */
function violation(specifier, file) {
	const target = resolveSpecifier(specifier, file);
	if (target === null) return null;
	if (FORBIDDEN_DIRS.some((dir) => isInside(dir, target)))
		return 'reaches the nodes or their build';
	if (target === WIRE_LOADER) return 'uses the shared constants loader';
	if (!HARNESS_FILES.has(file) && !isInside(SANDBOX, target)) return 'leaves sandbox/';
	return null;
}

/**
 * @param {string} dir
 * @returns {string[]}
 */
function scriptsUnder(dir) {
	return readdirSync(dir, { recursive: true, encoding: 'utf8' })
		.filter((path) => /\.(?:[cm]?js|[cm]?ts)$/.test(path))
		.map((path) => join(dir, path));
}

describe('the sandbox imports nothing of the nodes', () => {
	test('the specifier scan sees every import form', () => {
		const source = [
			"import { a } from '../../nodes/A/types.ts';",
			"export * from '../lib/b.mjs';",
			"import '../side-effect.mjs';",
			"const c = await import('node:fs');",
			"/** @typedef {import('../../nodes/D/types.ts').D} D */",
			"const e = require('../../dist/e.js');",
			'const f = new URL(`../../dist/${name}`, import.meta.url);',
		].join('\n');
		assert.deepEqual(specifiersIn(source).sort(), [
			'../../dist/${name}',
			'../../dist/e.js',
			'../../nodes/A/types.ts',
			'../../nodes/D/types.ts',
			'../lib/b.mjs',
			'../side-effect.mjs',
			'node:fs',
		]);
	});

	test('the rule tells an emulator import from a forbidden one', () => {
		const emulator = join(SANDBOX, 'services', 'x.mjs');
		assert.equal(violation('../lib/http.mjs', emulator), null);
		assert.equal(violation('node:crypto', emulator), null);
		assert.equal(violation('axios', emulator), null);
		assert.match(String(violation('../../nodes/Waha/transport/types.ts', emulator)), /nodes/);
		assert.match(String(violation(`${OWN_PACKAGE}/dist/index.js`, emulator)), /nodes/);
		assert.match(String(violation('../lib/wire.mjs', emulator)), /loader/);
		assert.match(String(violation('../../test/e2e/lib/shop.mjs', emulator)), /leaves/);
		assert.equal(violation('../test/e2e/lib/shop.mjs', join(SANDBOX, 'demo.mjs')), null);
	});

	const files = scriptsUnder(SANDBOX);

	test('the scan covers the server and every emulator', () => {
		for (const expected of ['server.mjs', 'services/waha.mjs', 'services/amocrm.mjs'])
			assert.ok(files.includes(join(SANDBOX, expected)), `${expected} not scanned`);
	});

	for (const file of files) {
		test(relative(ROOT, file), () => {
			const problems = specifiersIn(readFileSync(file, 'utf8')).flatMap((specifier) => {
				const why = violation(specifier, file);
				return why === null ? [] : [`'${specifier}' ${why}`];
			});
			assert.deepEqual(problems, []);
		});
	}
});

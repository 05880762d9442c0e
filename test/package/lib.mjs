// @ts-check
/**
 * Shared by the package tests: the repository root, the manifest, the built classes n8n loads,
 * and the README's anchors. The tests read `dist/`, so they run after `npm run build`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const REPOSITORY_URL = 'https://github.com/kz-commerce/n8n-nodes-kz-commerce';

/**
 * @typedef {{
 *   name: string,
 *   version: string,
 *   files?: string[],
 *   scripts?: Record<string, string>,
 *   engines?: Record<string, string>,
 *   dependencies?: Record<string, string>,
 *   peerDependencies?: Record<string, string>,
 *   optionalDependencies?: Record<string, string>,
 *   bundleDependencies?: unknown,
 *   bundledDependencies?: unknown,
 *   n8n: { nodes: string[], credentials: string[] },
 * }} Manifest
 */

/** @type {Manifest} */
export const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

const requireFromRoot = createRequire(join(ROOT, 'package.json'));

/** Fails with the fix when the build is missing, instead of a list of confusing mismatches. */
export function requireBuild() {
	const missing = [...manifest.n8n.nodes, ...manifest.n8n.credentials].filter(
		(path) => !existsSync(join(ROOT, path)),
	);
	if (missing.length > 0) {
		throw new Error(`${missing.join(', ')} not built: run \`npm run build\` first`);
	}
}

/**
 * Instantiates the class a `dist/…/<Name>.(node|credentials).js` path exports, as n8n's loader does.
 * @template T
 * @param {string} distPath
 * @returns {T}
 */
export function loadBuiltClass(distPath) {
	const className =
		distPath
			.split('/')
			.pop()
			?.replace(/\.(node|credentials)\.js$/, '') ?? '';
	const exported = requireFromRoot(join(ROOT, distPath))[className];
	if (typeof exported !== 'function')
		throw new Error(`${distPath} does not export class ${className}`);
	return new exported();
}

/**
 * GitHub's heading anchor: lower case, punctuation other than `-` and `_` dropped, spaces to `-`.
 * @param {string} heading the heading text without the leading `#`s
 */
export function githubSlug(heading) {
	return heading
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{N}\s_-]/gu, '')
		.replace(/\s/g, '-');
}

/**
 * Every anchor a link into README.md can land on (headings and `<a id>`), each with the text of
 * its section: up to the next heading or the next explicit anchor.
 * @returns {Map<string, string>} anchor → section text
 */
export function readmeSections() {
	const lines = readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n');
	/** @type {Map<string, string>} */
	const sections = new Map();
	/** @type {string[]} */
	let open = [];
	let inFence = false;
	for (const line of lines) {
		if (/^\s*```/.test(line)) inFence = !inFence;
		const heading = inFence ? null : /^#{1,6}\s+(.+)$/.exec(line);
		const ids = [...line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)].map((match) => match[1]);
		if (heading || ids.length > 0) open = [];
		for (const anchor of [...(heading ? [githubSlug(heading[1])] : []), ...ids]) {
			if (!sections.has(anchor)) sections.set(anchor, '');
			open.push(anchor);
		}
		for (const anchor of open) sections.set(anchor, `${sections.get(anchor)}${line}\n`);
	}
	return sections;
}

/**
 * The README section a documentation URL of this repository points at, or undefined.
 * @param {Map<string, string>} sections from readmeSections()
 * @param {string} url
 */
export function sectionOf(sections, url) {
	const prefix = `${REPOSITORY_URL}#`;
	return url.startsWith(prefix) ? sections.get(url.slice(prefix.length)) : undefined;
}

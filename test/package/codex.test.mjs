// @ts-check
/**
 * What the n8n editor shows around the nodes: each node's codex (categories, search aliases in
 * English, Russian and Kazakh, documentation links) and each credential's link to the README
 * section that says where its token is found.
 * Run after `npm run build`: node --test test/package/
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';

import {
	loadBuiltClass,
	manifest,
	readmeSections,
	REPOSITORY_URL,
	requireBuild,
	ROOT,
	sectionOf,
} from './lib.mjs';

/** The categories n8n's own nodes use (n8n-nodes-base 1.121 codex files). */
const N8N_CATEGORIES = [
	'Analytics',
	'Communication',
	'Data & Storage',
	'Development',
	'Finance & Accounting',
	'Marketing',
	'Miscellaneous',
	'Productivity',
	'Sales',
	'Utility',
];

const CYRILLIC = /\p{Script=Cyrillic}/u;
/**
 * Letters Kazakh has and Russian lacks (ә, ғ, қ, ң, ө, ұ, ү, һ, і). Many Kazakh words need none of
 * them ("тапсырыс", "хабарлама"), so this only proves that at least one alias is Kazakh.
 */
const KAZAKH = /[әғқңөұүһі]/iu;
const LATIN = /[a-z]/i;

/**
 * @typedef {{ url: string }} DocumentationLink
 * @typedef {{
 *   node: string, nodeVersion: string, codexVersion: string, categories: string[],
 *   subcategories?: Record<string, string[]>, alias: string[],
 *   resources: { primaryDocumentation?: DocumentationLink[], credentialDocumentation?: DocumentationLink[] },
 * }} Codex
 * @typedef {{ displayName: string, name: string, type: string, description?: string,
 *   typeOptions?: { password?: boolean } }} Property
 * @typedef {{ name: string, displayName: string, documentationUrl?: string, properties: Property[] }} Credential
 * @typedef {{ description: { name: string, displayName: string, credentials?: { name: string }[] } }} Node
 */

/** @type {Map<string, string>} */
let readme;
/** @type {Map<string, Credential>} credential type name → instance */
const credentials = new Map();

before(() => {
	requireBuild();
	readme = readmeSections();
	for (const path of manifest.n8n.credentials) {
		/** @type {Credential} */
		const credential = loadBuiltClass(path);
		credentials.set(credential.name, credential);
	}
});

/**
 * The codex beside a node's source: `dist/nodes/Kaspi/Kaspi.node.js` → `nodes/Kaspi/Kaspi.node.json`.
 * @param {string} distPath
 * @returns {Codex}
 */
function codexOf(distPath) {
	const source = distPath.replace(/^dist\//, '').replace(/\.js$/, '.json');
	return JSON.parse(readFileSync(join(ROOT, source), 'utf8'));
}

/**
 * Fails unless the URL is a link into this repository's README that lands on an existing anchor.
 * @param {string | undefined} url
 * @param {string} owner who carries the link, for the message
 */
function assertReadmeLink(url, owner) {
	assert.ok(url, `${owner} has a documentation link`);
	assert.ok(
		url.startsWith(`${REPOSITORY_URL}#`),
		`${owner}: ${url} does not point into ${REPOSITORY_URL}'s README`,
	);
	assert.ok(
		sectionOf(readme, url) !== undefined,
		`${owner}: ${url} names no heading or anchor in README.md`,
	);
}

describe('node codex files', () => {
	for (const distPath of manifest.n8n.nodes) {
		describe(distPath, () => {
			test('names its node and uses n8n categories', () => {
				/** @type {Node} */
				const node = loadBuiltClass(distPath);
				const codex = codexOf(distPath);
				assert.equal(codex.node, `${manifest.name}.${node.description.name}`);
				assert.equal(codex.codexVersion, '1.0');
				assert.ok(codex.categories.length > 0, 'has a category');
				for (const category of codex.categories) {
					assert.ok(N8N_CATEGORIES.includes(category), `"${category}" is not an n8n category`);
				}
				for (const [category, subcategories] of Object.entries(codex.subcategories ?? {})) {
					assert.ok(
						codex.categories.includes(category),
						`subcategory group "${category}" is not a category`,
					);
					assert.ok(subcategories.length > 0);
				}
			});

			test('has English, Russian and Kazakh search aliases, without duplicates', () => {
				const { alias } = codexOf(distPath);
				assert.ok(
					alias.some((word) => LATIN.test(word)),
					'an English alias',
				);
				assert.ok(
					alias.some((word) => CYRILLIC.test(word) && !KAZAKH.test(word)),
					'a Russian alias (Cyrillic, with no Kazakh-only letter)',
				);
				assert.ok(
					alias.some((word) => KAZAKH.test(word)),
					'a Kazakh alias (one with a letter only Kazakh uses)',
				);
				const lower = alias.map((word) => word.toLowerCase());
				assert.deepEqual(
					lower.filter((word, index) => lower.indexOf(word) !== index),
					[],
				);
				assert.ok(alias.every((word) => word.trim() === word && word.length > 0));
			});

			test('links its README section and the README sections of its credentials', () => {
				/** @type {Node} */
				const node = loadBuiltClass(distPath);
				const { resources } = codexOf(distPath);
				assert.equal(resources.primaryDocumentation?.length, 1, 'one primary documentation link');
				assertReadmeLink(resources.primaryDocumentation?.[0].url, `${distPath} codex`);
				const expected = (node.description.credentials ?? [])
					.map((reference) => credentials.get(reference.name)?.documentationUrl)
					.sort();
				const linked = (resources.credentialDocumentation ?? []).map((link) => link.url).sort();
				assert.deepEqual(
					linked,
					expected,
					'credentialDocumentation lists the documentation of the node’s credentials',
				);
				for (const url of linked) assertReadmeLink(url, `${distPath} codex`);
			});
		});
	}
});

describe('credentials', () => {
	for (const distPath of manifest.n8n.credentials) {
		test(`${distPath} links the README section that explains its token and key fields`, () => {
			/** @type {Credential} */
			const credential = loadBuiltClass(distPath);
			assertReadmeLink(credential.documentationUrl, credential.displayName);
			const section = sectionOf(readme, String(credential.documentationUrl)) ?? '';
			const secrets = credential.properties.filter(
				(property) =>
					property.type !== 'hidden' &&
					(/token|key|secret/i.test(`${property.name} ${property.displayName}`) ||
						(property.typeOptions?.password === true && property.name !== 'password')),
			);
			for (const field of secrets) {
				assert.ok(
					(field.description ?? '').length >= 30,
					`${credential.displayName} → ${field.displayName}: the field's description says where to find it`,
				);
				const label = field.displayName.replace(/\s*\(.*\)\s*$/, '').toLowerCase();
				assert.ok(
					section.toLowerCase().includes(label),
					`${credential.displayName} → ${field.displayName}: the README section ${credential.documentationUrl} does not mention "${label}"`,
				);
			}
		});
	}
});

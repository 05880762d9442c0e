// @ts-check
/**
 * The README and the Russian quick start link only to what exists: every relative link and image
 * names a file of the repository, and every `#anchor` into the README names one of its sections.
 * Every test file the documentation cites by path (the conformance tables of docs/services/, the
 * architecture page) exists, so a moved test cannot leave its citation behind.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, test } from 'node:test';

import { readmeSections, ROOT } from './lib.mjs';

const DOCUMENTS = ['README.md', 'docs/ru/QUICKSTART.md'];
const README = join(ROOT, 'README.md');

/**
 * Relative targets of Markdown links and images, and of HTML `src`/`href` attributes, outside code.
 * @param {string} text
 */
function relativeTargets(text) {
	const prose = text.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
	const targets = [
		...[...prose.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((match) => match[1]),
		...[...prose.matchAll(/\s(?:src|href)="([^"]+)"/g)].map((match) => match[1]),
	];
	return targets.filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

describe('documentation links', () => {
	const sections = readmeSections();
	for (const document of DOCUMENTS) {
		test(`${document} links only to files and README sections that exist`, () => {
			const path = join(ROOT, document);
			const targets = relativeTargets(readFileSync(path, 'utf8'));
			assert.ok(targets.length > 0, `${document} has relative links to check`);
			for (const target of targets) {
				const [file, anchor] = target.split('#');
				const resolved = file ? join(dirname(path), decodeURIComponent(file)) : path;
				assert.ok(
					existsSync(resolved),
					`${document}: ${target} → ${relative(ROOT, resolved)} does not exist`,
				);
				if (anchor && resolved === README)
					assert.ok(sections.has(anchor), `${document}: README has no section #${anchor}`);
			}
		});
	}

	test('the README links to the Russian quick start, and the quick start back to the README', () => {
		assert.ok(relativeTargets(readFileSync(README, 'utf8')).includes('docs/ru/QUICKSTART.md'));
		assert.ok(
			relativeTargets(readFileSync(join(ROOT, 'docs/ru/QUICKSTART.md'), 'utf8')).includes(
				'../../README.md',
			),
		);
	});
});

/** README.md, sandbox/README.md and every Markdown file under docs/, relative to the root. */
function markdownDocuments() {
	const underDocs = readdirSync(join(ROOT, 'docs'), { recursive: true, encoding: 'utf8' })
		.filter((name) => name.endsWith('.md'))
		.map((name) => join('docs', name));
	return ['README.md', 'sandbox/README.md', ...underDocs];
}

test('the documentation cites only test files that exist', () => {
	const cited = new Set();
	for (const document of markdownDocuments()) {
		const text = readFileSync(join(ROOT, document), 'utf8');
		for (const [path] of text.matchAll(/\btest\/[\w./-]+\.(?:ts|mjs|sh)\b/g)) {
			cited.add(path);
			assert.ok(existsSync(join(ROOT, path)), `${document} cites ${path}, which does not exist`);
		}
	}
	assert.ok(cited.size > 20, 'the conformance tables cite their tests');
});

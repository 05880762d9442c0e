// Runs n8n's official community-package scanner offline, on the sources and on the packed
// tarball exactly as it would be published (the scanner's registry download is the only online
// part, so it is replaced by `npm pack`).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
/** @type {{ analyzePackage: (dir: string, patterns: string[]) => Promise<ScanResult>, SOURCE_FILE_PATTERNS: string[] }} */
// @ts-expect-error the scanner ships no type declarations
const scanner = await import('@n8n/scan-community-package/scanner/scanner.mjs');
const work = mkdtempSync(join(tmpdir(), 'kz-scan-'));
let failed = 0;

/**
 * @typedef {{ passed: boolean, message?: string, details?: unknown }} ScanResult
 * @param {string} leg
 * @param {ScanResult} result
 */
function report(leg, result) {
	console.log(`${result.passed ? 'ok  ' : 'FAIL'} scanner ${leg}: ${result.message ?? ''}`);
	if (!result.passed) {
		failed++;
		console.log(JSON.stringify(result.details ?? {}, null, 2).slice(0, 4000));
	}
}

try {
	report('source', await scanner.analyzePackage(root, scanner.SOURCE_FILE_PATTERNS));
	const [packed] = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--pack-destination', work], {
			cwd: root,
			encoding: 'utf8',
		}),
	);
	execFileSync('tar', ['-xzf', join(work, packed.filename), '-C', work]);
	report(
		'tarball',
		await scanner.analyzePackage(join(work, 'package'), ['**/*.js', 'package.json']),
	);
} finally {
	rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

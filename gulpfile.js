/**
 * Build: compile TypeScript, then copy what tsc does not emit but n8n loads from dist/ (node
 * icons and the codex files beside each node).
 */
const { src, dest, series } = require('gulp');
const { execFileSync } = require('node:child_process');
const { rmSync } = require('node:fs');

function clean(done) {
	rmSync('dist', { recursive: true, force: true });
	done();
}

function compile(done) {
	execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json'], {
		stdio: 'inherit',
	});
	done();
}

function assets() {
	return src(['nodes/**/*.svg', 'nodes/**/*.png', 'nodes/**/*.node.json'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

exports.build = series(clean, compile, assets);
exports.default = exports.build;

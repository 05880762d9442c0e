/**
 * Build: generate the Kaspi price-list validator from schemas/kaspishopping.xsd, compile
 * TypeScript, then copy what tsc does not emit but n8n loads from dist/ (node icons and the codex
 * files beside each node).
 */
const { src, dest, series } = require('gulp');
const { execFileSync } = require('node:child_process');
const { rmSync } = require('node:fs');

function clean(done) {
	rmSync('dist', { recursive: true, force: true });
	done();
}

/** The generated module is committed too, so jest and tsc work before a build; a test checks it is current. */
function codegen(done) {
	require('./schemas/xsd-codegen.js').writeGenerated();
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

exports.build = series(clean, codegen, compile, assets);
exports.default = exports.build;

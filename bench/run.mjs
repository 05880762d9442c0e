// `npm run bench`: runs every bench/*.bench.mjs in turn (or those named on the command line) and
// prints their figures. Benchmarks measure; they never pass or fail on a timing.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const here = import.meta.dirname;
const wanted = process.argv.slice(2);
const files = readdirSync(here)
	.filter((file) => file.endsWith('.bench.mjs'))
	.filter((file) => !wanted.length || wanted.some((name) => file.includes(name)))
	.sort();

for (const file of files) {
	console.log(`\n## ${file}`);
	const bench = await import(pathToFileURL(join(here, file)).href);
	await bench.default();
}

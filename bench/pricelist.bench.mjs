// @ts-check
// Kaspi price list: build and validate 1,000 / 10,000 / 100,000 offers (wall time, peak RSS), with
// libxml2 as the reference on the same file (libxmljs2 in-process, and `xmllint --noout --schema`);
// then the Al-Style request count and time of a full versus a stock-only refresh at 5 s pacing.
//
// Each measurement runs in its own child process so that its peak RSS is its own.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(import.meta.dirname, '..');
const SELF = fileURLToPath(import.meta.url);
const XSD = join(root, 'schemas', 'kaspishopping.xsd');
const SIZES = [1_000, 10_000, 100_000];

/** Supplier-like items, as the Al-Style node would hand them to the price-list node. */
function supplierItems(count) {
	const items = [];
	for (let i = 0; i < count; i++) {
		items.push({
			article: 10_000 + i,
			name: `Ноутбук Lenovo IdeaPad ${i % 97} 15ITL6 "${i % 13}" & сумка <серый>`,
			brand: i % 5 ? 'Lenovo' : '',
			price2: i % 50 ? 1000 + (i % 900_000) : null,
			quantity: i % 7 ? String(i % 60) : '>50',
			almaty: 1000 + (i % 1000),
			astana: 1100 + (i % 1000),
		});
	}
	return items;
}

async function child(operation, size, file) {
	let detail = '';
	if (operation === 'build') {
		const { mapItem } = require(join(root, 'dist/nodes/KaspiPriceList/xml/mapping.js'));
		const { PriceListWriter } = require(join(root, 'dist/nodes/KaspiPriceList/xml/writer.js'));
		const items = supplierItems(size);
		const t0 = process.hrtime.bigint();
		const options = {
			skuField: 'article',
			skuPrefix: 'ALS',
			modelField: 'name',
			brandField: 'brand',
			priceMode: 'single',
			priceField: 'price2',
			cityPrices: [],
			markupPercent: 12,
			markupFixed: 0,
			rounding: 'up',
			roundingStep: 10,
			minStock: 1,
			maxStock: 0,
			stores: [
				{ storeId: 'PP1', stockField: 'quantity', preOrder: 0 },
				{ storeId: 'PP2', stockField: 'quantity', preOrder: 3 },
			],
		};
		const writer = new PriceListWriter({
			company: 'ТОО «Бенчмарк»',
			merchantId: '30123456',
			date: '2026-11-22 14:30',
		});
		let skipped = 0;
		for (const json of items) {
			const result = mapItem(json, options);
			if ('offer' in result) writer.add(result.offer);
			else skipped++;
		}
		const xml = writer.finish();
		const ms = Number(process.hrtime.bigint() - t0) / 1e6;
		writeFileSync(file, xml);
		detail = `${writer.offers} offers, ${skipped} skipped, ${(xml.length / 1e6).toFixed(1)} MB`;
		return report(ms, detail);
	}
	if (operation === 'validate') {
		const { validateXml } = require(join(root, 'dist/nodes/KaspiPriceList/xml/validator.js'));
		const { KASPI_SCHEMA } = require(
			join(root, 'dist/nodes/KaspiPriceList/generated/kaspiSchema.js'),
		);
		const bytes = readFileSync(file);
		const t0 = process.hrtime.bigint();
		const result = validateXml(bytes.toString('utf8'), KASPI_SCHEMA);
		const ms = Number(process.hrtime.bigint() - t0) / 1e6;
		return report(ms, `valid=${result.valid}`);
	}
	if (operation === 'libxmljs2') {
		const libxml = require('libxmljs2');
		const schema = libxml.parseXml(readFileSync(XSD, 'utf8'));
		const bytes = readFileSync(file);
		const t0 = process.hrtime.bigint();
		const doc = libxml.parseXml(bytes.toString('utf8'), { huge: true });
		const valid = doc.validate(schema);
		const ms = Number(process.hrtime.bigint() - t0) / 1e6;
		return report(ms, `valid=${valid}`);
	}
	throw new Error(`unknown operation ${operation}`);
}

function report(ms, detail) {
	process.stdout.write(
		JSON.stringify({ ms, rssMb: process.resourceUsage().maxRSS / 1024, detail }),
	);
}

function runChild(operation, size, file) {
	const out = execFileSync(process.execPath, [SELF, '--child', operation, String(size), file], {
		encoding: 'utf8',
	});
	return JSON.parse(out);
}

function xmllint(file) {
	if (!existsSync('/usr/bin/xmllint')) {
		const install = spawnSync('apt-get', ['install', '-y', 'libxml2-utils'], { encoding: 'utf8' });
		if (install.status !== 0) return undefined;
	}
	const started = process.hrtime.bigint();
	const run = spawnSync(
		'/usr/bin/time',
		['-f', '%M', 'xmllint', '--noout', '--huge', '--schema', XSD, file],
		{ encoding: 'utf8' },
	);
	const ms = Number(process.hrtime.bigint() - started) / 1e6;
	const rss = Number(/(\d+)\s*$/.exec(run.stderr)?.[1] ?? NaN) / 1024;
	return { ms, rssMb: rss, detail: run.status === 0 ? 'valid' : run.stderr.split('\n')[0] };
}

const fmt = (r) =>
	r ? `${(r.ms / 1000).toFixed(2).padStart(6)} s  ${r.rssMb.toFixed(0).padStart(5)} MB` : '   n/a';

export default async function bench() {
	const dir = mkdtempSync(join(tmpdir(), 'kaspi-pricelist-'));
	try {
		console.log(
			'offers   | build (mapping+XML)      | validate (pack)          | libxmljs2 (parse+XSD)    | xmllint --schema         | pack/libxml2',
		);
		for (const size of SIZES) {
			const file = join(dir, `feed-${size}.xml`);
			const build = runChild('build', size, file);
			const validate = runChild('validate', size, file);
			const libxml = runChild('libxmljs2', size, file);
			const lint = xmllint(file);
			const best = Math.min(libxml.ms, lint?.ms ?? Infinity);
			console.log(
				`${String(size).padStart(8)} | ${fmt(build)} | ${fmt(validate)} | ${fmt(libxml)} | ${fmt(lint)} | ${(validate.ms / best).toFixed(2)}×`,
			);
			console.log(
				`         | ${build.detail}; pack ${validate.detail}, libxmljs2 ${libxml.detail}, xmllint ${lint?.detail ?? 'not installed'}`,
			);
		}
		console.log(
			'peak RSS is the whole child process (input items included for build; node itself is ~45 MB).',
		);
		console.log(
			'small files run before V8 has optimised the scanner: warm, 1,000 offers validate in ~20 ms.',
		);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
	alStyleRefreshCost();
}

/**
 * Al-Style refresh cost at the real pacing (one call per 5 s per token), from the request counts of
 * the shipped workflow: the nightly refresh pages elements-pagination (250 per page, details in
 * additional_fields); the 15-minute refresh is one quantity-price call for the whole catalogue. The
 * node starts a call 5 s after the previous one's answer, so each answer's own time comes on top.
 * The catalogue's size is not fixed (docs/services/alstyle.md): a few sizes, sold-out items included.
 */
function alStyleRefreshCost() {
	const interval = 5;
	console.log(
		`\nAl-Style at ${interval} s between calls (answer times come on top); the stock-only refresh is 1 quantity-price request at any size:`,
	);
	for (const items of [2500, 7000, 13000]) {
		const full = Math.ceil(items / 250);
		const byArticles = Math.ceil(items / 50);
		console.log(
			`  ${String(items).padStart(6)} items: nightly elements-pagination ×250 ${String(full).padStart(3)} requests → ${(((full - 1) * interval) / 60).toFixed(1)} min; element-info ×50 would be ${String(byArticles).padStart(3)} requests → ${(((byArticles - 1) * interval) / 60).toFixed(1)} min`,
		);
	}
}

if (process.argv[2] === '--child') {
	await child(process.argv[3], Number(process.argv[4]), process.argv[5]);
}

// @ts-check
/**
 * Runtime constants shared with the nodes (limits, enums, query names), loaded from the compiled
 * package so the emulator enforces exactly what the client was built against. Their types come
 * from the TypeScript sources, so type-checking the sandbox does not need a build.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/**
 * @param {string} pathInDist
 * @returns {any}
 */
function loadBuilt(pathInDist) {
	const file = fileURLToPath(new URL(`../../dist/${pathInDist}`, import.meta.url));
	try {
		return require(file);
	} catch (error) {
		if (error.code !== 'MODULE_NOT_FOUND') throw error;
		throw new Error(
			`The sandbox needs the compiled package, but ${file} is missing. Build it first: npx tsc -p tsconfig.json`,
			{
				cause: error,
			},
		);
	}
}

/** @type {typeof import('../../nodes/Kaspi/transport/types.ts')} */
export const kaspiWire = loadBuilt('nodes/Kaspi/transport/types.js');

/** @type {typeof import('../../nodes/Waha/transport/types.ts')} */
export const wahaWire = loadBuilt('nodes/Waha/transport/types.js');

/** @type {typeof import('../../nodes/Webkassa/transport/types.ts')} */
export const webkassaWire = loadBuilt('nodes/Webkassa/transport/types.js');

/** @type {typeof import('../../nodes/AmoCrm/transport/types.ts')} */
export const amocrmWire = loadBuilt('nodes/AmoCrm/transport/types.js');

/** @type {typeof import('../../nodes/AlStyle/transport/types.ts')} */
export const alstyleWire = loadBuilt('nodes/AlStyle/transport/types.js');

/**
 * fast-check runs that count what they did. Each fuzz file names its target with `fuzzTarget` and
 * runs its properties through `check`, which records the cases fast-check actually executed and
 * throws fast-check's own report (seed, path, counterexample, cause) on a failure.
 *
 * Every fuzz file runs in `fuzzEnvironment.mjs` (the `@jest-environment` docblock at its top). The
 * environment prints one `fuzz: <target> / <property>: <N> cases` line per property when the file
 * ends, straight to stdout so jest in `--ci` mode keeps it, and records every unhandled promise
 * rejection of the file; the last test of the file asserts there was none. The test files stay
 * free of `console` and `process`, which the pack's linter refuses in every .ts file.
 */
import fc from 'fast-check';

/** The real `sleep`: several fuzz files mock n8n-workflow's to skip retry back-offs. */
const { sleep } = jest.requireActual<typeof import('n8n-workflow')>('n8n-workflow');

/** Set on the test file's global object by fuzzEnvironment.mjs. */
interface FuzzRecorder {
	rejections: unknown[];
	rows: string[];
}
declare const fuzzRecorder: FuzzRecorder | undefined;

function recorder(): FuzzRecorder {
	if (typeof fuzzRecorder === 'undefined') {
		throw new Error(
			'Run fuzz files in their environment: add `@jest-environment ./test/helpers/fuzzEnvironment.mjs` to the docblock',
		);
	}
	return fuzzRecorder;
}

type AnyProperty<T> = fc.IProperty<T> | fc.IAsyncProperty<T>;

export interface FuzzTarget {
	/** Runs `property` like `fc.assert` and counts its cases; resolves when every run has settled. */
	check<T>(name: string, property: AnyProperty<T>, params: fc.Parameters<T>): Promise<void>;
	/** Cases run so far by the property `name` (summed if it was checked more than once). */
	count(name: string): number;
}

/**
 * Declares the fuzz target of a test file: registers the summary lines and, as the file's last
 * test, the check that no promise was left to reject unobserved.
 */
export function fuzzTarget(target: string): FuzzTarget {
	const counts = new Map<string, { runs: number; seeds: number[] }>();

	afterAll(() => {
		const rows = recorder().rows;
		for (const [name, { runs, seeds }] of counts) {
			rows.push(`fuzz: ${target} / ${name}: ${runs} cases (seed ${seeds.join(', ')})`);
		}
	});

	return {
		async check(name, property, params) {
			const details = await fc.check(
				property as fc.IAsyncProperty<unknown>,
				params as fc.Parameters<unknown>,
			);
			const entry = counts.get(name) ?? { runs: 0, seeds: [] };
			entry.runs += details.numRuns;
			entry.seeds.push(details.seed);
			counts.set(name, entry);
			if (details.failed) {
				const report = fc.defaultReportMessage(details) ?? `Property "${name}" failed`;
				throw new Error(`${target} / ${name}\n${report}`, { cause: details.errorInstance });
			}
		},
		count: (name) => counts.get(name)?.runs ?? 0,
	};
}

/**
 * The last test of a fuzz file. Node reports an unobserved rejection a tick after it happens, so
 * this waits briefly before reading the list fuzzEnvironment.mjs kept.
 */
export function expectNoUnhandledRejection(): void {
	it('left no unhandled promise rejection behind', async () => {
		await sleep(20);
		expect(recorder().rejections.map(String)).toEqual([]);
	});
}

// @ts-check
/**
 * The jest environment of the fuzz files (chosen per file by a `@jest-environment` docblock, so
 * test/jest.config.js stays as it is). Jest gives each test file a copy of `process`: a listener
 * added there never hears the real process, so this environment, which runs outside the file's
 * sandbox, listens for unhandled rejections on the real one while the file runs and hands them to
 * the file as `fuzzRecorder.rejections` (see fuzz.ts). When the file ends it prints the lines
 * the file left in `fuzzRecorder.rows`, the number of cases per property, to stdout.
 */
import { TestEnvironment } from 'jest-environment-node';

export default class FuzzEnvironment extends TestEnvironment {
	/** @type {unknown[]} */
	rejections = [];

	/** @type {string[]} */
	rows = [];

	/** @param {unknown} reason */
	onRejection = (reason) => {
		this.rejections.push(reason);
	};

	async setup() {
		await super.setup();
		this.global.fuzzRecorder = { rejections: this.rejections, rows: this.rows };
	}

	/**
	 * Jest replaces the process's rejection listeners at `run_start` (to fail the running test) and
	 * puts them back at `run_finish`, so ours is added after it and removed before.
	 * @param {{ name: string }} event
	 */
	async handleTestEvent(event) {
		if (event.name === 'run_start') process.on('unhandledRejection', this.onRejection);
		if (event.name === 'run_finish') process.off('unhandledRejection', this.onRejection);
	}

	async teardown() {
		if (this.rows.length) process.stdout.write(`${this.rows.join('\n')}\n`);
		await super.teardown();
	}
}

// @ts-check
// Looks for planted credentials and buyers' phone numbers in what the end-to-end suites' n8n
// logged and stored (the artifacts the harness keeps, see test/e2e/lib/harness.mjs saveArtifacts).
//
// The rule, and where it stops:
// - A credential the sandbox was sent (token, API key, password, refresh token, HMAC key) may
//   appear nowhere: no log line, no execution, no error, no item.
// - A buyer's full phone number may appear in no log and in no error: not in an execution's error,
//   a node's error, an item's `error`/`message`/`description`, nor in the alert texts built from
//   them. It may appear in items' data: the phone is what the notification, the deal's contact and
//   the receipt are for, and n8n keeps node output as execution data by design. An operator who
//   must not keep it there sets n8n's "Save successful production executions" to "Do not save"
//   and prunes execution data (README, Guarantees). The same holds for n8n's AI node events in its
//   event log, which record an agent's conversation verbatim.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Keys under which text describes a failure rather than carrying data. */
const ERROR_KEYS = new Set([
	'error',
	'errors',
	'message',
	'description',
	'stack',
	'cause',
	'errorMessage',
	'errorDescription',
]);

/**
 * The 10-digit national number of a Kazakh or Russian phone, or undefined for a masked or short one.
 * @param {string} phone
 */
export function nationalNumber(phone) {
	const digits = phone.replace(/\D/g, '');
	const national = digits.length === 11 && /^[78]/.test(digits) ? digits.slice(1) : digits;
	return national.length === 10 && !/^0+$/.test(national) ? national : undefined;
}

/**
 * Whether `text` holds the phone, written with or without spaces, dashes, brackets or a plus.
 * @param {string} text
 * @param {string} national
 */
function holdsPhone(text, national) {
	return text.replace(/[\s()+-]/g, '').includes(national);
}

/** Masks a finding so the report does not repeat the leak. */
/** @param {string} value */
const masked = (value) => `${value.slice(0, 3)}…${value.slice(-2)} (${value.length} chars)`;

/**
 * @typedef {{ file: string, what: 'secret' | 'phone', where: string, value: string }} Finding
 */

/**
 * @param {{ secrets: string[], phones: string[] }} planted
 * @param {Array<{ file: string, text: string }>} logs
 * @param {Array<{ file: string, executions: any[] }>} executionFiles
 * @returns {Finding[]}
 */
export function scan(planted, logs, executionFiles) {
	const secrets = planted.secrets;
	const phones = [
		...new Set(planted.phones.map(nationalNumber).filter((phone) => phone !== undefined)),
	];
	/** @type {Finding[]} */
	const findings = [];
	for (const { file, text } of logs) {
		for (const secret of secrets)
			if (text.includes(secret))
				findings.push({ file, what: 'secret', where: 'log', value: masked(secret) });
		const textWithoutAiEvents = withoutAiNodeEvents(text);
		for (const phone of phones)
			if (holdsPhone(textWithoutAiEvents, phone))
				findings.push({ file, what: 'phone', where: 'log', value: masked(phone) });
	}
	for (const { file, executions } of executionFiles) {
		for (const execution of executions) {
			walk(execution, [`execution ${execution.id}`], false, (value, path, inError) => {
				for (const secret of secrets)
					if (value.includes(secret))
						findings.push({ file, what: 'secret', where: path.join('.'), value: masked(secret) });
				if (!inError) return;
				for (const phone of phones)
					if (holdsPhone(value, phone))
						findings.push({ file, what: 'phone', where: path.join('.'), value: masked(phone) });
			});
		}
	}
	return findings;
}

/**
 * The log without n8n's AI node events: n8n's event log records what a chat model was sent and
 * answered, word for word, as execution data records items, so a phone the user gave an agent is
 * there by n8n's design, not written by the pack. Credentials are still looked for in them.
 * @param {string} text
 */
function withoutAiNodeEvents(text) {
	return text
		.split('\n')
		.filter((line) => !line.startsWith('{"__type":"$$EventMessageAiNode"'))
		.join('\n');
}

/**
 * Calls `visit` for every string (and every object key) in `value`, telling whether it sits under
 * an error key.
 * @param {unknown} value
 * @param {string[]} path
 * @param {boolean} inError
 * @param {(text: string, path: string[], inError: boolean) => void} visit
 */
function walk(value, path, inError, visit) {
	if (typeof value === 'string') visit(value, path, inError);
	else if (typeof value === 'number') visit(String(value), path, inError);
	else if (Array.isArray(value))
		value.forEach((inner, index) => walk(inner, [...path, String(index)], inError, visit));
	else if (value && typeof value === 'object') {
		for (const [key, inner] of Object.entries(value)) {
			visit(key, [...path, key], inError);
			walk(inner, [...path, key], inError || ERROR_KEYS.has(key), visit);
		}
	}
}

/**
 * Reads a folder of artifacts: `*.planted.json` from the sandboxes, `*.log` and
 * `*.executions.json` from the n8n instances.
 * @param {string} dir
 */
export function readArtifacts(dir) {
	const files = readdirSync(dir);
	const planted = { secrets: /** @type {string[]} */ ([]), phones: /** @type {string[]} */ ([]) };
	for (const file of files.filter((name) => name.endsWith('.planted.json'))) {
		const one = JSON.parse(readFileSync(join(dir, file), 'utf8'));
		planted.secrets.push(...one.secrets);
		planted.phones.push(...one.phones);
	}
	planted.secrets = [...new Set(planted.secrets)];
	planted.phones = [...new Set(planted.phones)];
	const logs = files
		.filter((name) => name.endsWith('.log'))
		.map((file) => ({ file, text: readFileSync(join(dir, file), 'utf8') }));
	const executionFiles = files
		.filter((name) => name.endsWith('.executions.json'))
		.map((file) => ({ file, executions: JSON.parse(readFileSync(join(dir, file), 'utf8')) }));
	return { planted, logs, executionFiles };
}

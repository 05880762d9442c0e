// @ts-check
// Runs after the end-to-end suites (test/run-all.sh): nothing n8n logged or stored while they ran
// may hold a credential the sandbox was sent, and no log or error may hold a buyer's full phone.
// The rule in full is in scanner.mjs.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';

import { readArtifacts, scan } from './scanner.mjs';

describe('the scanner itself', () => {
	const planted = { secrets: ['sk-live-0123456789'], phones: ['7011234567', '+0(000)-000-00-00'] };
	const clean = {
		file: 'n8n.log',
		text: 'Worker started execution 5 (job 5); phone +7 701 *** ** 67',
	};

	it('finds a credential in a log line and anywhere in an execution', () => {
		const findings = scan(
			planted,
			[clean, { file: 'leak.log', text: 'request failed: X-Auth-Token sk-live-0123456789' }],
			[
				{
					file: 'x.executions.json',
					executions: [
						{
							id: '9',
							data: {
								resultData: {
									runData: {
										Kaspi: [{ data: { main: [[{ json: { note: 'sk-live-0123456789' } }]] } }],
									},
								},
							},
						},
					],
				},
			],
		);
		assert.deepEqual(
			findings.map((finding) => [finding.file, finding.what]),
			[
				['leak.log', 'secret'],
				['x.executions.json', 'secret'],
			],
		);
		assert.ok(
			findings.every((finding) => !finding.value.includes('0123456789')),
			'the report masks what it found',
		);
	});

	it('finds a full phone in a log and in an error, written any way, but not in item data', () => {
		const item = { json: { customerPhone: '7011234567', chatId: '77011234567@c.us' } };
		const failed = { json: { error: 'WAHA refused +7 (701) 123-45-67' } };
		const findings = scan(
			planted,
			[{ file: 'leak.log', text: 'sending to 8 701 123 45 67' }],
			[
				{
					file: 'x.executions.json',
					executions: [
						{
							id: '1',
							data: {
								resultData: {
									runData: { WAHA: [{ data: { main: [[item, failed]] } }] },
									error: { message: 'for 77011234567' },
								},
							},
						},
					],
				},
			],
		);
		assert.deepEqual(
			findings.map((finding) => finding.where),
			[
				'log',
				'execution 1.data.resultData.runData.WAHA.0.data.main.0.1.json.error',
				'execution 1.data.resultData.error.message',
			],
		);
	});

	it('leaves the phone in n8n’s AI node events (the agent’s conversation) but not a credential', () => {
		const aiEvent = (/** @type {string} */ text) =>
			JSON.stringify({
				__type: '$$EventMessageAiNode',
				eventName: 'n8n.ai.llm.generated',
				payload: { msg: text },
			});
		const events = [
			aiEvent('Send this buyer a message: 7011234567'),
			aiEvent('key sk-live-0123456789'),
		].join('\n');
		const findings = scan(
			planted,
			[
				{ file: 'events.log', text: events },
				{ file: 'n8n.log', text: 'Worker sent to 7011234567' },
			],
			[],
		);
		assert.deepEqual(
			findings.map((finding) => [finding.file, finding.what]),
			[
				['events.log', 'secret'],
				['n8n.log', 'phone'],
			],
		);
	});

	it('ignores a masked phone', () => {
		assert.deepEqual(scan(planted, [clean], []), []);
	});
});

describe('what the end-to-end suites left', () => {
	it('holds no planted credential anywhere, and no buyer’s phone in a log or an error', () => {
		const dir = process.env.KZ_E2E_ARTIFACTS;
		assert.ok(
			dir && existsSync(dir),
			'KZ_E2E_ARTIFACTS names the folder the end-to-end suites wrote (test/run-all.sh sets it)',
		);
		const { planted, logs, executionFiles } = readArtifacts(dir);
		const executions = executionFiles.reduce((sum, file) => sum + file.executions.length, 0);
		const bytes = logs.reduce((sum, log) => sum + log.text.length, 0);
		console.log(
			`secrets scan: ${planted.secrets.length} credentials and ${planted.phones.length} phones planted; ` +
				`${logs.length} logs (${(bytes / 1e6).toFixed(1)} MB) and ${executions} executions scanned`,
		);
		// A scan of nothing proves nothing.
		assert.ok(planted.secrets.length >= 5, 'the sandboxes recorded the credentials they were sent');
		assert.ok(planted.phones.length >= 50, 'the sandboxes recorded the buyers’ phones');
		assert.ok(executions >= 100, 'the suites stored executions');
		const findings = scan(planted, logs, executionFiles);
		assert.deepEqual(findings, []);
	});
});

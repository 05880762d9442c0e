import type { ILoadOptionsFunctions } from 'n8n-workflow';
import { Expression } from 'n8n-workflow';

import { searchSessions } from '../../../nodes/Waha/methods/listSearch';
import { WahaApi } from '../../../credentials/WahaApi.credentials';
import { fakeContext } from '../../helpers/context';
import {
	API_KEY,
	CHAT_ID,
	like,
	NOT_WORKING,
	runWaha,
	runWahaError,
	sendText,
	useWahaUnit,
	waha,
	wahaCredentials,
	webjsMessage,
} from '../../helpers/waha';

useWahaUnit();

describe('WAHA › recipient errors', () => {
	it.each([
		['+0(000)-000-00-00', 'Phone Number or Chat ID is masked'],
		['+7 (***) ***-45-67', 'Phone Number or Chat ID is masked'],
		['', 'Phone Number or Chat ID is empty'],
		['   ', 'Phone Number or Chat ID is empty'],
		['call me', 'Phone Number or Chat ID is not a valid phone number'],
		['+7 123 456 78 90', 'Phone Number or Chat ID is not a valid phone number'],
	])('rejects %j without calling WAHA', async (recipient, message) => {
		const error = await runWahaError({ parameters: sendText(recipient) });
		expect(error.message).toBe(message);
		expect(error.context?.itemIndex).toBe(0);
	});

	it('never echoes an invalid number in full', async () => {
		const error = await runWahaError({ parameters: sendText('+7 123 456 78 90') });
		const shown = `${error.message} ${error.description ?? ''}`;
		expect(shown).not.toContain('71234567890');
		expect(shown).toContain('7123*****90');
	});

	it('outputs a per-item error with pairedItem under continueOnFail and carries on', async () => {
		waha()
			.post('/api/sendText', like({ chatId: CHAT_ID }))
			.reply(201, webjsMessage());
		const recipients = ['+0(000)-000-00-00', '7011234567'];
		const output = await runWaha({
			items: [{ json: {} }, { json: {} }],
			parameters: (itemIndex) => sendText(recipients[itemIndex]),
			continueOnFail: true,
		});
		expect(output).toHaveLength(2);
		expect(output[0].json.error).toBe('Phone Number or Chat ID is masked');
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(output[1].json.sent).toBe(true);
		expect(output[1].pairedItem).toEqual({ item: 1 });
	});

	it('rejects an empty text', async () => {
		const error = await runWahaError({ parameters: sendText(CHAT_ID, { text: '  ' }) });
		expect(error.message).toBe('Text is empty');
	});
});

describe('WAHA › HTTP errors', () => {
	it('names the session and its status when it is not WORKING (422), without retrying', async () => {
		waha().post('/api/sendText').once().reply(422, NOT_WORKING);
		const error = await runWahaError({ parameters: sendText(CHAT_ID) });
		expect(error.message).toBe('WAHA session "default" is SCAN_QR_CODE, not WORKING');
		expect(error.description).toMatch(/QR code/);
		expect(error.description).toMatch(/Get QR Code/);
	});

	it('hints to start a STOPPED session', async () => {
		waha()
			.post('/api/sendText')
			.reply(422, { ...NOT_WORKING, status: 'STOPPED' });
		const error = await runWahaError({ parameters: sendText(CHAT_ID) });
		expect(error.message).toBe('WAHA session "default" is STOPPED, not WORKING');
		expect(error.description).toMatch(/Start the session/);
	});

	it('says the API key was rejected (401) and never shows it', async () => {
		waha().post('/api/sendText').reply(401, { message: 'Unauthorized', statusCode: 401 });
		const error = await runWahaError({ parameters: sendText(CHAT_ID) });
		expect(error.message).toBe('WAHA rejected the API key');
		expect(JSON.stringify(error)).not.toContain(API_KEY);
	});

	it('hints to start a session WAHA reports as not running (404 "start it first")', async () => {
		// Older WAHA answers a STOPPED session this way (src/core/manager.core.ts getSession).
		waha().post('/api/sendText').reply(404, {
			statusCode: 404,
			message:
				"We didn't find a session with name 'shop'.\nPlease start it first by using POST /api/sessions/shop/start request",
			error: 'Not Found',
		});
		const error = await runWahaError({ parameters: sendText(CHAT_ID, { session: 'shop' }) });
		expect(error.message).toBe('WAHA session "shop" is not running');
		expect(error.description).toMatch(/Start/);
	});

	it('names an unknown session (404) and says Core before 2026.6 has only "default"', async () => {
		waha()
			.post('/api/sendText')
			.reply(404, { statusCode: 404, message: 'Session not found', error: 'Not Found' });
		const error = await runWahaError({ parameters: sendText(CHAT_ID, { session: 'shop' }) });
		expect(error.message).toBe('WAHA has no such session');
		expect(error.description).toMatch(/2026\.6/);
	});

	it('says WAHA Core before 2026.6 allows only the session "default" (422)', async () => {
		waha().post('/api/sendText').reply(422, {
			message:
				"WAHA Core support only 'default' session. You tried to access 'shop' session (base64: c2hvcA==). If you want to run more then one WhatsApp account - please get WAHA PLUS version. Check this out: https://waha.devlike.pro/",
			error: 'Unprocessable Entity',
			statusCode: 422,
		});
		const error = await runWahaError({ parameters: sendText(CHAT_ID, { session: 'shop' }) });
		expect(error.message).toBe('WAHA Core before 2026.6 has only the session "default"');
		expect(error.description).toMatch(/Plus/);
	});

	it('says a session-scoped key lacks permission (403), not that it is wrong', async () => {
		waha()
			.post('/api/sendText')
			.reply(403, { message: 'Forbidden resource', error: 'Forbidden', statusCode: 403 });
		const error = await runWahaError({ parameters: sendText(CHAT_ID) });
		expect(error.message).toBe('The WAHA API key has no permission for this session or action');
		expect(JSON.stringify(error)).not.toContain(API_KEY);
	});

	it('does not retry a failed send (5xx) and masks the number WAHA echoes', async () => {
		waha()
			.post('/api/sendText')
			.once()
			.reply(500, {
				statusCode: 500,
				exception: { message: `Evaluation failed: chat ${CHAT_ID} not found`, name: 'Error' },
				request: { body: { chatId: CHAT_ID } },
			});
		const error = await runWahaError({ parameters: sendText(CHAT_ID) });
		expect(error.message).toBe('WAHA answered 500');
		expect(error.description).toContain('Evaluation failed');
		expect(JSON.stringify(error)).not.toContain('77011234567');
	});
});

describe('WAHA › Session', () => {
	it('lists sessions for the Session parameter, filtered by name', async () => {
		waha()
			.get('/api/sessions')
			.query({ all: 'true' })
			.reply(200, [
				{ name: 'shop', status: 'STOPPED' },
				{ name: 'default', status: 'WORKING' },
			]);
		const { context } = fakeContext({ parameters: {}, credentials: wahaCredentials() });
		const result = await searchSessions.call(context as unknown as ILoadOptionsFunctions, 'DEF');
		expect(result).toEqual({ results: [{ name: 'default (WORKING)', value: 'default' }] });
	});
});

describe('WAHA API credential', () => {
	/** The credential test's base URL as n8n's expression engine resolves it (`=` marks an expression). */
	const testBaseUrl = (baseUrl: string) => {
		const expression = String(new WahaApi().test.request.baseURL);
		expect(expression.startsWith('=')).toBe(true);
		return Expression.resolveWithoutWorkflow(expression.slice(1), { $credentials: { baseUrl } });
	};

	it.each([
		['http://waha.local:3000', 'http://waha.local:3000'],
		['http://waha.local:3000/', 'http://waha.local:3000'],
		['http://waha.local:3000/api', 'http://waha.local:3000'],
		['http://waha.local:3000/api/', 'http://waha.local:3000'],
		[' https://waha.example.kz/api ', 'https://waha.example.kz'],
	])('tests %j against the same base the node uses', (baseUrl, expected) => {
		expect(testBaseUrl(baseUrl)).toBe(expected);
		expect(new WahaApi().test.request.url).toBe('/api/sessions');
	});
});

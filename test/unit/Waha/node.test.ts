import type { IDataObject, ILoadOptionsFunctions } from 'n8n-workflow';
import { Expression } from 'n8n-workflow';

import { searchSessions } from '../../../nodes/Waha/methods/listSearch';
import { clock } from '../../helpers/clock';
import { WahaApi } from '../../../credentials/WahaApi.credentials';
import { extractMessageId } from '../../../nodes/Waha/transport';
import { fakeContext } from '../../helpers/context';
import {
	API_KEY,
	captureBody,
	CHAT_ID,
	like,
	runWaha,
	runWahaError,
	useNock,
	waha,
	wahaCredentials,
	webjsMessage,
} from '../../helpers/waha';

const sendText = (recipient: string, extra: IDataObject = {}) => ({
	resource: 'message',
	operation: 'sendText',
	session: { __rl: true, mode: 'list', value: 'default' },
	recipient,
	text: 'Ваш заказ №1042 оплачен',
	...extra,
});

const NOT_WORKING = {
	error: 'Session status is not as expected. Try again later or restart the session',
	session: 'default',
	status: 'SCAN_QR_CODE',
	expected: ['WORKING'],
};

useNock();
beforeEach(() => {
	jest.spyOn(clock, 'sleep').mockResolvedValue(undefined);
});
afterEach(() => jest.restoreAllMocks());

describe('WAHA › Message › Send Text', () => {
	it('posts the text with the API key and outputs the message id', async () => {
		const request = captureBody('post', '/api/sendText', 201, webjsMessage());

		const output = await runWaha({ parameters: sendText('8 701 123 45 67') });

		expect(request.body).toEqual({
			session: 'default',
			chatId: CHAT_ID,
			text: 'Ваш заказ №1042 оплачен',
			linkPreview: true,
		});
		expect(output).toEqual([
			{
				json: {
					sent: true,
					messageId: `true_${CHAT_ID}_3EB0378E606CA43FEF38D2`,
					chatId: CHAT_ID,
					session: 'default',
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it.each([
		'8 701 123 45 67',
		'+7 (701) 123-45-67',
		'77011234567',
		'7011234567',
		'8-701-123-45-67',
	])('normalises %s to the Kazakh chat id', async (recipient) => {
		waha()
			.post('/api/sendText', like({ chatId: CHAT_ID }))
			.reply(201, webjsMessage());
		const [item] = await runWaha({ parameters: sendText(recipient) });
		expect(item.json.chatId).toBe(CHAT_ID);
	});

	it('uses a value containing @ as a chat id, as is', async () => {
		const group = '120363025246125486@g.us';
		waha()
			.post('/api/sendText', like({ chatId: group }))
			.reply(201, webjsMessage(group));
		const [item] = await runWaha({ parameters: sendText(group) });
		expect(item.json.chatId).toBe(group);
	});

	it('takes the session from a resource locator in name mode or a plain string', async () => {
		waha()
			.post('/api/sendText', like({ session: 'shop' }))
			.reply(201, {});
		waha()
			.post('/api/sendText', like({ session: 'shop-2' }))
			.reply(201, {});
		const [byName] = await runWaha({
			parameters: sendText(CHAT_ID, { session: { __rl: true, mode: 'name', value: 'shop' } }),
		});
		const [plain] = await runWaha({ parameters: sendText(CHAT_ID, { session: 'shop-2' }) });
		expect(byName.json.session).toBe('shop');
		expect(plain.json.session).toBe('shop-2');
	});

	it('honours Link Preview', async () => {
		waha()
			.post('/api/sendText', like({ linkPreview: false }))
			.reply(201, webjsMessage());
		await runWaha({ parameters: sendText(CHAT_ID, { options: { linkPreview: false } }) });
	});

	it.each([
		['an empty body', '', null],
		[
			// NOWEB answers a send with the Baileys object; WAHA's own id for it is fromMe_chat_id
			// (devlikeapro/waha noweb buildMessageId), the form reply_to and the events use.
			'NOWEB’s Baileys object',
			{
				key: { remoteJid: '77011234567@s.whatsapp.net', fromMe: true, id: '3EB0NOWEB' },
				message: { extendedTextMessage: { text: 'Ваш заказ №1042 оплачен' } },
				messageTimestamp: '1738070128',
				status: 'PENDING',
			},
			'true_77011234567@c.us_3EB0NOWEB',
		],
		[
			'NOWEB’s Baileys object for a group',
			{
				key: { remoteJid: '120363025555555555@g.us', fromMe: true, id: '3EB0GRP' },
				status: 'PENDING',
			},
			'true_120363025555555555@g.us_3EB0GRP',
		],
		['an id object', { id: { _serialized: 'true_x@c.us_SER' } }, 'true_x@c.us_SER'],
		['only _data', { _data: { id: { _serialized: 'true_x@c.us_DATA' } } }, 'true_x@c.us_DATA'],
	])('reads the message id from %s', async (_, response, messageId) => {
		waha()
			.post('/api/sendText')
			.reply(201, response as object);
		const [item] = await runWaha({ parameters: sendText(CHAT_ID) });
		expect(item.json).toEqual({ sent: true, messageId, chatId: CHAT_ID, session: 'default' });
	});

	it('extracts message ids from every engine shape', () => {
		expect(extractMessageId(undefined)).toBeNull();
		expect(extractMessageId({})).toBeNull();
		expect(extractMessageId({ id: 'plain' })).toBe('plain');
		expect(extractMessageId({ id: { id: 'inner' } })).toBe('inner');
	});
});

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

describe('WAHA › Message › Send Image and Send File', () => {
	const imageFromUrl = (fileUrl: string) => ({
		resource: 'message',
		operation: 'sendImage',
		session: 'default',
		recipient: CHAT_ID,
		fileSource: 'url',
		fileUrl,
	});

	it('sends an image from a URL with a caption, guessing type and name', async () => {
		const request = captureBody('post', '/api/sendImage', 201, webjsMessage());
		const [item] = await runWaha({
			parameters: {
				resource: 'message',
				operation: 'sendImage',
				session: 'default',
				recipient: '87011234567',
				fileSource: 'url',
				fileUrl: 'https://files.example.kz/photos/sofa.png?v=2',
				caption: 'Ваш диван',
			},
		});
		expect(request.body).toEqual({
			session: 'default',
			chatId: CHAT_ID,
			caption: 'Ваш диван',
			file: {
				mimetype: 'image/png',
				filename: 'sofa.png',
				url: 'https://files.example.kz/photos/sofa.png?v=2',
			},
		});
		expect(item.json.sent).toBe(true);
	});

	it('sends a file from an input binary field as base64 data', async () => {
		const pdf = Buffer.from('%PDF-1.4 invoice');
		const request = captureBody<{ file?: object; caption?: string }>(
			'post',
			'/api/sendFile',
			201,
			'',
		);
		const [item] = await runWaha({
			items: [
				{
					json: {},
					binary: {
						invoice: {
							data: pdf.toString('base64'),
							mimeType: 'application/pdf',
							fileName: 'invoice-1042.pdf',
						},
					},
				},
			],
			parameters: {
				resource: 'message',
				operation: 'sendFile',
				session: 'default',
				recipient: CHAT_ID,
				fileSource: 'binary',
				binaryPropertyName: 'invoice',
				caption: '',
			},
		});
		expect(request.body?.file).toEqual({
			mimetype: 'application/pdf',
			filename: 'invoice-1042.pdf',
			data: pdf.toString('base64'),
		});
		expect(request.body?.caption).toBeUndefined();
		expect(item.json).toEqual({ sent: true, messageId: null, chatId: CHAT_ID, session: 'default' });
	});

	it('lets File Name and MIME Type override the guesses', async () => {
		waha()
			.post('/api/sendFile', {
				session: 'default',
				chatId: CHAT_ID,
				file: { mimetype: 'text/csv', filename: 'report.csv', url: 'https://example.kz/export' },
			})
			.reply(201, {});
		await runWaha({
			parameters: {
				resource: 'message',
				operation: 'sendFile',
				session: 'default',
				recipient: CHAT_ID,
				fileSource: 'url',
				fileUrl: 'https://example.kz/export',
				options: { fileName: 'report.csv', mimeType: 'text/csv' },
			},
		});
	});

	it('says Send Image needs WAHA Plus or 2026.6.1 when WAHA Core refuses it (422)', async () => {
		waha().post('/api/sendImage').once().reply(422, {
			message:
				"The feature is available only in Plus version for 'GOWS' engine. Check this out: https://waha.devlike.pro/",
			error: 'Unprocessable Entity',
			statusCode: 422,
		});
		const error = await runWahaError({
			parameters: imageFromUrl('https://files.example.kz/photos/sofa.png'),
		});
		expect(error.message).toBe('This needs WAHA Plus, or WAHA 2026.6.1 or later');
		expect(error.description).toMatch(/Core/);
	});

	it('refuses binary data over WAHA’s 50 MB body limit before sending, pointing to a URL', async () => {
		// WAHA parses JSON bodies up to 50 MB (devlikeapro/waha src/main.ts); base64 adds a third.
		const big = Buffer.alloc(38 * 1024 * 1024, 1);
		const error = await runWahaError({
			items: [
				{
					json: {},
					binary: {
						data: { data: big.toString('base64'), mimeType: 'video/mp4', fileName: 'sofa.mp4' },
					},
				},
			],
			parameters: {
				resource: 'message',
				operation: 'sendFile',
				session: 'default',
				recipient: CHAT_ID,
				fileSource: 'binary',
				binaryPropertyName: 'data',
			},
		});
		expect(error.message).toMatch(/^Input Binary Field "data" is too big/);
		expect(error.description).toMatch(/URL/);
	});

	it('rejects a URL that is not http(s)', async () => {
		const error = await runWahaError({ parameters: imageFromUrl('file:///etc/passwd') });
		expect(error.message).toBe('Image URL is not an http(s) address');
	});
});

describe('WAHA › Contact › Check Number Exists', () => {
	const check = (phone: string) => ({
		resource: 'contact',
		operation: 'checkExists',
		session: 'default',
		phone,
	});

	it('asks WAHA with the digits and masks the number in the output', async () => {
		waha()
			.get('/api/contacts/check-exists')
			.query({ phone: '77011234567', session: 'default' })
			.reply(200, { numberExists: true, chatId: CHAT_ID });
		const [item] = await runWaha({ parameters: check('+7 701 123 45 67') });
		expect(item.json).toEqual({ exists: true, chatId: CHAT_ID, phone: '7701*****67' });
	});

	it('outputs exists false and no chat id for a number without WhatsApp', async () => {
		waha()
			.get('/api/contacts/check-exists')
			.query({ phone: '77011234500', session: 'default' })
			.reply(200, { numberExists: false });
		const [item] = await runWaha({ parameters: check('77011234500@c.us') });
		expect(item.json).toEqual({ exists: false, chatId: null, phone: '7701*****00' });
	});

	it('refuses group chat ids', async () => {
		const error = await runWahaError({ parameters: check('120363025246125486@g.us') });
		expect(error.message).toBe('Phone Number is not a phone number');
	});

	it('names its own field when the number is masked', async () => {
		const error = await runWahaError({ parameters: check('+0(000)-000-00-00') });
		expect(error.message).toBe('Phone Number is masked');
	});
});

describe('WAHA › Session', () => {
	const session = (operation: string, extra: Record<string, unknown> = {}) => ({
		resource: 'session',
		operation,
		session: { __rl: true, mode: 'list', value: 'default' },
		...extra,
	});
	const info = {
		name: 'default',
		status: 'WORKING',
		config: {
			webhooks: [
				{
					url: 'https://n8n.example.kz/webhook/x/waha',
					events: ['message'],
					hmac: { key: 'hmac-secret' },
				},
			],
		},
		me: { id: '77770000000@c.us', pushName: 'Shop' },
		engine: { engine: 'WEBJS' },
	};

	it('gets the status without the config, which holds HMAC keys', async () => {
		waha().get('/api/sessions/default').reply(200, info);
		const [item] = await runWaha({ parameters: session('getStatus') });
		expect(item.json).toEqual({
			session: 'default',
			status: 'WORKING',
			working: true,
			engine: 'WEBJS',
			me: { id: '77770000000@c.us', pushName: 'Shop' },
		});
		expect(JSON.stringify(item.json)).not.toContain('hmac-secret');
	});

	it.each(['start', 'stop'])(
		'%ss the session and outputs it as a GET shows it',
		async (operation) => {
			// Start and stop answer SessionDTO {name, status, config}, without me or engine (OpenAPI).
			waha()
				.post(`/api/sessions/default/${operation}`)
				.reply(201, {
					name: 'default',
					status: operation === 'start' ? 'STARTING' : 'STOPPED',
					config: {},
				});
			const status = operation === 'start' ? 'WORKING' : 'STOPPED';
			waha()
				.get('/api/sessions/default')
				.reply(200, { ...info, status, ...(operation === 'stop' ? { me: null } : {}) });
			const [item] = await runWaha({ parameters: session(operation) });
			expect(item.json).toEqual({
				session: 'default',
				status,
				working: operation === 'start',
				engine: 'WEBJS',
				me: operation === 'start' ? { id: '77770000000@c.us', pushName: 'Shop' } : null,
			});
		},
	);

	it('escapes the session name in the path', async () => {
		waha()
			.get('/api/sessions/my%20shop')
			.reply(200, { ...info, name: 'my shop' });
		const [item] = await runWaha({ parameters: session('getStatus', { session: 'my shop' }) });
		expect(item.json.session).toBe('my shop');
	});

	it('outputs the QR code as binary data', async () => {
		const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
		waha()
			.get('/api/default/auth/qr')
			.query({ format: 'image' })
			.matchHeader('accept', 'image/png')
			.reply(200, png, { 'Content-Type': 'image/png' });
		const [item] = await runWaha({
			parameters: session('getQr', { binaryPropertyName: 'qr' }),
		});
		expect(item.json).toEqual({ session: 'default', mimeType: 'image/png' });
		expect(item.binary?.qr).toMatchObject({
			data: png.toString('base64'),
			mimeType: 'image/png',
			fileName: 'waha-default-qr.png',
		});
		expect(item.pairedItem).toEqual({ item: 0 });
	});

	it('decodes a QR code that comes back as JSON', async () => {
		const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 9, 9]);
		waha()
			.get('/api/default/auth/qr')
			.query(true)
			.reply(200, { mimetype: 'image/png', data: png.toString('base64') });
		const [item] = await runWaha({ parameters: session('getQr', { binaryPropertyName: 'data' }) });
		expect(item.binary?.data.data).toBe(png.toString('base64'));
	});

	it('explains that a linked session has no QR code', async () => {
		waha()
			.get('/api/default/auth/qr')
			.query(true)
			.reply(422, { ...NOT_WORKING, status: 'WORKING', expected: ['SCAN_QR_CODE'] });
		const error = await runWahaError({
			parameters: session('getQr', { binaryPropertyName: 'data' }),
		});
		expect(error.message).toBe('WAHA session "default" is WORKING, not SCAN_QR_CODE');
	});

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

describe('WAHA › Chat › typing', () => {
	it.each(['startTyping', 'stopTyping'])(
		'%s outputs success for WAHA’s empty 201, never an empty json',
		async (operation) => {
			waha()
				.post(`/api/${operation}`, like({ session: 'default', chatId: CHAT_ID }))
				.reply(201);
			const output = await runWaha({
				parameters: { resource: 'chat', operation, session: 'default', recipient: '7011234567' },
			});
			expect(output).toEqual([
				{ json: { success: true, chatId: CHAT_ID, session: 'default' }, pairedItem: { item: 0 } },
			]);
		},
	);
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

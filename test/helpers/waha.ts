/**
 * Shared set-up for the WAHA tests: credentials, a nock scope that insists on the API key, and a
 * runner for the WAHA node on the fake context.
 */
import nock from 'nock';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { Waha } from '../../nodes/Waha/Waha.node';
import { clock } from './clock';
import { fakeContext, type FakeContextOptions } from './context';

export const WAHA_URL = 'http://waha.test';
export const API_KEY = 'unit-test-key';

export function wahaCredentials(webhookSecret = '') {
	return { wahaApi: { baseUrl: WAHA_URL, apiKey: API_KEY, webhookSecret } };
}

/**
 * Jest hooks every WAHA test file uses: no real network, and every interceptor set up by a test must
 * have been used by it.
 */
export function useNock(): void {
	beforeAll(() => nock.disableNetConnect());
	afterAll(() => nock.enableNetConnect());
	afterEach(() => {
		const pending = nock.pendingMocks();
		nock.cleanAll();
		expect(pending).toEqual([]);
	});
}

/** Answers one request and keeps its JSON body for the test to check. */
export function captureBody<T = Record<string, unknown>>(
	method: 'post' | 'put',
	path: string,
	status: number,
	reply: object | string = {},
): { body?: T } {
	const captured: { body?: T } = {};
	const match = (body: object) => {
		captured.body = body as T;
		return true;
	};
	const scope = waha();
	(method === 'post' ? scope.post(path, match) : scope.put(path, match)).reply(status, reply);
	return captured;
}

/** Every request must carry the key; a request without it finds no interceptor. */
export function waha() {
	return nock(WAHA_URL, { reqheaders: { 'x-api-key': API_KEY } });
}

export interface RunOptions extends Partial<FakeContextOptions> {
	parameters: FakeContextOptions['parameters'];
}

export async function runWaha(options: RunOptions): Promise<INodeExecutionData[]> {
	const { context } = fakeContext({ credentials: wahaCredentials(), ...options });
	const [output] = await new Waha().execute.call(context as unknown as IExecuteFunctions);
	return output;
}

/** Catches the node's error so its message and description can be checked. */
export async function runWahaError(options: RunOptions) {
	try {
		await runWaha(options);
	} catch (error) {
		return error as { message: string; description?: string; context?: { itemIndex?: number } };
	}
	throw new Error('the node did not fail');
}

export const CHAT_ID = '77011234567@c.us';

/** A WEBJS send response (docs/services/waha.md, "Sending"). */
export function webjsMessage(chatId = CHAT_ID, key = '3EB0378E606CA43FEF38D2') {
	const id = `true_${chatId}_${key}`;
	return {
		id,
		timestamp: 1763801234,
		fromMe: true,
		to: chatId,
		body: 'text',
		_data: { id: { fromMe: true, remote: chatId, id: key, _serialized: id } },
	};
}

/** A nock body matcher that checks only the given fields. */
export function like(expected: Record<string, unknown>) {
	return (body: Record<string, unknown>) =>
		Object.entries(expected).every(
			([key, value]) => JSON.stringify(body[key]) === JSON.stringify(value),
		);
}

/** The hooks every WAHA node test file uses: `useNock`, and pacing waits that take no time. */
export function useWahaUnit(): void {
	useNock();
	beforeEach(() => {
		jest.spyOn(clock, 'sleep').mockResolvedValue(undefined);
	});
	afterEach(() => jest.restoreAllMocks());
}

/** Send Text's parameters for this recipient. */
export const sendText = (recipient: string, extra: IDataObject = {}) => ({
	resource: 'message',
	operation: 'sendText',
	session: { __rl: true, mode: 'list', value: 'default' },
	recipient,
	text: 'Ваш заказ №1042 оплачен',
	...extra,
});

/** WAHA's 422 for a session that is not WORKING (here waiting for its QR code). */
export const NOT_WORKING = {
	error: 'Session status is not as expected. Try again later or restart the session',
	session: 'default',
	status: 'SCAN_QR_CODE',
	expected: ['WORKING'],
};

/** A Session operation's parameters, on the session "default" unless `extra` names another. */
export const sessionParameters = (operation: string, extra: Record<string, unknown> = {}) => ({
	resource: 'session',
	operation,
	session: { __rl: true, mode: 'list', value: 'default' },
	...extra,
});

/** The session as WAHA's GET shows it, config (with an HMAC key) included. */
export const SESSION_INFO = {
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

/** Start or Stop on the session "default": its answer, then the session as a GET shows it. */
export async function expectSessionChange(operation: string) {
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
		.reply(200, { ...SESSION_INFO, status, ...(operation === 'stop' ? { me: null } : {}) });
	const [item] = await runWaha({ parameters: sessionParameters(operation) });
	expect(item.json).toEqual({
		session: 'default',
		status,
		working: operation === 'start',
		engine: 'WEBJS',
		me: operation === 'start' ? { id: '77770000000@c.us', pushName: 'Shop' } : null,
	});
}

/** Start Typing or Stop Typing: WAHA's empty 201 becomes a success item. */
export async function expectTypingSuccess(operation: string) {
	waha()
		.post(`/api/${operation}`, like({ session: 'default', chatId: CHAT_ID }))
		.reply(201);
	const output = await runWaha({
		parameters: { resource: 'chat', operation, session: 'default', recipient: '7011234567' },
	});
	expect(output).toEqual([
		{ json: { success: true, chatId: CHAT_ID, session: 'default' }, pairedItem: { item: 0 } },
	]);
}

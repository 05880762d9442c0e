import { TYPING_MAX_MS, TYPING_MIN_MS } from '../../../nodes/Waha/helpers/pacing';
import { clock } from '../../helpers/clock';
import { sendingMarker } from '../../../nodes/Waha/helpers/sendOnce';
import { CHAT_ID, runWaha, runWahaError, useNock, waha, webjsMessage } from '../../helpers/waha';

const ORDER_TAG = 'kaspi-order-512345678';

const sendText = (options: Record<string, unknown>, recipient = '7011234567') => ({
	resource: 'message',
	operation: 'sendText',
	session: { __rl: true, mode: 'list', value: 'default' },
	recipient,
	text: 'Заказ 512345678 принят, доставим завтра',
	options,
});

const checkExists = (options: Record<string, unknown>, phone = '7011234567') => ({
	resource: 'contact',
	operation: 'checkExists',
	session: 'default',
	phone,
	options,
});

const checkWithKey = (processed: Set<string>) =>
	runWaha({ parameters: checkExists({ sendOnceKey: ORDER_TAG }), processed });

/** The chat history path, with the chat id's `@` escaped as WAHA asks. */
const HISTORY = '/api/default/chats/77011234567%40c.us/messages';

let sleep: jest.SpyInstance;
useNock();
beforeEach(() => {
	sleep = jest.spyOn(clock, 'sleep').mockResolvedValue(undefined);
});
afterEach(() => jest.restoreAllMocks());

describe('Send Once Key', () => {
	it('sends once, then outputs alreadySent without calling WAHA', async () => {
		const processed = new Set<string>();
		waha().post('/api/sendText').once().reply(201, webjsMessage());

		const [first] = await runWaha({ parameters: sendText({ sendOnceKey: ORDER_TAG }), processed });
		const [second] = await runWaha({ parameters: sendText({ sendOnceKey: ORDER_TAG }), processed });

		expect(first.json).toMatchObject({ sent: true, key: ORDER_TAG });
		expect(second.json).toEqual({
			sent: false,
			alreadySent: true,
			key: ORDER_TAG,
			chatId: CHAT_ID,
			session: 'default',
		});
		expect(second.pairedItem).toEqual({ item: 0 });
		expect(processed.has(ORDER_TAG)).toBe(true);
	});

	it('sends only the first of two items with the same key in one execution', async () => {
		waha().post('/api/sendText').once().reply(201, webjsMessage());
		const output = await runWaha({
			items: [{ json: {} }, { json: {} }],
			parameters: sendText({ sendOnceKey: ORDER_TAG }),
		});
		expect(output.map((item) => item.json.sent)).toEqual([true, false]);
	});

	it('records the key only once WAHA accepted the message', async () => {
		const processed = new Set<string>();
		let recordedDuringSend: boolean | undefined;
		waha()
			.post('/api/sendText')
			.reply(() => {
				recordedDuringSend = processed.has(ORDER_TAG);
				return [201, webjsMessage()];
			});
		await runWaha({ parameters: sendText({ sendOnceKey: ORDER_TAG }), processed });
		expect(recordedDuringSend).toBe(false);
		expect(processed.has(ORDER_TAG)).toBe(true);
	});

	it('holds off a second execution while the first is sending, and leaves no marker behind', async () => {
		const processed = new Set<string>();
		let second: ReturnType<typeof runWaha> | undefined;
		waha()
			.post('/api/sendText')
			.delay(200)
			.reply(() => {
				second = runWaha({ parameters: sendText({ sendOnceKey: ORDER_TAG }), processed });
				return [201, webjsMessage()];
			});
		const [first] = await runWaha({ parameters: sendText({ sendOnceKey: ORDER_TAG }), processed });
		const [other] = await second!;
		expect(first.json.sent).toBe(true);
		expect(other.json).toMatchObject({ sent: false, alreadySent: false, sendingElsewhere: true });
		expect([...processed]).toEqual([ORDER_TAG]);
	});

	it('a marker left by a run that died mid-send holds the key only until its period ends', async () => {
		const now = Date.now();
		const processed = new Set<string>([sendingMarker(ORDER_TAG, now)]);
		const [held] = await runWaha({ parameters: sendText({ sendOnceKey: ORDER_TAG }), processed });
		expect(held.json).toMatchObject({ sent: false, sendingElsewhere: true });

		jest.spyOn(Date, 'now').mockReturnValue(now + 10 * 60_000);
		waha().post('/api/sendText').reply(201, webjsMessage());
		const [later] = await runWaha({ parameters: sendText({ sendOnceKey: ORDER_TAG }), processed });
		expect(later.json.sent).toBe(true);
		expect(processed.has(ORDER_TAG)).toBe(true);
	});

	it('two executions at once (a peek on one order, a send of another) keep both writes', async () => {
		// n8n's store writes its row back whole, so unguarded these two lose each other's writes:
		// the peeked key comes back (an order marked as notified that never was) or the sent one vanishes.
		const processed = new Set<string>();
		const OTHER_TAG = 'kaspi-order-512345679';
		waha()
			.get('/api/contacts/check-exists')
			.query(true)
			.times(5)
			.reply(200, { numberExists: true, chatId: CHAT_ID });
		waha().post('/api/sendText').once().reply(201, webjsMessage());
		const outputs = await Promise.all([
			...Array.from({ length: 5 }, async () => await checkWithKey(processed)),
			...Array.from(
				{ length: 5 },
				async () => await runWaha({ parameters: sendText({ sendOnceKey: OTHER_TAG }), processed }),
			),
		]);
		expect(outputs.filter(([item]) => item.json.sent === true)).toHaveLength(1);
		expect([...processed]).toEqual([OTHER_TAG]);
	});

	it('records nothing when the send fails, so a later run sends', async () => {
		const processed = new Set<string>();
		waha().post('/api/sendText').reply(500, { statusCode: 500 });

		const error = await runWahaError({
			parameters: sendText({ sendOnceKey: ORDER_TAG }),
			processed,
		});
		expect(error.message).toBe('WAHA answered 500');
		expect(processed.has(ORDER_TAG)).toBe(false);

		waha().post('/api/sendText').reply(201, webjsMessage());
		const [retry] = await runWaha({ parameters: sendText({ sendOnceKey: ORDER_TAG }), processed });
		expect(retry.json.sent).toBe(true);
		expect(processed.has(ORDER_TAG)).toBe(true);
	});

	it('records nothing under continueOnFail too, and outputs the error for the item', async () => {
		const processed = new Set<string>();
		waha()
			.post('/api/sendText')
			.reply(422, { session: 'default', status: 'STOPPED', expected: ['WORKING'] });
		const [item] = await runWaha({
			parameters: sendText({ sendOnceKey: ORDER_TAG }),
			processed,
			continueOnFail: true,
		});
		expect(item.json.error).toBe('WAHA session "default" is STOPPED, not WORKING');
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(processed.has(ORDER_TAG)).toBe(false);
	});

	it('does not record a key for an item whose recipient is invalid', async () => {
		const processed = new Set<string>();
		await runWahaError({
			parameters: sendText({ sendOnceKey: ORDER_TAG }, '+0(000)-000-00-00'),
			processed,
		});
		expect(processed.size).toBe(0);
	});

	it('ignores a blank key', async () => {
		const processed = new Set<string>();
		waha().post('/api/sendText').twice().reply(201, webjsMessage());
		await runWaha({ parameters: sendText({ sendOnceKey: '  ' }), processed });
		const [second] = await runWaha({ parameters: sendText({ sendOnceKey: '  ' }), processed });
		expect(second.json).toEqual({
			sent: true,
			messageId: webjsMessage().id,
			chatId: CHAT_ID,
			session: 'default',
		});
		expect(processed.size).toBe(0);
	});
});

describe('Skip If Chat Contains', () => {
	const options = { sendOnceKey: ORDER_TAG, skipIfChatContains: '512345678' };

	it('does not send when a message we sent contains the text (a run that died after sending), and records the key', async () => {
		const processed = new Set<string>();
		waha()
			.get(HISTORY)
			.query(true)
			.reply(200, [
				{ id: 'a', timestamp: 1, fromMe: false, body: 'Где мой заказ?' },
				{ id: 'b', timestamp: 2, fromMe: true, body: 'Заказ 512345678 принят, доставим завтра' },
			]);
		const [item] = await runWaha({ parameters: sendText(options), processed });
		expect(item.json).toEqual({
			sent: false,
			alreadySent: true,
			foundInChat: true,
			key: ORDER_TAG,
			chatId: CHAT_ID,
			session: 'default',
		});
		expect(processed.has(ORDER_TAG)).toBe(true);
	});

	it('sends when only the buyer mentioned the text', async () => {
		waha()
			.get(HISTORY)
			.query(true)
			.reply(200, [{ id: 'a', timestamp: 1, fromMe: false, body: 'Заказ 512345678?' }]);
		waha().post('/api/sendText').reply(201, webjsMessage());
		const [item] = await runWaha({ parameters: sendText(options) });
		expect(item.json.sent).toBe(true);
	});

	it('treats an unknown chat (404) as empty and sends', async () => {
		waha().get(HISTORY).query(true).reply(404, { statusCode: 404, message: 'Chat not found' });
		waha().post('/api/sendText').reply(201, webjsMessage());
		const [item] = await runWaha({ parameters: sendText(options) });
		expect(item.json.sent).toBe(true);
	});

	it('reads the newest messages first, only our own, where the server can sort (WAHA ≥ 2025.10.5)', async () => {
		// Unsorted, WEBJS gives the oldest of the last N and the 20 may all be the buyer's (docs/services/waha.md).
		waha()
			.get(HISTORY)
			.query({
				limit: '20',
				downloadMedia: 'false',
				sortBy: 'timestamp',
				sortOrder: 'desc',
				'filter.fromMe': 'true',
			})
			.reply(200, [{ id: 'b', timestamp: 2, fromMe: true, body: 'Заказ 512345678 принят' }]);
		const [item] = await runWaha({ parameters: sendText(options) });
		expect(item.json).toMatchObject({ sent: false, foundInChat: true });
	});

	describe('when WAHA cannot give the history', () => {
		// Real answers of the history read (docs/services/waha.md, "Chat history"): NOWEB with its
		// store off (its default), WEBJS on a chat that never had a message, an engine without the
		// endpoint (501 since NotImplementedException, 422 on older servers).
		const unreadable: Array<[string, number, RegExp, object]> = [
			[
				'NOWEB without its store (400)',
				400,
				/NOWEB store/,
				{
					statusCode: 400,
					message:
						'Enable NOWEB store "config.noweb.store.enabled=True" and "config.noweb.store.full_sync=True" when starting a new session. Read more: https://waha.devlike.pro/docs/engines/noweb#store',
					error: 'Bad Request',
				},
			],
			[
				'WEBJS on a chat that never had a message (500)',
				500,
				/WAHA answered 500/,
				{
					statusCode: 500,
					exception: {
						message: "Cannot read properties of undefined (reading 'waitForChatLoading')",
						name: 'TypeError',
					},
				},
			],
			[
				'an engine without the endpoint (501)',
				501,
				/not implemented by 'WPP' engine/,
				{
					statusCode: 501,
					message:
						"The method is not implemented by 'WPP' engine. Check the docs and try another engine: https://waha.devlike.pro/",
					error: 'Not Implemented',
				},
			],
			[
				'an engine without the endpoint on an older server (422)',
				422,
				/not implemented by the engine/,
				{
					statusCode: 422,
					message: 'The method is not implemented by the engine.',
					error: 'Unprocessable Entity',
				},
			],
		];

		it.each(unreadable)(
			'sends anyway by default for %s, flags historyChecked false and records the key',
			async (_, status, reason, reply) => {
				const processed = new Set<string>();
				// A GET is retried on a 5xx, as any read; the answer stays the same.
				waha()
					.get(HISTORY)
					.query(true)
					.times(status >= 500 ? 3 : 1)
					.reply(status, reply);
				waha().post('/api/sendText').once().reply(201, webjsMessage());
				const [item] = await runWaha({ parameters: sendText(options), processed });
				expect(item.json).toMatchObject({ sent: true, historyChecked: false, key: ORDER_TAG });
				expect(item.json.historyError).toMatch(reason);
				expect([...processed]).toEqual([ORDER_TAG]);
			},
		);

		it('fails without sending or recording when the choice is Fail', async () => {
			const processed = new Set<string>();
			const [, status, , reply] = unreadable[0];
			waha().get(HISTORY).query(true).reply(status, reply);
			const error = await runWahaError({
				parameters: sendText({ ...options, historyUnavailable: 'fail' }),
				processed,
			});
			expect(error.message).toMatch(/^Skip If Chat Contains could not read the chat/);
			expect(error.description).toMatch(/NOWEB store/);
			expect(processed.size).toBe(0);
		});
	});

	it('fails and records nothing when the history cannot be read', async () => {
		const processed = new Set<string>();
		waha()
			.get(HISTORY)
			.query(true)
			.reply(422, { session: 'default', status: 'SCAN_QR_CODE', expected: ['WORKING'] });
		const error = await runWahaError({ parameters: sendText(options), processed });
		expect(error.message).toBe('WAHA session "default" is SCAN_QR_CODE, not WORKING');
		expect(processed.has(ORDER_TAG)).toBe(false);
	});

	it('is not asked when the key is already recorded', async () => {
		const processed = new Set<string>([ORDER_TAG]);
		const [item] = await runWaha({ parameters: sendText(options), processed });
		expect(item.json).toMatchObject({ sent: false, alreadySent: true });
		expect(item.json.foundInChat).toBeUndefined();
	});
});

describe('Check Number Exists with Skip If Already Sent', () => {
	it('answers alreadySent without calling WAHA when the key is recorded', async () => {
		const processed = new Set<string>([ORDER_TAG]);
		const [item] = await checkWithKey(processed);
		expect(item.json).toEqual({
			alreadySent: true,
			exists: null,
			chatId: null,
			phone: '7701*****67',
			key: ORDER_TAG,
		});
		expect(processed.has(ORDER_TAG)).toBe(true);
	});

	it('only peeks: a number on WhatsApp leaves the key free for the send', async () => {
		const processed = new Set<string>();
		waha()
			.get('/api/contacts/check-exists')
			.query(true)
			.reply(200, { numberExists: true, chatId: CHAT_ID });
		const [item] = await checkWithKey(processed);
		expect(item.json).toEqual({
			exists: true,
			chatId: CHAT_ID,
			phone: '7701*****67',
			alreadySent: false,
			key: ORDER_TAG,
		});
		expect(processed.has(ORDER_TAG)).toBe(false);

		waha().post('/api/sendText').reply(201, webjsMessage());
		const [sent] = await runWaha({ parameters: sendText({ sendOnceKey: ORDER_TAG }), processed });
		expect(sent.json.sent).toBe(true);
	});

	it('records the key when the number is not on WhatsApp, so a catch-up run skips it', async () => {
		const processed = new Set<string>();
		waha().get('/api/contacts/check-exists').query(true).once().reply(200, { numberExists: false });
		const [first] = await checkWithKey(processed);
		expect(first.json).toMatchObject({ exists: false, alreadySent: false });
		expect(processed.has(ORDER_TAG)).toBe(true);

		const [again] = await checkWithKey(processed);
		expect(again.json).toMatchObject({ alreadySent: true, exists: null });
	});

	it('leaves the store untouched when WAHA fails', async () => {
		const processed = new Set<string>();
		waha()
			.get('/api/contacts/check-exists')
			.query(true)
			.reply(401, { message: 'Unauthorized', statusCode: 401 });
		const error = await runWahaError({
			parameters: checkExists({ sendOnceKey: ORDER_TAG }),
			processed,
		});
		expect(error.message).toBe('WAHA rejected the API key');
		expect(processed.size).toBe(0);
	});
});

describe('Human-like pace', () => {
	it('types before sending: startTyping, a wait, stopTyping, then sendText', async () => {
		const calls: string[] = [];
		sleep.mockImplementation(async (ms: number) => {
			calls.push(`sleep ${ms >= TYPING_MIN_MS && ms <= TYPING_MAX_MS ? 'in bounds' : ms}`);
		});
		const scope = waha();
		for (const path of ['/api/startTyping', '/api/stopTyping']) {
			scope.post(path, { session: 'default', chatId: CHAT_ID }).reply(201, () => {
				calls.push(path);
				return '';
			});
		}
		scope.post('/api/sendText').reply(201, () => {
			calls.push('/api/sendText');
			return webjsMessage();
		});

		const [item] = await runWaha({ parameters: sendText({ simulateTyping: true }) });

		expect(calls).toEqual([
			'/api/startTyping',
			'sleep in bounds',
			'/api/stopTyping',
			'/api/sendText',
		]);
		expect(item.json.sent).toBe(true);
	});

	it('still sends when the engine cannot show typing', async () => {
		waha()
			.post('/api/startTyping')
			.reply(422, { statusCode: 422, message: 'The method is not implemented by the engine.' });
		waha().post('/api/sendText').reply(201, webjsMessage());
		const [item] = await runWaha({ parameters: sendText({ simulateTyping: true }) });
		expect(item.json.sent).toBe(true);
		expect(sleep).not.toHaveBeenCalled();
	});

	it('waits a random delay before every message but the first of the execution', async () => {
		jest.spyOn(clock, 'random').mockReturnValue(0.5);
		waha().post('/api/sendText').times(3).reply(201, webjsMessage());
		const output = await runWaha({
			items: [{ json: {} }, { json: {} }, { json: {} }],
			parameters: sendText({ randomDelay: { delay: { minSeconds: 30, maxSeconds: 60 } } }),
		});
		expect(output.map((item) => item.json.sent)).toEqual([true, true, true]);
		expect(sleep.mock.calls).toEqual([[45_000], [45_000]]);
	});

	it('waits before looking at the key, so a key recorded meanwhile is seen', async () => {
		const processed = new Set<string>(['old-order']);
		const keysRecordedWhenWaiting: string[][] = [];
		sleep.mockImplementation(async () => {
			keysRecordedWhenWaiting.push([...processed].sort());
		});
		waha().post('/api/sendText').times(2).reply(201, webjsMessage());
		const keys = ['first-order', 'old-order', 'next-order'];
		const output = await runWaha({
			items: [{ json: {} }, { json: {} }, { json: {} }],
			parameters: (itemIndex) =>
				sendText({
					sendOnceKey: keys[itemIndex],
					randomDelay: { delay: { minSeconds: 30, maxSeconds: 60 } },
				}),
			processed,
		});
		expect(output.map((item) => item.json.sent)).toEqual([true, false, true]);
		// No wait before the first message; before each later item the wait comes first, while its
		// key is not yet recorded, so a crash during the pause leaves nothing recorded unsent.
		expect(keysRecordedWhenWaiting).toEqual([
			['first-order', 'old-order'],
			['first-order', 'old-order'],
		]);
	});
});

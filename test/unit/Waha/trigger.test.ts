import type { IDataObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';

import { signWebhookBody } from '../../../nodes/Waha/transport/hmac';
import { WahaTrigger } from '../../../nodes/Waha/WahaTrigger.node';
import { fakeContext } from '../../helpers/context';
import { captureBody, useNock, waha, wahaCredentials } from '../../helpers/waha';

const OUR_URL = 'https://n8n.example.kz/webhook/abc/waha';
const OTHER = { url: 'https://crm.example.kz/hooks/whatsapp', events: ['message.any'] };
const SECRET = 'hmac-unit-secret';
/** What the trigger asks for with the default 10-minute replay window. */
const RETRIES = { policy: 'exponential', delaySeconds: 2, attempts: 7 };

const trigger = new WahaTrigger();
const lifecycle = trigger.webhookMethods.default;

function hookContext(
	options: {
		secret?: string;
		events?: string[];
		staticData?: IDataObject;
		maxEventAgeMinutes?: number;
	} = {},
) {
	const { context, staticData } = fakeContext({
		parameters: {
			session: { __rl: true, mode: 'list', value: 'default' },
			events: options.events ?? ['message'],
			options:
				options.maxEventAgeMinutes === undefined
					? {}
					: { maxEventAgeMinutes: options.maxEventAgeMinutes },
		},
		credentials: wahaCredentials(options.secret ?? ''),
		staticData: options.staticData,
	});
	const hook = Object.assign(context, { getNodeWebhookUrl: () => OUR_URL });
	return { hook: hook as unknown as IHookFunctions, staticData };
}

function session(webhooks: unknown[], extra: IDataObject = {}) {
	return {
		name: 'default',
		status: 'WORKING',
		config: { metadata: { tenant: 'shop-42' }, proxy: null, webhooks, ...extra },
	};
}

type SessionUpdate = { name?: string; config?: IDataObject; apps?: unknown };
const expectPut = (session = 'default') =>
	captureBody<SessionUpdate>('put', `/api/sessions/${session}`, 200);

useNock();

describe('WAHA Trigger › webhook registration', () => {
	it('adds its webhook next to the others and keeps the rest of the config', async () => {
		waha()
			.get('/api/sessions/default')
			.reply(200, session([OTHER]));
		const put = expectPut();
		const { hook, staticData } = hookContext({ events: ['message', 'session.status'] });

		expect(await lifecycle.create.call(hook)).toBe(true);

		// SessionUpdateRequest is {config, apps}; `name` is a 400 under WAHA_HTTP_STRICT_MODE.
		expect(put.body).toEqual({
			config: {
				metadata: { tenant: 'shop-42' },
				proxy: null,
				webhooks: [
					OTHER,
					{ url: OUR_URL, events: ['message', 'session.status'], retries: RETRIES },
				],
			},
		});
		expect(staticData).toEqual({ session: 'default', webhookUrl: OUR_URL });
	});

	it('registers the HMAC key when the credential has a secret, replacing an old entry', async () => {
		waha()
			.get('/api/sessions/default')
			.reply(200, session([{ url: OUR_URL, events: ['message.any'] }, OTHER]));
		const put = expectPut();
		const { hook } = hookContext({ secret: SECRET });

		await lifecycle.create.call(hook);

		expect(put.body?.config?.webhooks).toEqual([
			OTHER,
			{ url: OUR_URL, events: ['message'], hmac: { key: SECRET }, retries: RETRIES },
		]);
	});

	it('sends the session’s apps back as the server gave them (WAHA 2026)', async () => {
		const apps = [
			{
				id: 'app_1',
				session: 'default',
				app: 'chatwoot',
				enabled: true,
				config: { url: 'https://cw.example.kz' },
			},
		];
		waha()
			.get('/api/sessions/default')
			.reply(200, { ...session([OTHER]), apps });
		const put = expectPut();
		await lifecycle.create.call(hookContext().hook);
		expect(put.body).toEqual({ config: expect.any(Object), apps });
	});

	it('asks WAHA for retries that end inside the replay window', async () => {
		// WAHA's exponential policy waits about 2, 4, 8… s, ±20 % (docs/services/waha.md, Webhooks).
		const worstCase = (retries: { delaySeconds: number; attempts: number }) =>
			retries.delaySeconds * (2 ** retries.attempts - 1) * 1.2;
		for (const [minutes, expected] of [
			[10, 7],
			[2, 5],
			[0, 7],
		] as const) {
			waha().get('/api/sessions/default').reply(200, session([]));
			const put = expectPut();
			await lifecycle.create.call(
				hookContext({ secret: SECRET, maxEventAgeMinutes: minutes }).hook,
			);
			const [entry] = put.body?.config?.webhooks as Array<{
				retries: { policy: string; delaySeconds: number; attempts: number };
			}>;
			expect(entry.retries).toEqual({ policy: 'exponential', delaySeconds: 2, attempts: expected });
			if (minutes > 0) expect(worstCase(entry.retries)).toBeLessThanOrEqual(minutes * 60);
		}
	});

	it('names the event and the WAHA version it needs when WAHA refuses the events (400)', async () => {
		waha().get('/api/sessions/default').reply(200, session([]));
		waha()
			.put('/api/sessions/default')
			.reply(400, {
				message: [
					'config.webhooks.0.each value in events must be one of the following values: message, message.reaction, message.any, message.ack, message.revoked, session.status, presence.update, poll.vote',
				],
				error: 'Bad Request',
				statusCode: 400,
			});
		await expect(
			lifecycle.create.call(hookContext({ events: ['message', 'message.edited'] }).hook),
		).rejects.toThrow(
			'WAHA does not know the event "message.edited": it needs WAHA 2025.6.3 or later',
		);
	});

	it('works on a session without any config', async () => {
		waha()
			.get('/api/sessions/default')
			.reply(200, { name: 'default', status: 'STOPPED', config: null });
		const put = expectPut();
		await lifecycle.create.call(hookContext().hook);
		expect(put.body?.config).toEqual({
			webhooks: [{ url: OUR_URL, events: ['message'], retries: RETRIES }],
		});
	});

	it('finds its webhook only with the same events and HMAC key', async () => {
		const ours = { url: OUR_URL, events: ['message'], hmac: { key: SECRET }, retries: RETRIES };
		waha()
			.get('/api/sessions/default')
			.times(4)
			.reply(200, session([OTHER, ours]));

		expect(await lifecycle.checkExists.call(hookContext({ secret: SECRET }).hook)).toBe(true);
		expect(await lifecycle.checkExists.call(hookContext({ secret: 'new-secret' }).hook)).toBe(
			false,
		);
		expect(await lifecycle.checkExists.call(hookContext().hook)).toBe(false);
		expect(
			await lifecycle.checkExists.call(
				hookContext({ secret: SECRET, events: ['message', 'message.ack'] }).hook,
			),
		).toBe(false);
	});

	it('with only other webhooks on the session, finds none and deletes nothing', async () => {
		waha()
			.get('/api/sessions/default')
			.twice()
			.reply(200, session([OTHER]));
		expect(await lifecycle.checkExists.call(hookContext().hook)).toBe(false);
		expect(await lifecycle.delete.call(hookContext().hook)).toBe(true);
	});

	it('removes only its own webhook on delete, from the session it registered on', async () => {
		waha()
			.get('/api/sessions/shop')
			.reply(200, { ...session([OTHER, { url: OUR_URL, events: ['message'] }]), name: 'shop' });
		const put = expectPut('shop');
		const { hook, staticData } = hookContext({
			staticData: { session: 'shop', webhookUrl: OUR_URL },
		});

		expect(await lifecycle.delete.call(hook)).toBe(true);

		expect(put.body?.config).toEqual({
			metadata: { tenant: 'shop-42' },
			proxy: null,
			webhooks: [OTHER],
		});
		expect(staticData).toEqual({});
	});

	it('treats a deleted session as nothing to remove', async () => {
		waha()
			.get('/api/sessions/default')
			.reply(404, { statusCode: 404, message: "We didn't find a session with name 'default'." });
		expect(await lifecycle.delete.call(hookContext().hook)).toBe(true);
	});

	it('fails activation with a clear message when the API key is wrong', async () => {
		waha().get('/api/sessions/default').reply(401, { message: 'Unauthorized', statusCode: 401 });
		await expect(lifecycle.create.call(hookContext().hook)).rejects.toThrow(
			'WAHA rejected the API key',
		);
	});
});

describe('WAHA Trigger › receiving events', () => {
	const event = {
		id: 'evt_01jyewpavw2ns6gc9j48ta562t',
		timestamp: Date.now() - 5000,
		event: 'message',
		session: 'default',
		payload: { id: 'false_77011234567@c.us_AAAA', from: '77011234567@c.us', body: 'Здравствуйте' },
		engine: 'WEBJS',
	};

	function webhookContext(options: {
		body?: IDataObject;
		rawBody?: Buffer;
		headers?: IDataObject;
		secret?: string;
		events?: string[];
		maxEventAgeMinutes?: number;
	}) {
		const body = options.body ?? event;
		const { context } = fakeContext({
			parameters: {
				session: { __rl: true, mode: 'list', value: 'default' },
				events: options.events ?? ['message'],
				options:
					options.maxEventAgeMinutes === undefined
						? {}
						: { maxEventAgeMinutes: options.maxEventAgeMinutes },
			},
			credentials: wahaCredentials(options.secret ?? ''),
		});
		const response = {
			status: jest.fn().mockReturnThis(),
			send: jest.fn().mockReturnThis(),
			end: jest.fn().mockReturnThis(),
		};
		const webhook = Object.assign(context, {
			getBodyData: () => body,
			getHeaderData: () => options.headers ?? {},
			getRequestObject: () => ({ rawBody: options.rawBody }),
			getResponseObject: () => response,
		});
		return { webhook: webhook as unknown as IWebhookFunctions, response };
	}

	it('starts the workflow with a correctly signed event, checked over the raw body', async () => {
		const raw = Buffer.from(JSON.stringify(event, null, 1));
		const { webhook, response } = webhookContext({
			rawBody: raw,
			headers: {
				'x-webhook-hmac': signWebhookBody(raw, SECRET),
				'x-webhook-hmac-algorithm': 'sha512',
			},
			secret: SECRET,
		});
		const result = await trigger.webhook.call(webhook);
		expect(result).toEqual({ workflowData: [[{ json: event }]] });
		expect(response.status).not.toHaveBeenCalled();
	});

	it('falls back to the JSON body when n8n kept no raw body', async () => {
		const { webhook } = webhookContext({
			headers: { 'x-webhook-hmac': signWebhookBody(JSON.stringify(event), SECRET) },
			secret: SECRET,
		});
		expect((await trigger.webhook.call(webhook)).workflowData).toBeDefined();
	});

	it.each([
		['a wrong signature', { 'x-webhook-hmac': signWebhookBody('{}', SECRET) }, undefined],
		['a missing signature', {}, undefined],
		['a body changed by one byte', undefined, 1],
	])('answers 401 and starts nothing for %s', async (_, headers, flip) => {
		const raw = Buffer.from(JSON.stringify(event));
		const signature = signWebhookBody(raw, SECRET);
		const received = Buffer.from(raw);
		if (flip !== undefined) received[received.length - 3] ^= flip;
		const { webhook, response } = webhookContext({
			rawBody: received,
			headers: headers ?? { 'x-webhook-hmac': signature },
			secret: SECRET,
		});
		const result = await trigger.webhook.call(webhook);
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response.status).toHaveBeenCalledWith(401);
		expect(response.send).toHaveBeenCalledWith('Invalid signature');
		expect(response.end).toHaveBeenCalled();
	});

	describe('a replayed event', () => {
		const signed = (body: IDataObject, maxEventAgeMinutes?: number) => {
			const raw = Buffer.from(JSON.stringify(body));
			return webhookContext({
				body,
				rawBody: raw,
				headers: { 'x-webhook-hmac': signWebhookBody(raw, SECRET) },
				secret: SECRET,
				maxEventAgeMinutes,
			});
		};

		it('is refused with 401 when its signed timestamp is older than 10 minutes, or ahead', async () => {
			for (const body of [
				{ ...event, timestamp: Date.now() - 11 * 60_000 },
				{ ...event, timestamp: Date.now() + 10 * 60_000 },
			]) {
				const { webhook, response } = signed(body);
				expect(await trigger.webhook.call(webhook)).toEqual({ noWebhookResponse: true });
				expect(response.status).toHaveBeenCalledWith(401);
				expect(response.send).toHaveBeenCalledWith('Stale event');
			}
		});

		describe('from WAHA before 2025.3.1, whose body has no timestamp', () => {
			const untimed = Object.fromEntries(
				Object.entries(event).filter(([key]) => key !== 'timestamp'),
			);
			const signedWithHeader = (header?: string) => {
				const raw = Buffer.from(JSON.stringify(untimed));
				return webhookContext({
					body: untimed,
					rawBody: raw,
					headers: {
						'x-webhook-hmac': signWebhookBody(raw, SECRET),
						...(header === undefined ? {} : { 'x-webhook-timestamp': header }),
					},
					secret: SECRET,
				});
			};

			it('checks the age from the X-Webhook-Timestamp header (Unix ms)', async () => {
				const fresh = signedWithHeader(String(Date.now() - 5000));
				expect((await trigger.webhook.call(fresh.webhook)).workflowData).toEqual([
					[{ json: untimed }],
				]);

				const stale = signedWithHeader(String(Date.now() - 11 * 60_000));
				expect(await trigger.webhook.call(stale.webhook)).toEqual({ noWebhookResponse: true });
				expect(stale.response.send).toHaveBeenCalledWith('Stale event');
			});

			it('accepts a signed event with neither, as the node’s notice says', async () => {
				const { webhook, response } = signedWithHeader();
				expect((await trigger.webhook.call(webhook)).workflowData).toEqual([[{ json: untimed }]]);
				expect(response.status).not.toHaveBeenCalled();
				const notice = trigger.description.properties.find((p) => p.name === 'notice');
				expect(notice?.displayName).toMatch(/neither.*accepted/i);
			});
		});

		it('follows the node’s window, and 0 turns the check off', async () => {
			const old = { ...event, timestamp: Date.now() - 30 * 60_000 };
			expect((await trigger.webhook.call(signed(old, 60).webhook)).workflowData).toBeDefined();
			expect((await trigger.webhook.call(signed(old, 0).webhook)).workflowData).toBeDefined();
			expect((await trigger.webhook.call(signed(old, 20).webhook)).workflowData).toBeUndefined();
		});
	});

	it('accepts unsigned events when the credential has no secret', async () => {
		const { webhook } = webhookContext({});
		expect((await trigger.webhook.call(webhook)).workflowData).toEqual([[{ json: event }]]);
	});

	it('drops events that were not selected, or that come from another session', async () => {
		const ack = webhookContext({ body: { ...event, event: 'message.ack' } });
		expect(await trigger.webhook.call(ack.webhook)).toEqual({ webhookResponse: 'ignored' });

		const otherSession = webhookContext({ body: { ...event, session: 'shop' } });
		expect(await trigger.webhook.call(otherSession.webhook)).toEqual({
			webhookResponse: 'ignored',
		});

		const selected = webhookContext({
			body: { ...event, event: 'message.ack' },
			events: ['message', 'message.ack'],
		});
		expect((await trigger.webhook.call(selected.webhook)).workflowData).toBeDefined();
	});

	it('says on the presence event that it needs a presence subscription', () => {
		// GOWS and NOWEB send presence.update only for chats the session subscribed to.
		const events = trigger.description.properties.find((property) => property.name === 'events');
		const presence = (events?.options ?? []).find(
			(option) => (option as { value: string }).value === 'presence.update',
		) as { description?: string };
		expect(presence.description).toMatch(/subscri/);
		expect(presence.description).toMatch(/presence\/\{chatId\}\/subscribe|Subscribe/);
	});

	it('states the minimum WAHA versions and the restart in its notice', () => {
		const notice = trigger.description.properties.find((p) => p.name === 'notice');
		const text = notice?.displayName ?? '';
		expect(text).toContain('2024.11.5'); // Core signs webhooks
		expect(text).toContain('2025.3.1'); // event timestamp
		expect(text).toMatch(/2026\.6\b.*default|default.*2026\.6\b/); // Core: only the session "default"
		expect(text).toMatch(/Listen for Test Event/i); // each registration restarts the session
		const events = trigger.description.properties.find((property) => property.name === 'events');
		const edited = (events?.options ?? []).find(
			(option) => (option as { value: string }).value === 'message.edited',
		) as { description?: string };
		expect(edited.description).toContain('2025.6.3');
	});

	it('offers every known event, sorted by name', () => {
		const events = trigger.description.properties.find((property) => property.name === 'events');
		const names = (events?.options ?? []).map((option) => (option as { name: string }).name);
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
		expect(names).toHaveLength(11);
	});
});

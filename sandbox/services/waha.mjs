// @ts-check
/**
 * WAHA emulator (https://waha.devlike.pro/docs/), WEBJS flavour: sessions, sending, check-exists,
 * chat history, and webhooks signed like the real server, so a trigger's HMAC check is exercised
 * for real.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { STATUS_CODES } from 'node:http';

import { HttpError, Router, controlError, isObject, json } from '../lib/http.mjs';
import { postRaw } from '../lib/outbound.mjs';
import { qrLikePng } from '../lib/png.mjs';
import { headerSecretAuth } from '../lib/service.mjs';

/** @typedef {import('../lib/http.mjs').RequestContext} RequestContext */

/*
 * What the emulator accepts and sends is WAHA's own contract, never the node's, so that a node
 * that misreads WAHA fails here as it would against a real server. Names and values follow WAHA's
 * published OpenAPI document, version 2026.7.1 (https://waha.devlike.pro/swagger/openapi.json,
 * kept as `static/swagger/openapi.json` in github.com/devlikeapro/waha-docs); the typedefs below
 * carry each schema's name and only the fields the emulator reads or writes.
 */

/** OAS `SessionStatusPoint.status` / `WASessionStatusBody.status`. */
const SESSION_STATUSES = /** @type {const} */ ([
	'STOPPED',
	'STARTING',
	'SCAN_QR_CODE',
	'PASSKEY_REQUIRED',
	'PASSKEY_CONFIRMATION_REQUIRED',
	'WORKING',
	'FAILED',
]);

/**
 * The signature headers of a webhook with `hmac.key`: a hex HMAC-SHA512 of the raw body, and
 * the algorithm's name. The OpenAPI document does not cover delivery headers; WAHA's events page
 * does (https://waha.devlike.pro/docs/how-to/events/, section "HMAC authentication").
 */
const HMAC_HEADER = 'x-webhook-hmac';
const HMAC_ALGORITHM_HEADER = 'x-webhook-hmac-algorithm';

/** @typedef {typeof SESSION_STATUSES[number]} SessionStatus */

/**
 * @typedef {object} WebhookConfig OAS `WebhookConfig`.
 * @property {string} url
 * @property {string[]} events
 * @property {{ key?: string } | null} [hmac] OAS `HmacConfiguration`.
 * @property {Array<{ name: string, value: string }> | null} [customHeaders] OAS `CustomHeader`.
 */

/**
 * OAS `SessionConfig`. The engine, proxy and client parts are stored and echoed untouched.
 * @typedef {{ metadata?: Record<string, string>, webhooks?: WebhookConfig[], [key: string]: unknown }} SessionConfig
 */

/**
 * @typedef {object} MeInfo OAS `MeInfo`.
 * @property {string} id
 * @property {string} [pushName]
 */

/**
 * @typedef {object} SessionInfo OAS `SessionInfo` (`GET /api/sessions/{session}`).
 * @property {string} name
 * @property {SessionStatus} status
 * @property {SessionConfig} config
 * @property {MeInfo | null} me
 * @property {{ engine: string }} engine
 * @property {null} presence
 * @property {{ activity: number }} timestamps
 */

/**
 * @typedef {object} WebhookEnvelope The common part of OAS `WAHAWebhook*` (every webhook body).
 * @property {string} id Lower-case ULID with an `evt_` prefix.
 * @property {number} timestamp Milliseconds.
 * @property {string} event
 * @property {string} session
 * @property {Record<string, string>} [metadata]
 * @property {MeInfo} [me]
 * @property {Record<string, unknown>} payload
 * @property {string} engine
 * @property {Record<string, unknown>} [environment] OAS `WAHAEnvironment`.
 */

/**
 * @typedef {object} NumberExistResult OAS `WANumberExistResult`.
 * @property {boolean} numberExists
 * @property {string} [chatId]
 */

/**
 * @typedef {object} WAMessage OAS `WAMessage`, as chat history lists it.
 * @property {string} id
 * @property {number} timestamp Seconds.
 * @property {string} from
 * @property {boolean} fromMe
 * @property {string} to
 * @property {string | null} body
 */

/**
 * @typedef {object} MessageTextRequest OAS `MessageTextRequest`.
 * @property {string} session
 * @property {string} chatId
 * @property {string} text
 * @property {string | null} [reply_to]
 */

/**
 * @typedef {object} MessageFileRequest OAS `MessageFileRequest`; `file` is a `RemoteFile` (`url`)
 * or a `BinaryFile` (base64 `data`).
 * @property {string} session
 * @property {string} chatId
 * @property {{ mimetype: string, filename?: string, url?: string, data?: string }} file
 * @property {string} [caption]
 * @property {string | null} [reply_to]
 */

export const WAHA_DEFAULT_API_KEY = 'sandbox-waha-key';
const PREFIX = '/waha';
const WAHA_VERSION = '2026.7.1';
const ENGINE = 'WEBJS';
const ENVIRONMENT = {
	version: WAHA_VERSION,
	engine: ENGINE,
	tier: 'CORE',
	browser: '/usr/bin/chromium',
};
const DEFAULT_SESSION = 'default';
const DEFAULT_ME = { id: '77770000000@c.us', pushName: 'Sandbox Shop' };
/** Numbers ending in this are not on WhatsApp unless overridden through the control API. */
const NOT_ON_WHATSAPP_SUFFIX = '00';
const DEFAULT_MESSAGES_LIMIT = 10;
const MAX_DELIVERY_RECORDS = 1000;
/** `session.status` events carry the last three statuses (OAS `WASessionStatusBody.statuses`). */
const STATUS_HISTORY = 3;
const CROCKFORD_BASE32 = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * @typedef {object} SessionRecord
 * @property {string} name
 * @property {SessionStatus} status
 * @property {SessionConfig} config
 * @property {{ id: string, pushName: string } | null} me Null until the account is linked.
 * @property {Array<{ status: SessionStatus, timestamp: number }>} statuses Newest last.
 */

/**
 * @typedef {object} StoredMessage
 * @property {number} seq
 * @property {string} session
 * @property {string} chatId The other party: recipient of a sent message, sender of a received one.
 * @property {'text' | 'image' | 'file' | 'inbound'} kind
 * @property {Record<string, unknown> & WAMessage} message As WAHA returns it.
 * @property {string} [text]
 * @property {string} [caption]
 * @property {{ mimetype: string, filename?: string, url?: string, dataBytes?: number }} [file]
 * @property {string | null} [replyTo]
 * @property {string} at ISO time.
 */

/**
 * @typedef {object} WebhookDelivery
 * @property {string} eventId
 * @property {string} event
 * @property {string} session
 * @property {string} url
 * @property {number | null} status
 * @property {string} [error]
 * @property {string} at
 */

/**
 * @typedef {object} WahaState
 * @property {Map<string, SessionRecord>} sessions
 * @property {StoredMessage[]} messages Sent and received, oldest first.
 * @property {Map<string, boolean>} numberOverrides Digits → whether the number is on WhatsApp.
 * @property {WebhookDelivery[]} deliveries
 * @property {number} nextMessageSeq
 */

/** @type {import('../lib/service.mjs').ServiceModule} */
export const wahaService = {
	name: 'waha',
	create({ secret = WAHA_DEFAULT_API_KEY, seed }) {
		/** @type {WahaState} */
		const state = {
			sessions: new Map(),
			messages: [],
			numberOverrides: new Map(),
			deliveries: [],
			nextMessageSeq: 1,
		};
		const reset = (/** @type {boolean} */ withSeed) => {
			state.sessions = new Map();
			state.messages = [];
			state.numberOverrides = new Map();
			state.deliveries = [];
			state.nextMessageSeq = 1;
			if (withSeed) {
				state.sessions.set(
					DEFAULT_SESSION,
					newSession(DEFAULT_SESSION, 'WORKING', {}, { ...DEFAULT_ME }),
				);
			}
		};
		reset(seed);
		const webhooks = createWebhookEmitter(state);

		return {
			name: 'waha',
			prefix: PREFIX,
			contentType: 'application/json; charset=utf-8',
			state,
			authenticate: headerSecretAuth('x-api-key', secret),
			errorBody: nestError,
			unauthorized: () => json({ message: 'Unauthorized', statusCode: 401 }, 401),
			api: apiRoutes(state, webhooks),
			control: controlRoutes(state, webhooks),
			reset,
			close: webhooks.close,
		};
	},
};

/**
 * NestJS's default error shape, which WAHA uses for HTTP exceptions.
 * @param {number} status
 * @param {string | string[]} message
 */
function nestError(status, message) {
	return { statusCode: status, message, error: STATUS_CODES[status] ?? 'Error' };
}

/** @param {string[]} problems class-validator messages */
function validationError(problems) {
	return new HttpError(400, nestError(400, problems));
}

/**
 * @param {string} name
 * @param {SessionStatus} status
 * @param {SessionConfig} config
 * @param {SessionRecord['me']} me
 * @returns {SessionRecord}
 */
function newSession(name, status, config, me) {
	return { name, status, config, me, statuses: [{ status, timestamp: Date.now() }] };
}

/**
 * @param {SessionRecord} session
 * @returns {SessionInfo}
 */
function sessionInfo(session) {
	return {
		name: session.name,
		status: session.status,
		config: structuredClone(session.config),
		me: session.me && { ...session.me },
		engine: { engine: ENGINE },
		presence: null,
		timestamps: { activity: session.statuses[session.statuses.length - 1].timestamp },
	};
}

/**
 * What session-management endpoints return (OAS `SessionDTO`).
 * @param {SessionRecord} session
 */
function sessionDto(session) {
	return { name: session.name, status: session.status, config: structuredClone(session.config) };
}

/**
 * @param {WahaState} state
 * @param {string} name
 */
function findSession(state, name) {
	const session = state.sessions.get(name);
	if (session === undefined) {
		// The wording of WAHA's session manager (github.com/devlikeapro/waha src/core/manager.core.ts).
		throw new HttpError(
			404,
			nestError(
				404,
				`We didn't find a session with name '${name}'.\nPlease start it first by using POST /api/sessions/${name}/start request`,
			),
		);
	}
	return session;
}

/**
 * Every chatting endpoint requires a WORKING session; otherwise WAHA answers 422 with this raw
 * object. The real server waits up to 5 s for the status first; the sandbox does not
 * (github.com/devlikeapro/waha src/core/abc/manager.abc.ts, `WAIT_STATUS_TIMEOUT`).
 * @param {WahaState} state
 * @param {string} name
 */
function workingSession(state, name) {
	const session = findSession(state, name);
	if (session.status !== 'WORKING') {
		throw new HttpError(422, {
			error: 'Session status is not as expected. Try again later or restart the session',
			session: name,
			status: session.status,
			expected: ['WORKING'],
		});
	}
	return session;
}

/**
 * WAHA appends `@c.us` to a bare number (its `ensureSuffix`), so both forms are accepted.
 * @param {string} chatIdOrPhone
 */
function toChatId(chatIdOrPhone) {
	return chatIdOrPhone.includes('@') ? chatIdOrPhone : `${chatIdOrPhone.replace(/\D/g, '')}@c.us`;
}

/** Lower-case ULID, the form of WAHA's event ids (`evt_01jyewpavw2ns6gc9j48ta562t`). */
function ulid() {
	let time = '';
	for (let rest = Date.now(), i = 0; i < 10; i++, rest = Math.floor(rest / 32))
		time = CROCKFORD_BASE32[rest % 32] + time;
	let random = '';
	for (const byte of randomBytes(16)) random += CROCKFORD_BASE32[byte % 32];
	return time + random;
}

/** WhatsApp Web message keys look like `3EB0378E606CA43FEF38D2`. */
function messageKey() {
	return `3EB0${randomBytes(9).toString('hex').toUpperCase()}`;
}

// ---------------------------------------------------------------------------------------------
// Webhooks

/**
 * @typedef {object} Emission
 * @property {WebhookEnvelope} envelope
 * @property {WebhookDelivery[]} deliveries
 */

/**
 * Delivers events to the session's `config.webhooks` the way WAHA does
 * (https://waha.devlike.pro/docs/how-to/events/): one POST per subscribed webhook, the HMAC over
 * the exact body bytes. One attempt, no retries. Deliveries started by API calls run in the
 * background and are awaited by `close()`.
 * @param {WahaState} state
 */
function createWebhookEmitter(state) {
	const shutdown = new AbortController();
	/** @type {Set<Promise<Emission>>} */
	const pending = new Set();

	/**
	 * @param {SessionRecord} session
	 * @param {string} event
	 * @param {Record<string, unknown>} payload
	 * @returns {Promise<Emission>}
	 */
	const emit = (session, event, payload) => {
		/** @type {WebhookEnvelope} */
		const envelope = {
			id: `evt_${ulid()}`,
			timestamp: Date.now(),
			event,
			session: session.name,
			...(session.config.metadata && { metadata: session.config.metadata }),
			...(session.me && { me: { ...session.me } }),
			payload,
			engine: ENGINE,
			environment: ENVIRONMENT,
		};
		const targets = (session.config.webhooks ?? []).filter(
			(webhook) => webhook.events.includes(event) || webhook.events.includes('*'),
		);
		const raw = Buffer.from(JSON.stringify(envelope));
		const delivery = Promise.all(targets.map((webhook) => deliver(webhook, envelope, raw))).then(
			(deliveries) => ({
				envelope,
				deliveries,
			}),
		);
		pending.add(delivery);
		delivery.finally(() => pending.delete(delivery));
		return delivery;
	};

	/**
	 * @param {WebhookConfig} webhook
	 * @param {WebhookEnvelope} envelope
	 * @param {Buffer} raw
	 * @returns {Promise<WebhookDelivery>}
	 */
	const deliver = async (webhook, envelope, raw) => {
		/** @type {Record<string, string>} */
		const headers = {
			'content-type': 'application/json',
			'user-agent': `WAHA/${WAHA_VERSION}`,
			'x-webhook-request-id': ulid(),
			'x-webhook-timestamp': String(Date.now()),
		};
		if (webhook.hmac?.key) {
			headers[HMAC_HEADER] = webhookSignature(raw, webhook.hmac.key);
			headers[HMAC_ALGORITHM_HEADER] = 'sha512';
		}
		for (const { name, value } of webhook.customHeaders ?? []) headers[name.toLowerCase()] = value;

		const result = await postRaw(webhook.url, raw, headers, shutdown.signal);
		/** @type {WebhookDelivery} */
		const record = {
			eventId: envelope.id,
			event: envelope.event,
			session: envelope.session,
			url: webhook.url,
			...result,
			at: new Date().toISOString(),
		};
		state.deliveries.push(record);
		if (state.deliveries.length > MAX_DELIVERY_RECORDS) state.deliveries.shift();
		return record;
	};

	/**
	 * @param {SessionRecord} session
	 * @param {SessionStatus} status
	 */
	const setStatus = (session, status) => {
		session.status = status;
		session.statuses.push({ status, timestamp: Date.now() });
		session.statuses = session.statuses.slice(-STATUS_HISTORY);
		return emit(session, 'session.status', {
			name: session.name,
			status,
			statuses: session.statuses.map((entry) => ({ ...entry })),
		});
	};

	/**
	 * Starting goes through STARTING; a linked account comes back WORKING, an unlinked one waits
	 * for a QR scan.
	 * @param {SessionRecord} session
	 */
	const start = (session) => {
		setStatus(session, 'STARTING');
		return setStatus(session, session.me ? 'WORKING' : 'SCAN_QR_CODE');
	};

	return {
		emit,
		setStatus,
		start,
		async close() {
			shutdown.abort();
			await Promise.allSettled(pending);
		},
	};
}

/** @typedef {ReturnType<typeof createWebhookEmitter>} WebhookEmitter */

/**
 * `X-Webhook-Hmac`: hex HMAC-SHA512 of the exact body bytes
 * (https://waha.devlike.pro/docs/how-to/events/).
 * @param {Buffer | string} body
 * @param {string} key
 */
export function webhookSignature(body, key) {
	return createHmac('sha512', key).update(body).digest('hex');
}

// ---------------------------------------------------------------------------------------------
// API routes

/**
 * @param {WahaState} state
 * @param {WebhookEmitter} webhooks
 */
function apiRoutes(state, webhooks) {
	const isRunning = (/** @type {SessionRecord} */ session) => session.status !== 'STOPPED';
	return (
		new Router()
			.on('GET', '/api/server/version', () =>
				json({ version: WAHA_VERSION, engine: ENGINE, tier: 'CORE', browser: ENVIRONMENT.browser }),
			)
			.on('GET', '/api/sessions', (ctx) => {
				const all = ctx.query.all === 'true';
				return json(
					[...state.sessions.values()]
						.filter((session) => all || isRunning(session))
						.map(sessionInfo),
				);
			})
			.on('POST', '/api/sessions', (ctx) => {
				const body = isObject(ctx.body) ? ctx.body : {};
				const name = body.name ?? `session_${randomBytes(4).toString('hex')}`;
				const problems = [...sessionNameProblems(name), ...configProblems(body.config)];
				if (body.start !== undefined && typeof body.start !== 'boolean')
					problems.push('start must be a boolean value');
				if (problems.length > 0) throw validationError(problems);
				if (state.sessions.has(name)) {
					throw new HttpError(
						422,
						nestError(422, `Session '${name}' already exists. Use PUT to update it.`),
					);
				}
				const session = newSession(name, 'STOPPED', body.config ?? {}, null);
				state.sessions.set(name, session);
				if (body.start !== false) webhooks.start(session);
				return json(sessionDto(session), 201);
			})
			.on('GET', '/api/sessions/:session', (ctx) =>
				json(sessionInfo(findSession(state, ctx.params.session))),
			)
			.on('PUT', '/api/sessions/:session', (ctx) => {
				const session = findSession(state, ctx.params.session);
				const body = isObject(ctx.body) ? ctx.body : {};
				const problems = configProblems(body.config);
				if (problems.length > 0) throw validationError(problems);
				// PUT takes the full config: what is left out is removed
				// (https://waha.devlike.pro/docs/how-to/sessions/).
				session.config = body.config ?? {};
				if (isRunning(session)) webhooks.start(session);
				return json(sessionDto(session));
			})
			.on('DELETE', '/api/sessions/:session', (ctx) => {
				// Idempotent in WAHA: deleting a missing session is not an error.
				state.sessions.delete(ctx.params.session);
				return json({});
			})
			.on('POST', '/api/sessions/:session/start', (ctx) => {
				const session = findSession(state, ctx.params.session);
				if (!isRunning(session)) webhooks.start(session);
				return json(sessionDto(session), 201);
			})
			.on('POST', '/api/sessions/:session/stop', (ctx) => {
				const session = findSession(state, ctx.params.session);
				if (isRunning(session)) webhooks.setStatus(session, 'STOPPED');
				return json(sessionDto(session), 201);
			})
			.on('POST', '/api/sessions/:session/restart', (ctx) => {
				const session = findSession(state, ctx.params.session);
				webhooks.start(session);
				return json(sessionDto(session), 201);
			})
			.on('POST', '/api/sessions/:session/logout', (ctx) => {
				// Removes the linked account but keeps the config; a running session asks for a new QR.
				const session = findSession(state, ctx.params.session);
				session.me = null;
				if (isRunning(session)) webhooks.start(session);
				return json(sessionDto(session), 201);
			})
			.on('GET', '/api/sessions/:session/me', (ctx) =>
				json(findSession(state, ctx.params.session).me),
			)
			.on('GET', '/api/:session/auth/qr', (ctx) =>
				qrReply(findSession(state, ctx.params.session), ctx),
			)
			// Chatting
			.on('POST', '/api/sendText', (ctx) => send(state, webhooks, 'text', ctx.body))
			.on('POST', '/api/sendImage', (ctx) => send(state, webhooks, 'image', ctx.body))
			.on('POST', '/api/sendFile', (ctx) => send(state, webhooks, 'file', ctx.body))
			.on('POST', '/api/startTyping', (ctx) => presence(state, ctx.body, { status: 201 }))
			.on('POST', '/api/stopTyping', (ctx) => presence(state, ctx.body, { status: 201 }))
			.on('POST', '/api/sendSeen', (ctx) => presence(state, ctx.body, json({}, 201)))
			.on('GET', '/api/contacts/check-exists', (ctx) => json(checkExists(state, ctx.query)))
			.on('GET', '/api/:session/chats/:chatId/messages', (ctx) => json(chatMessages(state, ctx)))
	);
}

/**
 * @param {unknown} name
 * @returns {string[]}
 */
function sessionNameProblems(name) {
	return typeof name === 'string' && /^[\w-]+$/.test(name)
		? []
		: ['name must contain only letters, digits, "_" and "-"'];
}

/**
 * @param {unknown} config
 * @returns {string[]}
 */
function configProblems(config) {
	if (config === undefined || config === null) return [];
	if (!isObject(config)) return ['config must be an object'];
	const webhooks = config.webhooks;
	if (webhooks === undefined) return [];
	if (!Array.isArray(webhooks)) return ['config.webhooks must be an array'];
	return webhooks.flatMap((webhook, index) => {
		const where = `config.webhooks.${index}`;
		if (!isObject(webhook)) return [`${where} must be an object`];
		/** @type {string[]} */
		const problems = [];
		if (typeof webhook.url !== 'string' || !/^https?:\/\//.test(webhook.url))
			problems.push(`${where}.url must be a URL address`);
		if (
			!Array.isArray(webhook.events) ||
			!webhook.events.every((event) => typeof event === 'string')
		) {
			problems.push(`${where}.events must be an array of strings`);
		}
		if (webhook.hmac != null && (!isObject(webhook.hmac) || typeof webhook.hmac.key !== 'string')) {
			problems.push(`${where}.hmac.key must be a string`);
		}
		return problems;
	});
}

/**
 * `GET /api/{session}/auth/qr` (https://waha.devlike.pro/docs/how-to/sessions/): PNG bytes, the
 * same as base64 JSON, or the raw value.
 * @param {SessionRecord} session
 * @param {RequestContext} ctx
 * @returns {import('../lib/http.mjs').Reply}
 */
function qrReply(session, ctx) {
	const value = `2@sandbox-${session.name},${createHash('sha256').update(session.name).digest('base64')}`;
	if (ctx.query.format === 'raw') return json({ value });
	const png = qrLikePng(value);
	if (String(ctx.headers.accept ?? '').includes('application/json')) {
		return json({ mimetype: 'image/png', data: png.toString('base64') });
	}
	return { status: 200, body: png, headers: { 'content-type': 'image/png' } };
}

/**
 * @param {WahaState} state
 * @param {WebhookEmitter} webhooks
 * @param {'text' | 'image' | 'file'} kind
 * @param {unknown} rawBody
 */
function send(state, webhooks, kind, rawBody) {
	const body = isObject(rawBody) ? rawBody : {};
	/** @type {string[]} */
	const problems = [];
	if (typeof body.chatId !== 'string' || body.chatId === '')
		problems.push('chatId should not be empty', 'chatId must be a string');
	if (body.session !== undefined && typeof body.session !== 'string')
		problems.push('session must be a string');
	if (kind === 'text' && (typeof body.text !== 'string' || body.text === ''))
		problems.push('text should not be empty', 'text must be a string');
	if (kind !== 'text') problems.push(...fileProblems(body.file));
	if (body.caption !== undefined && typeof body.caption !== 'string')
		problems.push('caption must be a string');
	if (problems.length > 0) throw validationError(problems);

	const request = /** @type {MessageTextRequest & Partial<MessageFileRequest>} */ (body);
	const session = workingSession(state, request.session ?? DEFAULT_SESSION);
	const chatId = toChatId(request.chatId);
	const text = kind === 'text' ? request.text : (request.caption ?? '');
	const me = /** @type {NonNullable<SessionRecord['me']>} */ (session.me);
	const key = messageKey();
	const id = `true_${chatId}_${key}`;
	const message = {
		id,
		timestamp: Math.floor(Date.now() / 1000),
		from: me.id,
		fromMe: true,
		source: 'api',
		to: chatId,
		body: text,
		hasMedia: kind !== 'text',
		media: null,
		ack: 0,
		ackName: 'PENDING',
		replyTo: request.reply_to ?? null,
		vCards: [],
		_data: {
			id: { fromMe: true, remote: chatId, id: key, _serialized: id },
			type: { text: 'chat', image: 'image', file: 'document' }[kind],
			ack: 0,
		},
	};

	const file = request.file;
	state.messages.push({
		seq: state.nextMessageSeq++,
		session: session.name,
		chatId,
		kind,
		message,
		...(kind === 'text' ? { text } : { caption: request.caption }),
		...(file && {
			file: {
				mimetype: file.mimetype,
				filename: file.filename,
				url: file.url,
				dataBytes: file.data === undefined ? undefined : Buffer.from(file.data, 'base64').length,
			},
		}),
		replyTo: request.reply_to ?? null,
		at: new Date().toISOString(),
	});
	webhooks.emit(session, 'message.any', structuredClone(message));
	return json(message, 201);
}

/**
 * @param {unknown} file
 * @returns {string[]}
 */
function fileProblems(file) {
	if (!isObject(file)) return ['file must be an object'];
	/** @type {string[]} */
	const problems = [];
	if (typeof file.mimetype !== 'string' || file.mimetype === '')
		problems.push('file.mimetype should not be empty');
	const hasUrl = typeof file.url === 'string' && file.url !== '';
	const hasData = typeof file.data === 'string' && file.data !== '';
	if (hasUrl === hasData) problems.push('file must have either url or data');
	return problems;
}

/**
 * Typing indicators and read receipts: validated like a send, nothing recorded.
 * @param {WahaState} state
 * @param {unknown} rawBody
 * @param {import('../lib/http.mjs').Reply} reply
 */
function presence(state, rawBody, reply) {
	const body = isObject(rawBody) ? rawBody : {};
	if (typeof body.chatId !== 'string' || body.chatId === '')
		throw validationError(['chatId should not be empty']);
	workingSession(state, typeof body.session === 'string' ? body.session : DEFAULT_SESSION);
	return reply;
}

/**
 * @param {WahaState} state
 * @param {Record<string, string>} query
 * @returns {NumberExistResult}
 */
function checkExists(state, query) {
	const phone = query.phone ?? '';
	if (phone === '') throw validationError(['phone should not be empty']);
	workingSession(state, query.session ?? DEFAULT_SESSION);
	const digits = phone.replace(/@.*$/, '').replace(/\D/g, '');
	const exists =
		digits !== '' &&
		(state.numberOverrides.get(digits) ?? !digits.endsWith(NOT_ON_WHATSAPP_SUFFIX));
	return exists ? { numberExists: true, chatId: `${digits}@c.us` } : { numberExists: false };
}

/**
 * `GET /api/{session}/chats/{chatId}/messages`: what this sandbox sent to or received from the
 * chat, newest first.
 * @param {WahaState} state
 * @param {RequestContext} ctx
 */
function chatMessages(state, ctx) {
	const session = workingSession(state, ctx.params.session);
	const chatId = toChatId(ctx.params.chatId);
	const { limit = String(DEFAULT_MESSAGES_LIMIT), offset = '0', fromMe } = ctx.query;
	/** @type {string[]} */
	const problems = [];
	if (!/^\d+$/.test(limit))
		problems.push('limit must be a number conforming to the specified constraints');
	if (!/^\d+$/.test(offset))
		problems.push('offset must be a number conforming to the specified constraints');
	if (fromMe !== undefined && fromMe !== 'true' && fromMe !== 'false')
		problems.push('fromMe must be a boolean value');
	if (problems.length > 0) throw validationError(problems);

	return state.messages
		.filter(
			(stored) =>
				stored.session === session.name &&
				stored.chatId === chatId &&
				(fromMe === undefined || String(stored.message.fromMe) === fromMe),
		)
		.reverse()
		.slice(Number(offset), Number(offset) + Number(limit))
		.map((stored) => structuredClone(stored.message));
}

// ---------------------------------------------------------------------------------------------
// Control routes

/**
 * @param {WahaState} state
 * @param {WebhookEmitter} webhooks
 */
function controlRoutes(state, webhooks) {
	return new Router()
		.on('POST', '/inbound', async (ctx) => json(await inbound(state, webhooks, ctx.body)))
		.on('GET', '/messages', (ctx) =>
			json(
				state.messages
					.filter(
						(stored) =>
							stored.kind !== 'inbound' &&
							(ctx.query.session === undefined || stored.session === ctx.query.session) &&
							(ctx.query.chatId === undefined || stored.chatId === toChatId(ctx.query.chatId)),
					)
					.map(sentMessageView),
			),
		)
		.on('POST', '/sessions/:name/status', async (ctx) => {
			const session = state.sessions.get(ctx.params.name);
			if (session === undefined) throw controlError(`No session ${ctx.params.name}`, 404);
			const body = isObject(ctx.body) ? ctx.body : {};
			const status = SESSION_STATUSES.find((candidate) => candidate === body.status);
			if (status === undefined)
				throw controlError(`status must be one of: ${SESSION_STATUSES.join(', ')}`);
			if (body.me !== undefined && !(isObject(body.me) && typeof body.me.id === 'string')) {
				throw controlError('me must be {id, pushName?}');
			}
			// Reaching WORKING means a phone linked the account, as a QR scan would.
			if (body.me !== undefined) session.me = { pushName: DEFAULT_ME.pushName, ...body.me };
			if (status === 'WORKING' && session.me === null)
				session.me = { id: linkedNumberFor(session.name), pushName: DEFAULT_ME.pushName };
			const { deliveries } = await webhooks.setStatus(session, status);
			return json({ session: sessionInfo(session), deliveries });
		})
		.on('GET', '/numbers', () =>
			json({
				notOnWhatsAppSuffix: NOT_ON_WHATSAPP_SUFFIX,
				overrides: Object.fromEntries(state.numberOverrides),
			}),
		)
		.on('POST', '/numbers', (ctx) => {
			const body = isObject(ctx.body) ? ctx.body : {};
			const { phones, exists } = body;
			if (
				!Array.isArray(phones) ||
				!phones.every((phone) => typeof phone === 'string') ||
				typeof exists !== 'boolean'
			) {
				throw controlError('Body must be {"phones": ["77011234567", ...], "exists": true|false}');
			}
			for (const phone of phones) state.numberOverrides.set(phone.replace(/\D/g, ''), exists);
			return json({
				notOnWhatsAppSuffix: NOT_ON_WHATSAPP_SUFFIX,
				overrides: Object.fromEntries(state.numberOverrides),
			});
		})
		.on('DELETE', '/numbers', () => {
			state.numberOverrides.clear();
			return json({ notOnWhatsAppSuffix: NOT_ON_WHATSAPP_SUFFIX, overrides: {} });
		})
		.on('GET', '/webhook-deliveries', () => json(state.deliveries));
}

/**
 * A stable fake number for a session linked through the control API.
 * @param {string} sessionName
 */
function linkedNumberFor(sessionName) {
	const digits =
		BigInt(`0x${createHash('sha256').update(sessionName).digest('hex').slice(0, 12)}`) %
		10_000_000n;
	return `7777${String(digits).padStart(7, '0')}@c.us`;
}

/** @param {StoredMessage} stored */
function sentMessageView(stored) {
	return {
		session: stored.session,
		chatId: stored.chatId,
		kind: stored.kind,
		messageId: stored.message.id,
		...(stored.text !== undefined && { text: stored.text }),
		...(stored.caption !== undefined && { caption: stored.caption }),
		...(stored.file && { file: stored.file }),
		replyTo: stored.replyTo ?? null,
		time: stored.at,
	};
}

/**
 * `POST /_control/waha/inbound`: a buyer writes to the shop (`{session?, from, body}`, emitted as
 * `message` and `message.any` like WAHA does), or any event as is (`{session?, event, payload}`).
 * @param {WahaState} state
 * @param {WebhookEmitter} webhooks
 * @param {unknown} rawBody
 */
async function inbound(state, webhooks, rawBody) {
	const body = isObject(rawBody) ? rawBody : {};
	const sessionName = typeof body.session === 'string' ? body.session : DEFAULT_SESSION;
	const session = state.sessions.get(sessionName);
	if (session === undefined) throw controlError(`No session ${sessionName}`, 404);

	/** @type {Emission[]} */
	let emissions;
	if (body.event !== undefined) {
		if (typeof body.event !== 'string' || !isObject(body.payload))
			throw controlError('Body must be {"event": "...", "payload": {...}}');
		emissions = [await webhooks.emit(session, body.event, body.payload)];
	} else {
		if (typeof body.from !== 'string' || typeof body.body !== 'string') {
			throw controlError(
				'Body must be {"from": "77011234567", "body": "text"} or {"event", "payload"}',
			);
		}
		if (session.status !== 'WORKING' || session.me === null) {
			throw controlError(
				`Session ${sessionName} is ${session.status}; only a WORKING session receives messages`,
				409,
			);
		}
		const from = toChatId(body.from);
		const key = messageKey();
		const message = {
			id: `false_${from}_${key}`,
			timestamp: Math.floor(Date.now() / 1000),
			from,
			fromMe: false,
			source: 'app',
			to: session.me.id,
			body: body.body,
			hasMedia: false,
			media: null,
			ack: 2,
			ackName: 'DEVICE',
			replyTo: null,
			_data: {},
		};
		state.messages.push({
			seq: state.nextMessageSeq++,
			session: sessionName,
			chatId: from,
			kind: 'inbound',
			message,
			text: body.body,
			at: new Date().toISOString(),
		});
		emissions = await Promise.all([
			webhooks.emit(session, 'message', structuredClone(message)),
			webhooks.emit(session, 'message.any', structuredClone(message)),
		]);
	}
	return {
		events: emissions.map((emission) => emission.envelope),
		deliveries: emissions.flatMap((emission) => emission.deliveries),
	};
}

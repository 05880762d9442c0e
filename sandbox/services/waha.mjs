// @ts-check
/**
 * WAHA emulator (https://waha.devlike.pro/docs/): sessions, sending, check-exists, chat history,
 * and webhooks signed and retried like the real server, so a trigger's HMAC check is exercised
 * for real. A profile picks the engine, tier and version, each with the behaviours the sources
 * describe (docs/services/waha.md); the default is WAHA Core 2026.7.1 on WEBJS. With an OpenAPI
 * document (`openApiDocument`), every request is checked against it as WAHA's strict mode does.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

import { HttpError, Router, controlError, isObject, json } from '../lib/http.mjs';
import { createOpenApiCheck } from '../lib/openapi.mjs';
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
 * @property {{ policy?: 'constant' | 'linear' | 'exponential', delaySeconds?: number,
 *   attempts?: number } | null} [retries] OAS `RetriesConfiguration`.
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
 * @property {string} [id] Lower-case ULID with an `evt_` prefix; since 2025.3.1.
 * @property {number} [timestamp] Milliseconds; since 2025.3.1.
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
const ENGINES = /** @type {const} */ (['WEBJS', 'NOWEB', 'GOWS']);
const TIERS = /** @type {const} */ (['CORE', 'PLUS']);

/**
 * Which WAHA the sandbox plays. `nowebStore` is NOWEB's `config.noweb.store.enabled`, off by
 * default in WAHA ("These endpoints doesn't work by default in NOWEB",
 * https://waha.devlike.pro/docs/engines/noweb/).
 * @typedef {{ engine: typeof ENGINES[number], nowebStore: boolean, tier: typeof TIERS[number],
 *   version: string }} WahaProfile
 */

/** @type {WahaProfile} */
const DEFAULT_PROFILE = { engine: 'WEBJS', nowebStore: false, tier: 'CORE', version: '2026.7.1' };

/**
 * @param {string} version `YYYY.M.P`
 * @param {string} minimum
 */
function versionAtLeast(version, minimum) {
	const [a, b] = [version, minimum].map((text) => text.split('.').map(Number));
	for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
	return true;
}

/**
 * What a profile can do; each line names its public source (docs/services/waha.md, "Versions,
 * tiers and engines", has the matrix).
 * @param {WahaProfile} profile
 */
function featuresOf(profile) {
	const since = (/** @type {string} */ minimum) => versionAtLeast(profile.version, minimum);
	const plus = profile.tier === 'PLUS';
	return {
		// Core threw `AvailableInPlusVersion` (422) for media until Plus merged into Core in 2026.6.1
		// (devlikeapro/waha `src/core/exceptions.ts`; https://waha.devlike.pro/docs/overview/changelog/).
		media: plus || since('2026.6.1'),
		// Core allowed only `default` (`OnlyDefaultSessionIsAllowed`, devlikeapro/waha
		// `src/core/manager.core.ts`) until "Unlimited Sessions" reached Core in 2026.6.1
		// (https://waha.devlike.pro/blog/waha-2026-6/).
		anySession: plus || since('2026.6.1'),
		// HMAC, retries and custom headers came to Core in 2024.11.5 (changelog: "All Webhooks
		// features in WAHA Core version now"); before, Core posted the bare body
		// (devlikeapro/waha `src/core/webhooks.core.ts`, 2024). The `X-Webhook-Request-Id` and
		// `X-Webhook-Timestamp` headers belong to that same sender
		// (https://waha.devlike.pro/docs/how-to/events/), so older Core sends neither.
		webhookFeatures: plus || since('2024.11.5'),
		// The envelope's `id` and `timestamp`: changelog 2025.3.1, "Add event.timestamp" (#755).
		eventIdAndTimestamp: since('2025.3.1'),
		// `message.edited`: changelog 2025.6.3; `WebhookConfig.events` is validated against the
		// server's own list (devlikeapro/waha `src/structures/webhooks.config.dto.ts`).
		messageEdited: since('2025.6.3'),
		// `sortBy`, `sortOrder` and `filter.*` on the messages list: changelog 2025.10.5.
		historyQuery: since('2025.10.5'),
	};
}

/** @param {WahaProfile} profile */
function environmentOf(profile) {
	return {
		version: profile.version,
		engine: profile.engine,
		tier: profile.tier,
		...(profile.engine === 'WEBJS' && { browser: '/usr/bin/chromium' }),
	};
}
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
 * @property {string} [eventId] Absent before 2025.3.1, whose envelope has no `id`.
 * @property {string} event
 * @property {string} session
 * @property {string} url
 * @property {number | null} status
 * @property {string} [error]
 * @property {number} attempts
 * @property {string} at
 */

/**
 * @typedef {object} WahaState
 * @property {Map<string, SessionRecord>} sessions
 * @property {StoredMessage[]} messages Sent and received, oldest first.
 * @property {Map<string, boolean>} numberOverrides Digits → whether the number is on WhatsApp.
 * @property {WebhookDelivery[]} deliveries
 * @property {number} nextMessageSeq
 * @property {WahaProfile} profile
 */

/** @type {import('../lib/service.mjs').ServiceModule} */
export const wahaService = {
	name: 'waha',
	create({ secret = WAHA_DEFAULT_API_KEY, seed, openApiDocument }) {
		/** @type {WahaState} */
		const state = {
			sessions: new Map(),
			messages: [],
			numberOverrides: new Map(),
			deliveries: [],
			nextMessageSeq: 1,
			profile: { ...DEFAULT_PROFILE },
		};
		const reset = (/** @type {boolean} */ withSeed) => {
			state.sessions = new Map();
			state.messages = [];
			state.numberOverrides = new Map();
			state.deliveries = [];
			state.nextMessageSeq = 1;
			state.profile = { ...DEFAULT_PROFILE };
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
			api: apiRoutes(
				state,
				webhooks,
				openApiDocument === undefined
					? undefined
					: createOpenApiCheck(JSON.parse(readFileSync(openApiDocument, 'utf8'))),
			),
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
function sessionInfo(session, /** @type {WahaProfile} */ profile) {
	return {
		name: session.name,
		status: session.status,
		config: structuredClone(session.config),
		me: session.me && { ...session.me },
		engine: { engine: profile.engine },
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
	coreSessionName(state, name);
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
 * Core before 2026.6.1 refuses any session but `default` (`OnlyDefaultSessionIsAllowed`,
 * devlikeapro/waha `src/core/manager.core.ts`), before looking it up.
 * @param {WahaState} state
 * @param {unknown} name
 */
function coreSessionName(state, name) {
	if (name !== DEFAULT_SESSION && !featuresOf(state.profile).anySession) {
		throw new HttpError(
			422,
			nestError(
				422,
				"WAHA Core support only 'default' session. If you want to run more then one WhatsApp account - please get WAHA PLUS version. Check this out: https://waha.devlike.pro/docs/how-to/plus-version/",
			),
		);
	}
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
 * the exact body bytes, retried per the webhook's `retries` on versions that retry. Deliveries
 * started by API calls run in the background and are awaited by `close()`.
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
			...(featuresOf(state.profile).eventIdAndTimestamp && {
				id: `evt_${ulid()}`,
				timestamp: Date.now(),
			}),
			event,
			session: session.name,
			...(session.config.metadata && { metadata: session.config.metadata }),
			...(session.me && { me: { ...session.me } }),
			payload,
			engine: state.profile.engine,
			environment: environmentOf(state.profile),
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
		const { webhookFeatures } = featuresOf(state.profile);
		/** @type {Record<string, string>} */
		const headers = {
			'content-type': 'application/json',
			'user-agent': `WAHA/${state.profile.version}`,
		};
		if (webhookFeatures && webhook.hmac?.key) {
			headers[HMAC_HEADER] = webhookSignature(raw, webhook.hmac.key);
			headers[HMAC_ALGORITHM_HEADER] = 'sha512';
		}
		if (webhookFeatures) {
			for (const { name, value } of webhook.customHeaders ?? [])
				headers[name.toLowerCase()] = value;
		}
		const attempts = webhookFeatures ? Math.max(1, webhook.retries?.attempts ?? 1) : 1;
		/** @type {Awaited<ReturnType<typeof postRaw>>} */
		let result = { status: null };
		let attempt = 0;
		while (attempt < attempts && !shutdown.signal.aborted) {
			if (attempt > 0) {
				await sleep(retryDelayMs(webhook.retries ?? {}, attempt), undefined, {
					signal: shutdown.signal,
				}).catch(() => undefined);
				if (shutdown.signal.aborted) break;
			}
			attempt++;
			// Set per attempt: "when the webhook was sent" (https://waha.devlike.pro/docs/how-to/events/).
			const attemptHeaders = webhookFeatures
				? { ...headers, 'x-webhook-request-id': ulid(), 'x-webhook-timestamp': String(Date.now()) }
				: headers;
			result = await postRaw(webhook.url, raw, attemptHeaders, shutdown.signal);
			if (result.status !== null && result.status >= 200 && result.status < 300) break;
		}
		/** @type {WebhookDelivery} */
		const record = {
			eventId: envelope.id,
			event: envelope.event,
			session: envelope.session,
			url: webhook.url,
			...result,
			attempts: attempt,
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
 * The wait before retry number `retry` (1 for the first), per WAHA's policies: constant 2, 2, 2…;
 * linear 2, 4, 6…; exponential 2, 4.1, 8.4, 16.3… with 20 % jitter
 * (https://waha.devlike.pro/docs/how-to/events/, "Retries"). What counts as a failure is not
 * documented; the sandbox retries on no answer or a non-2xx one.
 * @param {NonNullable<WebhookConfig['retries']>} retries
 * @param {number} retry
 */
function retryDelayMs(retries, retry) {
	const base = (retries.delaySeconds ?? 2) * 1000;
	if (retries.policy === 'linear') return base * retry;
	if (retries.policy === 'exponential')
		return base * 2 ** (retry - 1) * (0.8 + Math.random() * 0.4);
	return base;
}

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
 * A router whose handlers run only for requests the OpenAPI document allows: WAHA under
 * `WAHA_HTTP_STRICT_MODE` refuses unknown and missing fields and wrong types with 400 before any
 * handler (devlikeapro/waha `src/nestjs/pipes/WAHAValidationPipe.ts`).
 */
class StrictRouter extends Router {
	/** @param {ReturnType<typeof createOpenApiCheck>} requestProblems */
	constructor(requestProblems) {
		super();
		this.requestProblems = requestProblems;
	}

	/**
	 * @param {string} method
	 * @param {string} pattern
	 * @param {import('../lib/http.mjs').Handler} handler
	 */
	on(method, pattern, handler) {
		return super.on(method, pattern, (ctx) => {
			const problems = this.requestProblems(ctx.method, ctx.path, ctx.query, ctx.body);
			if (problems.length > 0) throw validationError(problems);
			return handler(ctx);
		});
	}
}

/**
 * @param {WahaState} state
 * @param {WebhookEmitter} webhooks
 * @param {ReturnType<typeof createOpenApiCheck>} [requestProblems] Strict mode, when given.
 */
function apiRoutes(state, webhooks, requestProblems) {
	const isRunning = (/** @type {SessionRecord} */ session) => session.status !== 'STOPPED';
	return (
		(requestProblems ? new StrictRouter(requestProblems) : new Router())
			.on('GET', '/api/server/version', () => json(environmentOf(state.profile)))
			.on('GET', '/api/sessions', (ctx) => {
				const all = ctx.query.all === 'true';
				return json(
					[...state.sessions.values()]
						.filter((session) => all || isRunning(session))
						.map((session) => sessionInfo(session, state.profile)),
				);
			})
			.on('POST', '/api/sessions', (ctx) => {
				const body = isObject(ctx.body) ? ctx.body : {};
				const name = body.name ?? `session_${randomBytes(4).toString('hex')}`;
				coreSessionName(state, name);
				const problems = [
					...sessionNameProblems(name),
					...configProblems(body.config, state.profile),
				];
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
				json(sessionInfo(findSession(state, ctx.params.session), state.profile)),
			)
			.on('PUT', '/api/sessions/:session', (ctx) => {
				const session = findSession(state, ctx.params.session);
				const body = isObject(ctx.body) ? ctx.body : {};
				const problems = configProblems(body.config, state.profile);
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
 * @param {WahaProfile} profile
 * @returns {string[]}
 */
function configProblems(config, profile) {
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
		} else if (webhook.events.includes('message.edited') && !featuresOf(profile).messageEdited) {
			// class-validator's `@IsEnum(WAHAEvents, { each: true })` on a server without the event.
			problems.push(`each value in ${where}.events must be a valid enum value`);
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
	// The engine's sendImage/sendFile throw `AvailableInPlusVersion` on Core before 2026.6.1
	// (devlikeapro/waha `src/core/exceptions.ts`, `src/core/engines/webjs/session.webjs.core.ts`).
	if (kind !== 'text' && !featuresOf(state.profile).media) {
		throw new HttpError(
			422,
			nestError(
				422,
				'The feature is available only in Plus version. Read more: https://waha.devlike.pro/docs/how-to/plus-version/',
			),
		);
	}
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
 * chat, as the profile's engine and version list it.
 * @param {WahaState} state
 * @param {RequestContext} ctx
 */
function chatMessages(state, ctx) {
	const session = workingSession(state, ctx.params.session);
	const chatId = toChatId(ctx.params.chatId);
	const { limit = String(DEFAULT_MESSAGES_LIMIT), offset = '0' } = ctx.query;
	const fromMe = ctx.query['filter.fromMe'];
	/** @type {string[]} */
	const problems = [];
	if (!/^\d+$/.test(limit))
		problems.push('limit must be a number conforming to the specified constraints');
	if (!/^\d+$/.test(offset))
		problems.push('offset must be a number conforming to the specified constraints');
	if (fromMe !== undefined && fromMe !== 'true' && fromMe !== 'false')
		problems.push('filter.fromMe must be a boolean value');
	if (problems.length > 0) throw validationError(problems);

	const { engine, nowebStore } = state.profile;
	if (engine === 'NOWEB' && !nowebStore) {
		// NOWEB keeps no history unless its store is on, and it is off by default
		// (https://waha.devlike.pro/docs/engines/noweb/; devlikeapro/waha
		// `src/core/engines/noweb/store/NowebInMemoryStore.ts`).
		throw new HttpError(
			400,
			nestError(
				400,
				'Enable NOWEB store "config.noweb.store.enabled=True" and "config.noweb.store.full_sync=True" when starting a new session. Read more: https://waha.devlike.pro/docs/engines/noweb#store',
			),
		);
	}
	const chat = state.messages.filter(
		(stored) => stored.session === session.name && stored.chatId === chatId,
	);
	if (engine === 'WEBJS' && chat.length === 0) {
		// WhatsApp Web has no chat object for a number never written to, and WAHA's WEBJS engine
		// fails on it (https://github.com/devlikeapro/waha/issues/163, #2005, #2020); WAHA's
		// catch-all filter answers 500 with the exception and the request.
		throw new HttpError(500, {
			statusCode: 500,
			exception: {
				message:
					"Evaluation failed: TypeError: Cannot read properties of undefined (reading 'waitForChatLoading')",
				name: 'Error',
			},
			request: {
				path: `/api/${session.name}/chats/${chatId}/messages`,
				method: 'GET',
				query: ctx.query,
			},
		});
	}

	const { historyQuery } = featuresOf(state.profile);
	const listed = historyQuery
		? chat.filter((stored) => fromMe === undefined || String(stored.message.fromMe) === fromMe)
		: chat;
	const page = (/** @type {StoredMessage[]} */ list) =>
		list.slice(Number(offset), Number(offset) + Number(limit));
	// Since 2025.10.5 `sortOrder` decides; before, WEBJS gave the last N in time order and NOWEB's
	// store and GOWS the newest first (docs/services/waha.md, "Chat history").
	let result;
	if (historyQuery && ctx.query.sortOrder === 'asc') result = page(listed);
	else {
		result = page([...listed].reverse());
		if (!historyQuery && engine === 'WEBJS') result.reverse();
	}
	return result.map((stored) => structuredClone(stored.message));
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
			return json({ session: sessionInfo(session, state.profile), deliveries });
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
		.on('GET', '/webhook-deliveries', () => json(state.deliveries))
		.on('GET', '/profile', () => json(state.profile))
		.on('POST', '/profile', (ctx) => {
			const body = isObject(ctx.body) ? ctx.body : {};
			const {
				engine = state.profile.engine,
				nowebStore = state.profile.nowebStore,
				tier = state.profile.tier,
				version = state.profile.version,
			} = body;
			const known = ['engine', 'nowebStore', 'tier', 'version'];
			if (
				Object.keys(body).some((key) => !known.includes(key)) ||
				!ENGINES.includes(engine) ||
				typeof nowebStore !== 'boolean' ||
				!TIERS.includes(tier) ||
				typeof version !== 'string' ||
				!/^\d{4}\.\d{1,2}\.\d{1,2}$/.test(version)
			) {
				throw controlError(
					`Body must be {engine?: ${ENGINES.join('|')}, nowebStore?: boolean, tier?: ${TIERS.join('|')}, version?: "YYYY.M.P"}`,
				);
			}
			state.profile = { engine, nowebStore, tier, version };
			return json(state.profile);
		});
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

import type { IDataObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import {
	apiRequest,
	type ApiContext,
	type ApiRequest,
	type ApiResponse,
	type ServiceProfile,
} from '../../shared/http';
import { maskPhonesInText } from '../../shared/phone';
import type {
	WahaChatMessage,
	WahaCheckExistsResult,
	WahaSendFileBody,
	WahaSendTextBody,
	WahaSentMessage,
	WahaSessionConfig,
	WahaSessionInfo,
} from './types';

export const WAHA_CREDENTIAL = 'wahaApi';
export const DEFAULT_SESSION = 'default';
/** WAHA itself waits up to 5 s for a session to become WORKING; a send with a media URL can take longer. */
const TIMEOUT_MS = 60_000;

const STATUS_HINTS: Record<string, string> = {
	STOPPED: 'Start the session (WAHA node → Session → Start), then run again.',
	STARTING: 'The session is still starting. Run again in a few seconds.',
	SCAN_QR_CODE:
		'Link the shop’s WhatsApp: get the QR code (WAHA node → Session → Get QR Code, or the WAHA dashboard) and scan it in WhatsApp → Linked devices.',
	FAILED:
		'Restart the session (Session → Stop, then Start). If it fails again, log it out in WAHA and scan a new QR code.',
};

/** An error answer to a binary request (the QR code) arrives as bytes. */
function jsonBody(body: unknown): unknown {
	if (!Buffer.isBuffer(body)) return body;
	try {
		return JSON.parse(body.toString('utf8')) as unknown;
	} catch {
		return undefined;
	}
}

/** The part of a WAHA error body worth showing: NestJS `message`, WAHA's `error`, or a 500's `exception.message`. */
function errorText(body: unknown): string | undefined {
	if (typeof body !== 'object' || body === null) return undefined;
	const record = body as {
		message?: unknown;
		error?: unknown;
		exception?: { message?: unknown };
	};
	const candidates = [record.message, record.exception?.message, record.error];
	for (const candidate of candidates) {
		const text = Array.isArray(candidate) ? candidate.join('; ') : candidate;
		if (typeof text === 'string' && text.trim()) {
			return maskPhonesInText(text.trim()).slice(0, 300);
		}
	}
	return undefined;
}

/** The 422 body WAHA sends when a session is not in the status an endpoint needs (docs/services/waha.md, "Errors"). */
function sessionStatusFailure(body: unknown): { message: string; description: string } | undefined {
	const record = (typeof body === 'object' && body !== null ? body : {}) as {
		session?: unknown;
		status?: unknown;
		expected?: unknown;
	};
	if (typeof record.status !== 'string') return undefined;
	const session = typeof record.session === 'string' ? record.session : 'the session';
	const expected = Array.isArray(record.expected) ? record.expected.join(' or ') : 'WORKING';
	return {
		message: `WAHA session "${session}" is ${record.status}, not ${expected}`,
		description:
			STATUS_HINTS[record.status] ??
			`Bring the session to ${expected} in WAHA (start it, or scan the QR code), then run again.`,
	};
}

const ENGINE_CANNOT = 'The session’s WAHA engine cannot do this:';

/**
 * Answers that mean the same on every WAHA version, by the wording WAHA uses for them
 * (docs/services/waha.md, "Errors"). Each maps to what the merchant can do about it.
 */
function describeWahaText(text: string): { message: string; description: string } | undefined {
	if (/available only in Plus version/i.test(text)) {
		return {
			message: 'This needs WAHA Plus, or WAHA 2026.6.1 or later',
			description:
				'WAHA Core before 2026.6.1 keeps this feature (e.g. Send Image, Send File) for WAHA Plus. Update WAHA: since 2026.6.1 Plus is part of Core.',
		};
	}
	if (/support only 'default' session/i.test(text)) {
		return {
			message: 'WAHA Core before 2026.6 has only the session "default"',
			description:
				'Set the Session parameter to default, or update WAHA to 2026.6 or later (or use WAHA Plus) to run more sessions.',
		};
	}
	if (/not implemented by/i.test(text)) {
		return {
			message: `${ENGINE_CANNOT} ${text}`,
			description:
				'Use another engine for the session (WEBJS, NOWEB or GOWS), as WAHA’s message says.',
		};
	}
	return undefined;
}

export const wahaProfile: ServiceProfile = {
	service: 'WAHA',
	credentialType: WAHA_CREDENTIAL,
	timeoutMs: TIMEOUT_MS,
	retries: 2,
	backoffMs: 1000,
	headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
	describeFailure(statusCode, rawBody) {
		const body = jsonBody(rawBody);
		const text = errorText(body);
		const known = text === undefined ? undefined : describeWahaText(text);
		if (known) return known;
		if (statusCode === 401) {
			return {
				message: 'WAHA rejected the API key',
				description:
					'Put the value of WAHA_API_KEY (the plain key, not its sha512 hash) into the API Key of the WAHA API credential.',
			};
		}
		if (statusCode === 403) {
			// WAHA 2026 keys can be limited to a session; such a key is valid but not allowed here.
			return {
				message: 'The WAHA API key has no permission for this session or action',
				description:
					'Use a key WAHA allows for this session (WAHA dashboard → Keys), or the admin WAHA_API_KEY.',
			};
		}
		if (statusCode === 422) {
			return (
				sessionStatusFailure(body) ?? {
					message: text ? `WAHA refused the request: ${text}` : 'WAHA refused the request (422)',
					description:
						'The session’s engine may not support this action, or the session is not ready.',
				}
			);
		}
		if (statusCode === 404) {
			if (text === undefined || !/session/i.test(text)) {
				return { message: 'WAHA answered 404', description: text };
			}
			const name = /name '([^']*)'/.exec(text)?.[1];
			if (/start it first/i.test(text)) {
				// Older WAHA answers a STOPPED session this way, not only a missing one.
				return {
					message: `WAHA session "${name ?? DEFAULT_SESSION}" is not running`,
					description: `${STATUS_HINTS.STOPPED} A session that does not exist yet must be created in WAHA first.`,
				};
			}
			return {
				message: name ? `WAHA has no session "${name}"` : 'WAHA has no such session',
				description:
					'Check the Session parameter (names are case-sensitive), or create the session in WAHA first. WAHA Core before 2026.6 has only the session "default".',
			};
		}
		if (statusCode >= 500) {
			return {
				message: `WAHA answered ${statusCode}`,
				description: `${text ?? 'WAHA failed internally'}. Check the WAHA logs and the session’s state.`,
			};
		}
		return { message: text ? `WAHA: ${text}` : `WAHA answered ${statusCode}` };
	},
};

interface WahaCallOptions {
	itemIndex?: number;
}

async function wahaCall<T>(
	context: ApiContext,
	request: ApiRequest,
	options: WahaCallOptions = {},
): Promise<ApiResponse<T>> {
	const credentials = await context.getCredentials(WAHA_CREDENTIAL, options.itemIndex);
	// People paste the Swagger address; the paths below already start with /api. The credential
	// test strips it the same way.
	const baseUrl = String(credentials.baseUrl ?? '')
		.trim()
		.replace(/\/+$/, '')
		.replace(/\/api$/, '');
	return await apiRequest<T>(context, wahaProfile, baseUrl, {
		...request,
		itemIndex: options.itemIndex,
	});
}

async function wahaRequest<T>(
	context: ApiContext,
	request: ApiRequest,
	options: WahaCallOptions = {},
): Promise<T> {
	return (await wahaCall<T>(context, request, options)).body;
}

/** `/api/sessions/{session}` and friends; also escapes the `@` of a chat id as WAHA asks. */
const segment = (value: string) => encodeURIComponent(value);

export function isHttpStatus(error: unknown, statusCode: number): boolean {
	return error instanceof NodeApiError && error.httpCode === String(statusCode);
}

// Sessions ---------------------------------------------------------------------------------------

export async function listSessions(context: ApiContext): Promise<WahaSessionInfo[]> {
	const sessions = await wahaRequest<WahaSessionInfo[] | ''>(context, {
		method: 'GET',
		path: '/api/sessions',
		qs: { all: true },
	});
	return Array.isArray(sessions) ? sessions : [];
}

export async function getSession(
	context: ApiContext,
	session: string,
	options?: WahaCallOptions,
): Promise<WahaSessionInfo> {
	return await wahaRequest<WahaSessionInfo>(
		context,
		{ method: 'GET', path: `/api/sessions/${segment(session)}` },
		options,
	);
}

/**
 * Start and stop are idempotent in WAHA, so they may be retried. Their answer is a SessionDTO
 * without `me` and `engine` (docs/services/waha.md, "Sessions"); callers read the session after.
 */
export async function changeSessionState(
	context: ApiContext,
	session: string,
	action: 'start' | 'stop',
	options?: WahaCallOptions,
): Promise<void> {
	await wahaRequest<unknown>(
		context,
		{ method: 'POST', path: `/api/sessions/${segment(session)}/${action}`, idempotent: true },
		options,
	);
}

/**
 * WAHA replaces the whole config on update (and restarts a running session). The body is
 * SessionUpdateRequest `{config, apps}`: a `name` is refused under WAHA_HTTP_STRICT_MODE, and the
 * session's apps go back as the server gave them (docs/services/waha.md, "Sessions").
 */
export async function updateSessionConfig(
	context: ApiContext,
	session: string,
	config: WahaSessionConfig,
	apps?: WahaSessionInfo['apps'],
): Promise<void> {
	await wahaRequest<unknown>(context, {
		method: 'PUT',
		path: `/api/sessions/${segment(session)}`,
		body: { config, ...(apps ? { apps } : {}) } as IDataObject,
		idempotent: true,
	});
}

interface QrImage {
	data: Buffer;
	mimeType: string;
}

/** The QR code as PNG bytes. Servers that answer JSON (`{ mimetype, data }`) are decoded too. */
export async function getQrImage(
	context: ApiContext,
	session: string,
	options?: WahaCallOptions,
): Promise<QrImage> {
	const response = await wahaCall<Buffer | ArrayBuffer>(
		context,
		{
			method: 'GET',
			path: `/api/${segment(session)}/auth/qr`,
			qs: { format: 'image' },
			headers: { Accept: 'image/png' },
			encoding: 'arraybuffer',
		},
		options,
	);
	const bytes = Buffer.isBuffer(response.body)
		? response.body
		: Buffer.from(response.body as ArrayBuffer);
	const contentType = String(response.headers['content-type'] ?? 'image/png');
	if (contentType.includes('json')) {
		const parsed = JSON.parse(bytes.toString('utf8')) as { mimetype?: string; data?: string };
		return {
			data: Buffer.from(parsed.data ?? '', 'base64'),
			mimeType: parsed.mimetype ?? 'image/png',
		};
	}
	return { data: bytes, mimeType: contentType.split(';')[0].trim() || 'image/png' };
}

// Chatting ---------------------------------------------------------------------------------------

type SendEndpoint = 'sendText' | 'sendImage' | 'sendFile';

/** A send is not idempotent: it is never retried once it may have reached WAHA. */
export async function sendMessage(
	context: ApiContext,
	endpoint: SendEndpoint,
	body: WahaSendTextBody | WahaSendFileBody,
	options?: WahaCallOptions,
): Promise<WahaSentMessage | undefined> {
	const response = await wahaRequest<WahaSentMessage | '' | undefined>(
		context,
		{
			method: 'POST',
			path: `/api/${endpoint}`,
			body: body as unknown as IDataObject,
			idempotent: false,
		},
		options,
	);
	return typeof response === 'object' && response !== null ? response : undefined;
}

/** `startTyping`/`stopTyping` answer 201 with no body (docs/services/waha.md, "Typing and pace"). */
export async function setTyping(
	context: ApiContext,
	typing: boolean,
	body: { session: string; chatId: string },
	options?: WahaCallOptions,
): Promise<void> {
	await wahaRequest<unknown>(
		context,
		{
			method: 'POST',
			path: typing ? '/api/startTyping' : '/api/stopTyping',
			body,
			idempotent: true,
		},
		options,
	);
}

/**
 * WAHA's own id for a NOWEB message, `fromMe_chat_id`, built from the Baileys key the way WAHA's
 * NOWEB engine does (docs/services/waha.md, "Sending"): a phone JID becomes `@c.us`, without its
 * `:device` part; group and other JIDs stay as they are.
 */
function nowebMessageId(key: NonNullable<WahaSentMessage['key']>): string | null {
	if (!key.id || !key.remoteJid) return key.id ?? null;
	const toCus = (jid: string) => {
		const [user, server] = jid.split('@');
		return server === 's.whatsapp.net' ? `${user.split(':')[0]}@c.us` : jid;
	};
	const parts = [key.fromMe ?? false, toCus(key.remoteJid), key.id];
	return [...parts, ...(key.participant ? [toCus(key.participant)] : [])].join('_');
}

/**
 * The message id from whatever the engine returned (docs/services/waha.md, "Sending"): WEBJS `id`
 * (a string, or an object with `_serialized`), NOWEB's Baileys `key`, `_data.id._serialized`, or
 * nothing for an empty body.
 */
export function extractMessageId(response: WahaSentMessage | undefined): string | null {
	if (!response) return null;
	const { id } = response;
	if (typeof id === 'string' && id) return id;
	if (typeof id === 'object' && id !== null) {
		if (id._serialized) return id._serialized;
		if (id.id) return id.id;
	}
	return (response.key && nowebMessageId(response.key)) ?? response._data?.id?._serialized ?? null;
}

export async function getChatMessages(
	context: ApiContext,
	session: string,
	chatId: string,
	limit: number,
	options?: WahaCallOptions,
): Promise<WahaChatMessage[]> {
	const messages = await wahaRequest<WahaChatMessage[] | ''>(
		context,
		{
			method: 'GET',
			path: `/api/${segment(session)}/chats/${segment(chatId)}/messages`,
			// Newest first and only ours (WAHA ≥ 2025.10.5; older servers ignore the sort and
			// give each engine's default order, docs/services/waha.md, "Chat history").
			qs: {
				limit,
				downloadMedia: false,
				sortBy: 'timestamp',
				sortOrder: 'desc',
				'filter.fromMe': true,
			},
		},
		options,
	);
	return Array.isArray(messages) ? messages : [];
}

/**
 * Whether a failed history read means this server cannot give the history, rather than that the
 * session is down or the key wrong (docs/services/waha.md, "Chat history"): 400 from NOWEB with
 * its store off, 5xx from WEBJS on a chat that never had a message, and an engine without the
 * endpoint (501, or 422 on older WAHA). A 422 about the session's status is not one of them.
 */
export function cannotReadHistory(error: unknown): boolean {
	if (!(error instanceof NodeApiError)) return false;
	const status = Number(error.httpCode);
	if (status === 400 || status >= 500) return true;
	return status === 422 && error.message.startsWith(ENGINE_CANNOT);
}

// Contacts ---------------------------------------------------------------------------------------

export async function checkNumberExists(
	context: ApiContext,
	session: string,
	digits: string,
	options?: WahaCallOptions,
): Promise<WahaCheckExistsResult> {
	return await wahaRequest<WahaCheckExistsResult>(
		context,
		{ method: 'GET', path: '/api/contacts/check-exists', qs: { phone: digits, session } },
		options,
	);
}

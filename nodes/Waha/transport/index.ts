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

/** The 422 body WAHA sends when a session is not in the status an endpoint needs (waha.md §7). */
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
		if (statusCode === 401 || statusCode === 403) {
			return {
				message: 'WAHA rejected the API key',
				description:
					'Put the value of WAHA_API_KEY (the plain key, not its sha512 hash) into the API Key of the WAHA API credential.',
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
			return {
				message: name ? `WAHA has no session "${name}"` : 'WAHA has no such session',
				description:
					'Check the Session parameter (names are case-sensitive), or create the session in WAHA first.',
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

export interface WahaCallOptions {
	itemIndex?: number;
}

async function wahaCall<T>(
	context: ApiContext,
	request: ApiRequest,
	options: WahaCallOptions = {},
): Promise<ApiResponse<T>> {
	const credentials = await context.getCredentials(WAHA_CREDENTIAL, options.itemIndex);
	// People paste the Swagger address; the paths below already start with /api.
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

/** Start and stop are idempotent in WAHA (waha.md §2), so they may be retried. */
export async function changeSessionState(
	context: ApiContext,
	session: string,
	action: 'start' | 'stop',
	options?: WahaCallOptions,
): Promise<WahaSessionInfo> {
	return await wahaRequest<WahaSessionInfo>(
		context,
		{ method: 'POST', path: `/api/sessions/${segment(session)}/${action}`, idempotent: true },
		options,
	);
}

/** WAHA replaces the whole config on update (and restarts a running session). */
export async function updateSessionConfig(
	context: ApiContext,
	session: string,
	config: WahaSessionConfig,
): Promise<void> {
	await wahaRequest<unknown>(context, {
		method: 'PUT',
		path: `/api/sessions/${segment(session)}`,
		body: { name: session, config } as IDataObject,
		idempotent: true,
	});
}

export interface QrImage {
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

export type SendEndpoint = 'sendText' | 'sendImage' | 'sendFile';

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

/** `startTyping`/`stopTyping` answer 201 with no body (waha.md §3). */
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
 * The message id from whatever the engine returned (waha.md §3): WEBJS `id` (a string, or an object
 * with `_serialized`), NOWEB's Baileys `key.id`, `_data.id._serialized`, or nothing for an empty body.
 */
export function extractMessageId(response: WahaSentMessage | undefined): string | null {
	if (!response) return null;
	const { id } = response;
	if (typeof id === 'string' && id) return id;
	if (typeof id === 'object' && id !== null) {
		if (id._serialized) return id._serialized;
		if (id.id) return id.id;
	}
	return response.key?.id ?? response._data?.id?._serialized ?? null;
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
			qs: { limit, downloadMedia: false },
		},
		options,
	);
	return Array.isArray(messages) ? messages : [];
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

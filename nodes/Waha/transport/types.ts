import type { IDataObject } from 'n8n-workflow';

/**
 * WAHA wire types (docs/services/waha.md). Shared by the node, the trigger and the sandbox emulator.
 */

export const SESSION_STATUSES = [
	'STOPPED',
	'STARTING',
	'SCAN_QR_CODE',
	'PASSKEY_REQUIRED',
	'PASSKEY_CONFIRMATION_REQUIRED',
	'WORKING',
	'FAILED',
] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

export interface WahaWebhookConfig {
	url: string;
	events: string[];
	hmac?: { key: string } | null;
	retries?: {
		policy?: 'constant' | 'linear' | 'exponential';
		delaySeconds?: number;
		attempts?: number;
	} | null;
	customHeaders?: Array<{ name: string; value: string }> | null;
}

export interface WahaSessionConfig {
	metadata?: Record<string, string>;
	webhooks?: WahaWebhookConfig[];
	[key: string]: unknown;
}

export interface WahaSessionInfo {
	name: string;
	status: SessionStatus;
	config?: WahaSessionConfig | null;
	me?: { id: string; pushName?: string } | null;
	engine?: { engine?: string } | null;
	/** WAHA 2026: the apps synchronised for the session; sent back unchanged on update. */
	apps?: IDataObject[] | null;
}

export interface WahaSendTextBody {
	session: string;
	chatId: string;
	text: string;
	reply_to?: string | null;
	linkPreview?: boolean;
}

export interface WahaFile {
	mimetype: string;
	filename?: string;
	url?: string;
	/** Base64, for files sent from n8n binary data. */
	data?: string;
}

export interface WahaSendFileBody {
	session: string;
	chatId: string;
	file: WahaFile;
	caption?: string;
	reply_to?: string | null;
}

/**
 * What a send returns differs by engine (docs/services/waha.md, "Sending"): WEBJS a WAMessage, NOWEB a Baileys object
 * with `key.id`, some versions an empty body. The node reads the id from whichever is present.
 */
export interface WahaSentMessage {
	id?: string | { _serialized?: string; id?: string };
	key?: { id?: string; remoteJid?: string; fromMe?: boolean; participant?: string };
	_data?: { id?: { _serialized?: string } };
	timestamp?: number;
	[key: string]: unknown;
}

export interface WahaCheckExistsResult {
	numberExists: boolean;
	chatId?: string;
}

/** One message as listed by `GET /api/{session}/chats/{chatId}/messages`. */
export interface WahaChatMessage {
	id: string;
	timestamp: number;
	fromMe: boolean;
	body: string | null;
	to?: string;
	from?: string;
}

/** The envelope WAHA posts to a webhook (docs/services/waha.md, "Webhooks"); `id` and `timestamp` since 2025.3.1. */
export interface WahaWebhookEvent {
	id?: string;
	timestamp?: number;
	event: string;
	session: string;
	metadata?: Record<string, string>;
	me?: { id: string; pushName?: string };
	payload: Record<string, unknown>;
	engine: string;
	environment?: Record<string, unknown>;
}

export const WEBHOOK_EVENTS = [
	'message',
	'message.any',
	'message.ack',
	'message.reaction',
	'message.revoked',
	'message.edited',
	'session.status',
	'presence.update',
	'poll.vote',
	'call.received',
	'label.chat.added',
] as const;

export const HMAC_HEADER = 'x-webhook-hmac';
/** When WAHA created the event, Unix ms; unsigned, sent by every version that signs. */
export const TIMESTAMP_HEADER = 'x-webhook-timestamp';

/**
 * Events a WAHA server refuses (400 on the session update) before the version that added them
 * (docs/services/waha.md, "Versions").
 */
export const EVENT_MIN_VERSION: Partial<Record<(typeof WEBHOOK_EVENTS)[number], string>> = {
	'message.edited': '2025.6.3',
};
export const HMAC_ALGORITHM_HEADER = 'x-webhook-hmac-algorithm';

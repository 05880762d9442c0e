import type { IDataObject } from 'n8n-workflow';

import { DEFAULT_SESSION } from '../transport';
import type { WahaSessionInfo } from '../transport/types';

/**
 * What the session operations output. The session's config is left out on purpose: it holds the
 * webhook HMAC keys.
 */
export function toSessionOutput(info: WahaSessionInfo): IDataObject {
	return {
		session: info.name,
		status: info.status,
		working: info.status === 'WORKING',
		engine: info.engine?.engine ?? null,
		me: info.me ? { id: info.me.id, pushName: info.me.pushName ?? null } : null,
	};
}

/** Reads the session resource locator (or a plain string) as a session name. */
export function sessionName(raw: unknown): string {
	const value =
		typeof raw === 'object' && raw !== null && 'value' in raw
			? (raw as { value: unknown }).value
			: raw;
	return String(value ?? '').trim() || DEFAULT_SESSION;
}

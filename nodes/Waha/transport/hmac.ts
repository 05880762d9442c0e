import { createHmac, timingSafeEqual } from 'crypto';

/** Hex HMAC-SHA512 of the exact body bytes, as WAHA puts it in `X-Webhook-Hmac` (docs/services/waha.md, "Webhooks"). */
export function signWebhookBody(body: Buffer | string, secret: string): string {
	return createHmac('sha512', secret).update(body).digest('hex');
}

/**
 * Whether `signature` (the `X-Webhook-Hmac` header) is WAHA's signature of `body` with `secret`.
 * A missing, repeated or malformed header is a mismatch; the comparison takes constant time.
 */
export function isValidWebhookSignature(
	body: Buffer | string,
	signature: string | string[] | undefined,
	secret: string,
): boolean {
	if (typeof signature !== 'string' || !/^[0-9a-f]+$/i.test(signature.trim())) return false;
	const expected = Buffer.from(signWebhookBody(body, secret), 'utf8');
	const received = Buffer.from(signature.trim().toLowerCase(), 'utf8');
	return expected.length === received.length && timingSafeEqual(expected, received);
}

/** WAHA's clock may run a little ahead of n8n's. */
const FUTURE_SKEW_MS = 2 * 60_000;

/**
 * When a WAHA event was created, in Unix ms: the envelope's `timestamp`, inside the signed body
 * (WAHA 2025.3.1 and later), else the unsigned `X-Webhook-Timestamp` header, which WAHA sends on
 * every delivery (docs/services/waha.md, "Webhooks"). The header can be altered with the request,
 * but a capture replayed as is still carries its old time. Undefined when there is neither.
 */
export function webhookEventTime(body: unknown, header: unknown): number | undefined {
	const fromBody = (body as { timestamp?: unknown } | null)?.timestamp;
	if (fromBody !== undefined && fromBody !== null) return Number(fromBody);
	if (typeof header !== 'string' || !header.trim()) return undefined;
	return Number(header);
}

/**
 * Whether an event created at `timestamp` (Unix ms) is recent. WAHA signs only the body, so its
 * age is what tells a replayed capture from a new event; WAHA's own retries of a failed delivery
 * end within the window (the trigger registers them so).
 */
export function isFreshWebhookEvent(
	timestamp: unknown,
	maxAgeMs: number,
	now = Date.now(),
): boolean {
	return (
		typeof timestamp === 'number' &&
		Number.isFinite(timestamp) &&
		timestamp >= now - maxAgeMs &&
		timestamp <= now + FUTURE_SKEW_MS
	);
}

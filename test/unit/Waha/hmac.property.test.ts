/**
 * @jest-environment ./test/helpers/fuzzEnvironment.mjs
 */
/**
 * Fuzzing the WAHA webhook signature check (nodes/Waha/transport/hmac.ts) and the WAHA Trigger's
 * webhook method with generated bodies, keys and signatures: the right signature is accepted; a
 * wrong one, a missing header, a body with any one byte changed and a signature made with another
 * key are refused with 401; nothing throws; a refusal never carries the key. WAHA signs the body
 * only (docs/services/waha.md, "Webhooks"), but the event's own timestamp is inside the body: a
 * replay after the trigger's window (10 minutes) is refused; within it, a replay is accepted
 * (README, WAHA Trigger).
 */
import { createHash } from 'crypto';
import fc from 'fast-check';
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { isValidWebhookSignature, signWebhookBody } from '../../../nodes/Waha/transport/hmac';
import { WahaTrigger } from '../../../nodes/Waha/WahaTrigger.node';
import { fakeContext } from '../../helpers/context';
import { wahaCredentials } from '../../helpers/waha';
import { expectNoUnhandledRejection, fuzzTarget } from '../../helpers/fuzz';

const fuzz = fuzzTarget('waha hmac');
const trigger = new WahaTrigger();

const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));
/** Keys as people type them, plus any UTF-16 (lone surrogates included). */
const key = fc.oneof(
	fc.string({ minLength: 1, maxLength: 40 }),
	fc.string({ unit: codeUnit, minLength: 1, maxLength: 40 }),
	fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }),
);
/**
 * HMAC treats keys as bytes padded with zeros to the block (128 bytes for SHA-512) and hashes longer
 * ones, so `k` and `k\0` are one key; "another key" means other key bytes after that.
 */
function hmacKeyBytes(text: string): string {
	let bytes = Buffer.from(text, 'utf8');
	if (bytes.length > 128) bytes = createHash('sha512').update(bytes).digest();
	return bytes.toString('hex').replace(/(00)+$/, '');
}

const bodyBytes = fc.oneof(
	fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
	fc.jsonValue().map((value) => Buffer.from(JSON.stringify(value) ?? 'null')),
	fc.string({ unit: 'binary', maxLength: 100 }).map((text) => Buffer.from(text)),
);
/** A WAHA event as the trigger receives it, raw bytes and parsed body. */
const event = fc
	.record({
		id: fc.stringMatching(/^evt_[0-9a-z]{26}$/),
		// Sent within the trigger's window (10 minutes by default), as WAHA sends events.
		timestamp: fc.integer({ min: 0, max: 9 * 60_000 }).map((age) => Date.now() - age),
		event: fc.constantFrom('message', 'message.any', 'session.status'),
		session: fc.constant('default'),
		payload: fc.record({
			body: fc.string({ unit: 'binary', maxLength: 60 }),
			from: fc.constant('77011234567@c.us'),
		}),
		engine: fc.constantFrom('WEBJS', 'NOWEB', 'GOWS'),
	})
	.chain((body) =>
		fc.constantFrom(0, 1, 2).map((indent) => ({
			body: body as IDataObject,
			raw: Buffer.from(JSON.stringify(body, null, indent)),
		})),
	);

const flip = (bytes: Buffer, at: number, mask: number) => {
	const changed = Buffer.from(bytes);
	changed[at % changed.length] ^= mask;
	return changed;
};

describe('isValidWebhookSignature', () => {
	it('accepts the signature of the body with the key, as bytes or text, in any hex case', async () => {
		await fuzz.check(
			'correct signature accepted',
			fc.property(
				bodyBytes,
				key,
				fc.boolean(),
				fc.constantFrom('', ' ', '\t'),
				(body, secret, upper, pad) => {
					const signature = signWebhookBody(body, secret);
					expect(signature).toMatch(/^[0-9a-f]{128}$/);
					const header = pad + (upper ? signature.toUpperCase() : signature) + pad;
					expect(isValidWebhookSignature(body, header, secret)).toBe(true);
					expect(
						isValidWebhookSignature(
							body.toString('latin1') === body.toString('utf8') ? body.toString('utf8') : body,
							header,
							secret,
						),
					).toBe(true);
				},
			),
			{ numRuns: 3000 },
		);
	});

	it('refuses the body with any one byte changed', async () => {
		await fuzz.check(
			'one flipped byte refused',
			fc.property(
				bodyBytes.filter((body) => body.length > 0),
				key,
				fc.nat(),
				fc.integer({ min: 1, max: 255 }),
				(body, secret, at, mask) => {
					const signature = signWebhookBody(body, secret);
					expect(isValidWebhookSignature(flip(body, at, mask), signature, secret)).toBe(false);
				},
			),
			{ numRuns: 3000 },
		);
	});

	it('refuses a signature made with another key', async () => {
		await fuzz.check(
			'other key refused',
			fc.property(bodyBytes, key, key, (body, secret, other) => {
				fc.pre(hmacKeyBytes(secret) !== hmacKeyBytes(other));
				expect(isValidWebhookSignature(body, signWebhookBody(body, other), secret)).toBe(false);
			}),
			{ numRuns: 3000 },
		);
	});

	it('refuses any wrong, truncated, repeated or malformed signature, and never throws', async () => {
		const hex = fc.constantFrom(...'0123456789abcdef');
		/** Ways to get the header wrong, each turning the right signature into a wrong one. */
		const wrongSignature = fc.oneof(
			fc.tuple(fc.nat({ max: 127 }), hex).map(
				([at, digit]) =>
					(right: string): unknown =>
						right.slice(0, at) +
						(right[at] === digit ? (digit === '0' ? '1' : '0') : digit) +
						right.slice(at + 1),
			),
			fc.nat({ max: 127 }).map(
				(length) =>
					(right: string): unknown =>
						right.slice(0, length),
			),
			fc.constant((right: string): unknown => `${right}0`),
			fc.constant((right: string): unknown => [right, right]),
			fc.constant((right: string): unknown => [right]),
			fc.string({ unit: hex, minLength: 128, maxLength: 128 }).map(
				(other) =>
					(right: string): unknown =>
						other === right ? `${other}0` : other,
			),
			fc.anything().map((value) => (): unknown => value),
		);
		await fuzz.check(
			'wrong or malformed signature refused',
			fc.property(bodyBytes, key, wrongSignature, (body, secret, wrong) => {
				const signature = wrong(signWebhookBody(body, secret));
				expect({
					signature,
					valid: isValidWebhookSignature(body, signature as string, secret),
				}).toEqual({ signature, valid: false });
			}),
			{ numRuns: 3000 },
		);
	});
});

// ---- the trigger's webhook method

function webhookCall(options: {
	raw?: Buffer;
	body: unknown;
	headers: IDataObject;
	secret: string;
}) {
	const { context } = fakeContext({
		parameters: {
			session: { __rl: true, mode: 'list', value: 'default' },
			events: ['message', 'message.any', 'session.status'],
		},
		credentials: wahaCredentials(options.secret),
	});
	const calls: unknown[][] = [];
	const response = {
		status: (...args: unknown[]) => (calls.push(['status', ...args]), response),
		send: (...args: unknown[]) => (calls.push(['send', ...args]), response),
		end: (...args: unknown[]) => (calls.push(['end', ...args]), response),
	};
	const webhook = Object.assign(context, {
		getBodyData: () => options.body,
		getHeaderData: () => options.headers,
		getRequestObject: () => ({ rawBody: options.raw }),
		getResponseObject: () => response,
	}) as unknown as IWebhookFunctions;
	return { run: async () => await trigger.webhook.call(webhook), calls };
}

type Attack =
	| 'wrong signature'
	| 'missing header'
	| 'flipped byte'
	| 'other key'
	| 'empty header'
	| 'two headers';
const ATTACKS: Attack[] = [
	'wrong signature',
	'missing header',
	'flipped byte',
	'other key',
	'empty header',
	'two headers',
];

describe('WAHA Trigger webhook', () => {
	/** Secrets a user could paste into the credential; long enough to spot in any text. */
	const secret = fc.string({
		unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-_!'),
		minLength: 12,
		maxLength: 48,
	});

	it('starts the workflow for a correctly signed event', async () => {
		await fuzz.check(
			'trigger: signed event starts the workflow',
			fc.asyncProperty(event, secret, async ({ body, raw }, key) => {
				const call = webhookCall({
					raw,
					body,
					headers: { 'x-webhook-hmac': signWebhookBody(raw, key) },
					secret: key,
				});
				expect(await call.run()).toEqual({ workflowData: [[{ json: body }]] });
				expect(call.calls).toEqual([]);
			}),
			{ numRuns: 500 },
		);
	});

	it('answers 401 to every forged event, throws nothing and never echoes the key', async () => {
		await fuzz.check(
			'trigger: forged event refused with 401, key not echoed',
			fc.asyncProperty(
				event,
				secret,
				secret,
				fc.constantFrom(...ATTACKS),
				fc.nat(),
				fc.integer({ min: 1, max: 255 }),
				async ({ body, raw }, key, otherKey, attack, at, mask) => {
					fc.pre(otherKey !== key);
					const right = signWebhookBody(raw, key);
					const headers: IDataObject = {
						'wrong signature': {
							'x-webhook-hmac': signWebhookBody(Buffer.concat([raw, Buffer.from(' ')]), key),
						},
						'missing header': { 'x-webhook-hmac-algorithm': 'sha512' },
						'flipped byte': { 'x-webhook-hmac': right },
						'other key': { 'x-webhook-hmac': signWebhookBody(raw, otherKey) },
						'empty header': { 'x-webhook-hmac': '' },
						'two headers': { 'x-webhook-hmac': [right, right] },
					}[attack];
					const received = attack === 'flipped byte' ? flip(raw, at, mask) : raw;
					const call = webhookCall({ raw: received, body, headers, secret: key });
					const result = await call.run();
					expect({ attack, result }).toEqual({ attack, result: { noWebhookResponse: true } });
					expect(call.calls).toEqual([['status', 401], ['send', 'Invalid signature'], ['end']]);
					expect(JSON.stringify([result, call.calls])).not.toContain(key);
				},
			),
			{ numRuns: 1000 },
		);
	});

	it('refuses a signed event replayed after its window with 401', async () => {
		await fuzz.check(
			'trigger: event replayed after the window refused',
			fc.asyncProperty(
				event,
				secret,
				fc.integer({ min: 10 * 60_000 + 1000, max: 400 * 24 * 3600_000 }),
				async ({ body }, key, age) => {
					const old = { ...body, timestamp: Date.now() - age };
					const raw = Buffer.from(JSON.stringify(old));
					const call = webhookCall({
						raw,
						body: old,
						headers: { 'x-webhook-hmac': signWebhookBody(raw, key) },
						secret: key,
					});
					expect(await call.run()).toEqual({ noWebhookResponse: true });
					expect(call.calls).toEqual([['status', 401], ['send', 'Stale event'], ['end']]);
				},
			),
			{ numRuns: 500 },
		);
	});
});

expectNoUnhandledRejection();

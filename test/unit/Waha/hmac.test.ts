import { isValidWebhookSignature, signWebhookBody } from '../../../nodes/Waha/transport/hmac';

/** The test vector from WAHA's docs (docs/services/waha.md, "Webhooks"), re-computed there with Python's hmac. */
const BODY = '{"event":"message","session":"default","engine":"WEBJS"}';
const KEY = 'my-secret-key';
const SIGNATURE =
	'208f8a55dde9e05519e898b10b89bf0d0b3b0fdf11fdbf09b6b90476301b98d8097c462b2b17a6ce93b6b47a136cf2e78a33a63f6752c2c1631777076153fa89';

describe('WAHA webhook HMAC', () => {
	it('signs the documented body to the documented signature', () => {
		expect(signWebhookBody(BODY, KEY)).toBe(SIGNATURE);
		expect(signWebhookBody(Buffer.from(BODY), KEY)).toBe(SIGNATURE);
	});

	it('accepts the documented signature, as a string or raw bytes, in any hex case', () => {
		expect(isValidWebhookSignature(Buffer.from(BODY), SIGNATURE, KEY)).toBe(true);
		expect(isValidWebhookSignature(BODY, SIGNATURE.toUpperCase(), KEY)).toBe(true);
	});

	it('rejects a wrong signature, a wrong key and a missing or repeated header', () => {
		const wrong = `${SIGNATURE.slice(0, -1)}${SIGNATURE.endsWith('0') ? '1' : '0'}`;
		expect(isValidWebhookSignature(BODY, wrong, KEY)).toBe(false);
		expect(isValidWebhookSignature(BODY, SIGNATURE, 'other-key')).toBe(false);
		expect(isValidWebhookSignature(BODY, undefined, KEY)).toBe(false);
		expect(isValidWebhookSignature(BODY, '', KEY)).toBe(false);
		expect(isValidWebhookSignature(BODY, [SIGNATURE, SIGNATURE], KEY)).toBe(false);
		expect(isValidWebhookSignature(BODY, SIGNATURE.slice(0, 64), KEY)).toBe(false);
		expect(isValidWebhookSignature(BODY, 'not hex at all', KEY)).toBe(false);
	});

	it('rejects a body with a single byte changed', () => {
		const bytes = Buffer.from(BODY);
		for (const index of [0, 10, bytes.length - 1]) {
			const changed = Buffer.from(bytes);
			changed[index] ^= 0x01;
			expect(isValidWebhookSignature(changed, SIGNATURE, KEY)).toBe(false);
		}
	});
});

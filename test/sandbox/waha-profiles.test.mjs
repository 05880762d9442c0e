// @ts-check
/**
 * The WAHA emulator's profiles (engine, tier, version) and its strict OpenAPI check: each
 * behaviour the sources describe (docs/services/waha.md, "Versions, tiers and engines"), and a
 * request WAHA 2026.7.1's published document refuses. Run: node --test test/sandbox/
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, beforeEach, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import axios from 'axios';

import { startSandbox } from '../../sandbox/server.mjs';
import { webhookSignature } from '../../sandbox/services/waha.mjs';

const OPENAPI = fileURLToPath(new URL('../fixtures/waha-openapi-2026.7.1.json', import.meta.url));
const KEY = 'sandbox-waha-key';
const HMAC_KEY = 'profile-secret';

/** @type {Awaited<ReturnType<typeof startSandbox>>} */
let sandbox;
/** @type {import('axios').AxiosInstance} */
let waha;
/** @type {import('axios').AxiosInstance} */
let control;

/** What the webhook receiver got, and the statuses it answers with next (then 200). */
/** @type {Array<{ headers: import('node:http').IncomingHttpHeaders, body: any }>} */
let received = [];
/** @type {number[]} */
let answers = [];
const receiver = createServer((req, res) => {
	const chunks = /** @type {Buffer[]} */ ([]);
	req.on('data', (chunk) => chunks.push(chunk));
	req.on('end', () => {
		received.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString()) });
		res.statusCode = answers.shift() ?? 200;
		res.end();
	});
});
let hookUrl = '';

before(async () => {
	sandbox = await startSandbox({ wahaOpenApi: OPENAPI });
	const options = { headers: { 'X-Api-Key': KEY }, validateStatus: () => true };
	waha = axios.create({ baseURL: sandbox.baseUrls.waha, ...options });
	control = axios.create({ baseURL: `${sandbox.url}/_control`, validateStatus: () => true });
	await new Promise((resolve) => receiver.listen(0, '127.0.0.1', () => resolve(undefined)));
	const address = /** @type {import('node:net').AddressInfo} */ (receiver.address());
	hookUrl = `http://127.0.0.1:${address.port}/hook`;
});

after(async () => {
	await sandbox.close();
	receiver.close();
});

beforeEach(async () => {
	assert.equal((await control.post('/reset', {})).status, 200);
	received = [];
	answers = [];
});

/** @param {Record<string, unknown>} profile */
async function useProfile(profile) {
	const { status, data } = await control.post('/waha/profile', profile);
	assert.equal(status, 200, JSON.stringify(data));
}

/** @param {string} chatId @param {string} text */
const sendText = (chatId, text) => waha.post('/api/sendText', { session: 'default', chatId, text });

/** @param {Record<string, unknown>} [extra] */
const sendImage = (extra = {}) =>
	waha.post('/api/sendImage', {
		session: 'default',
		chatId: '77011234567@c.us',
		file: { mimetype: 'image/png', url: 'https://example.com/a.png' },
		...extra,
	});

/**
 * @param {string} query
 * @param {string} [chat]
 */
const history = (query, chat = '77011234567%40c.us') =>
	waha.get(`/api/default/chats/${chat}/messages?${query}`);

/** @param {Record<string, unknown>} webhook */
async function subscribe(webhook) {
	const { status, data } = await waha.put('/api/sessions/default', {
		config: { webhooks: [{ url: hookUrl, events: ['message'], ...webhook }] },
	});
	assert.equal(status, 200, JSON.stringify(data));
}

/** An event through the control API; resolves once every delivery attempt is over. */
async function emitMessage() {
	const { status, data } = await control.post('/waha/inbound', { from: '77011234567', body: 'hi' });
	assert.equal(status, 200);
	return data;
}

describe('WAHA strict mode: every request checked against the OpenAPI document 2026.7.1', () => {
	test('a conforming send passes', async () => {
		assert.equal((await sendText('77011234567@c.us', 'hello')).status, 201);
	});

	test('an unknown field, a missing one and a wrong type are each a 400 naming the field', async () => {
		const unknown = await waha.post('/api/sendText', {
			session: 'default',
			chatId: '77011234567@c.us',
			text: 'x',
			name: 'shop',
		});
		assert.equal(unknown.status, 400);
		assert.deepEqual(unknown.data.message, ['property name should not exist']);

		const missing = await waha.post('/api/sendText', { session: 'default', text: 'x' });
		assert.equal(missing.status, 400);
		assert.ok(missing.data.message.includes('chatId should not be empty'));

		const wrongType = await waha.post('/api/sendText', {
			session: 'default',
			chatId: '77011234567@c.us',
			text: 5,
		});
		assert.equal(wrongType.status, 400);
		assert.deepEqual(wrongType.data.message, ['text must be a string']);
	});

	test('nested schemas: a file is RemoteFile or BinaryFile, nothing else', async () => {
		assert.equal((await sendImage()).status, 201);
		const both = await sendImage({
			file: { mimetype: 'image/png', url: 'https://example.com/a.png', size: 1 },
		});
		assert.equal(both.status, 400);
		assert.ok(both.data.message.includes('property file.size should not exist'));
		const neither = await sendImage({ file: { mimetype: 'image/png' } });
		assert.equal(neither.status, 400);
	});

	test('the session update body is {config, apps}: name is refused', async () => {
		const withName = await waha.put('/api/sessions/default', { name: 'default', config: {} });
		assert.equal(withName.status, 400);
		assert.deepEqual(withName.data.message, ['property name should not exist']);
		assert.equal((await waha.put('/api/sessions/default', { config: {}, apps: null })).status, 200);
	});

	test('query parameters: unknown names, missing required ones and wrong types are refused', async () => {
		await sendText('77011234567@c.us', 'first');
		assert.equal(
			(
				await history(
					'limit=5&sortBy=timestamp&sortOrder=desc&filter.fromMe=true&downloadMedia=false',
				)
			).status,
			200,
		);
		assert.equal((await history('limit=5&fromMe=true')).status, 400);
		assert.equal((await history('downloadMedia=false')).status, 400, 'limit is required');
		assert.equal((await history('limit=5&sortOrder=newest')).status, 400);
		assert.equal(
			(await waha.get('/api/contacts/check-exists?phone=77011234567')).status,
			400,
			'session is required',
		);
	});

	test('without the document the sandbox stays lenient (npm run sandbox)', async () => {
		const lenient = await startSandbox();
		try {
			const { status } = await axios.put(
				`${lenient.baseUrls.waha}/api/sessions/default`,
				{ name: 'default', config: {} },
				{
					headers: { 'X-Api-Key': KEY },
				},
			);
			assert.equal(status, 200);
		} finally {
			await lenient.close();
		}
	});
});

describe('WAHA profiles', () => {
	test('the default is WAHA Core 2026.7.1 on WEBJS; a bad profile is refused', async () => {
		assert.deepEqual((await control.get('/waha/profile')).data, {
			engine: 'WEBJS',
			nowebStore: false,
			tier: 'CORE',
			version: '2026.7.1',
		});
		assert.equal((await waha.get('/api/server/version')).data.version, '2026.7.1');
		assert.equal((await control.post('/waha/profile', { engine: 'VENOM' })).status, 400);
		assert.equal((await control.post('/waha/profile', { version: 'latest' })).status, 400);
		assert.equal((await control.post('/waha/profile', { store: true })).status, 400);
	});

	test('NOWEB with its store off answers 400 on the history read; with the store on it lists', async () => {
		await useProfile({ engine: 'NOWEB', nowebStore: false });
		await sendText('77011234567@c.us', 'first');
		const off = await history('limit=5');
		assert.equal(off.status, 400);
		assert.match(off.data.message, /Enable NOWEB store/);
		await useProfile({ nowebStore: true });
		const on = await history('limit=5');
		assert.equal(on.status, 200);
		assert.deepEqual(
			on.data.map((/** @type {any} */ message) => message.body),
			['first'],
		);
	});

	test('WEBJS answers 500 for a chat never written to; GOWS lists it as empty', async () => {
		const never = await history('limit=5', '77019990000%40c.us');
		assert.equal(never.status, 500);
		assert.match(never.data.exception.message, /Cannot read properties of undefined/);
		await useProfile({ engine: 'GOWS' });
		assert.deepEqual((await history('limit=5', '77019990000%40c.us')).data, []);
	});

	test('Send Image and Send File are Plus-only on Core before 2026.6.1', async () => {
		await useProfile({ version: '2026.5.3' });
		const image = await sendImage();
		assert.equal(image.status, 422);
		assert.match(image.data.message, /available only in Plus version/);
		const file = await waha.post('/api/sendFile', {
			session: 'default',
			chatId: '77011234567@c.us',
			file: { mimetype: 'application/pdf', url: 'https://example.com/a.pdf' },
		});
		assert.equal(file.status, 422);
		assert.equal((await sendText('77011234567@c.us', 'text still works')).status, 201);
		await useProfile({ tier: 'PLUS' });
		assert.equal((await sendImage()).status, 201);
		await useProfile({ tier: 'CORE', version: '2026.6.1' });
		assert.equal((await sendImage()).status, 201);
	});

	test('Core before 2026.6.1 allows only the session "default"', async () => {
		await useProfile({ version: '2025.12.1' });
		const create = await waha.post('/api/sessions', { name: 'shop2', start: false });
		assert.equal(create.status, 422);
		assert.match(create.data.message, /only 'default' session/);
		const send = await waha.post('/api/sendText', {
			session: 'shop2',
			chatId: '77011234567@c.us',
			text: 'x',
		});
		assert.equal(send.status, 422);
		assert.equal((await waha.get('/api/sessions/default')).status, 200);
		await useProfile({ version: '2026.6.1' });
		assert.equal((await waha.post('/api/sessions', { name: 'shop2', start: false })).status, 201);
	});

	test('message.edited is refused with 400 before 2025.6.3', async () => {
		await useProfile({ version: '2025.6.2' });
		const old = await waha.put('/api/sessions/default', {
			config: { webhooks: [{ url: hookUrl, events: ['message', 'message.edited'] }] },
		});
		assert.equal(old.status, 400);
		assert.match(old.data.message.join(' '), /events must be a valid enum value/);
		await useProfile({ version: '2025.6.3' });
		await subscribe({ events: ['message', 'message.edited'] });
	});

	test('sortOrder and filter.fromMe are honoured from 2025.10.5; before, WEBJS lists the last N oldest first', async () => {
		await sendText('77011234567@c.us', 'ours 1');
		await control.post('/waha/inbound', { from: '77011234567', body: 'buyer' });
		await sendText('77011234567@c.us', 'ours 2');
		const query = 'limit=2&sortBy=timestamp&sortOrder=desc&filter.fromMe=true';
		const bodies = async () =>
			(await history(query)).data.map((/** @type {any} */ message) => message.body);

		assert.deepEqual(await bodies(), ['ours 2', 'ours 1']);
		assert.deepEqual(
			(await history('limit=3&sortOrder=asc')).data.map((/** @type {any} */ m) => m.body),
			['ours 1', 'buyer', 'ours 2'],
		);
		await useProfile({ version: '2025.10.4' });
		assert.deepEqual(
			await bodies(),
			['buyer', 'ours 2'],
			'filter and order ignored: the last two in time order',
		);
		await useProfile({ engine: 'GOWS' });
		assert.deepEqual(await bodies(), ['ours 2', 'buyer'], 'GOWS lists newest first');
	});
});

describe('WAHA webhook delivery by version', () => {
	test('Core before 2024.11.5 never signs, sends no delivery headers and no event id or timestamp', async () => {
		await useProfile({ version: '2024.10.1' });
		await subscribe({ hmac: { key: HMAC_KEY } });
		await emitMessage();
		const [delivery] = received;
		assert.equal(delivery.headers['x-webhook-hmac'], undefined);
		assert.equal(delivery.headers['x-webhook-timestamp'], undefined);
		assert.equal(delivery.body.timestamp, undefined);
		assert.equal(delivery.body.id, undefined);
		assert.equal(delivery.body.event, 'message');
	});

	test('Core 2024.11.5 signs and stamps the header, but the body has no timestamp until 2025.3.1', async () => {
		await useProfile({ version: '2024.11.5' });
		await subscribe({ hmac: { key: HMAC_KEY } });
		const { events } = await emitMessage();
		const [delivery] = received;
		assert.equal(
			delivery.headers['x-webhook-hmac'],
			webhookSignature(JSON.stringify(events[0]), HMAC_KEY),
		);
		assert.ok(Math.abs(Number(delivery.headers['x-webhook-timestamp']) - Date.now()) < 60_000);
		assert.equal(delivery.body.timestamp, undefined);

		received = [];
		await useProfile({ version: '2025.3.1' });
		await emitMessage();
		assert.equal(typeof received[0].body.timestamp, 'number');
		assert.match(received[0].body.id, /^evt_[0-9a-z]{26}$/);
	});

	test('Plus signs on any version', async () => {
		await useProfile({ tier: 'PLUS', version: '2024.6.1' });
		await subscribe({ hmac: { key: HMAC_KEY } });
		await emitMessage();
		assert.equal(typeof received[0].headers['x-webhook-hmac'], 'string');
	});

	test('a failed delivery is retried per the webhook’s retries, with the same body', async () => {
		answers = [500, 503];
		await subscribe({ retries: { policy: 'constant', delaySeconds: 0.05, attempts: 4 } });
		const { deliveries } = await emitMessage();
		assert.equal(received.length, 3);
		assert.deepEqual(received[2].body, received[0].body);
		assert.notEqual(
			received[2].headers['x-webhook-request-id'],
			received[0].headers['x-webhook-request-id'],
		);
		assert.equal(deliveries[0].status, 200);
		assert.equal(deliveries[0].attempts, 3);
	});

	test('attempts are capped, and Core before 2024.11.5 tries once', async () => {
		answers = [500, 500, 500, 500];
		await subscribe({ retries: { policy: 'linear', delaySeconds: 0.02, attempts: 2 } });
		assert.equal((await emitMessage()).deliveries[0].status, 500);
		assert.equal(received.length, 2);

		received = [];
		answers = [500, 500];
		await useProfile({ version: '2024.10.1' });
		await emitMessage();
		assert.equal(received.length, 1);
	});
});

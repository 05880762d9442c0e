// @ts-check
/**
 * The sandbox emulates Kaspi and WAHA for the nodes' end-to-end tests, so its own behaviour is
 * pinned here: auth, the Kaspi query rules, status changes, WAHA sends and webhooks, faults and the
 * request log. Run: node --test test/sandbox/
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import { after, before, beforeEach, describe, test } from 'node:test';

import axios from 'axios';

import { startSandbox } from '../../sandbox/server.mjs';
import { webhookSignature } from '../../sandbox/services/waha.mjs';

const KASPI_TOKEN = 'sandbox-kaspi-token';
const WAHA_KEY = 'sandbox-waha-key';
const DAY_MS = 24 * 60 * 60 * 1000;

/** @type {Awaited<ReturnType<typeof startSandbox>>} */
let sandbox;
/** @type {import('axios').AxiosInstance} */
let kaspi;
/** @type {import('axios').AxiosInstance} */
let waha;
/** @type {import('axios').AxiosInstance} */
let control;

/** Every status is asserted explicitly, so none of them throws. */
const acceptAnyStatus = () => true;

before(async () => {
	sandbox = await startSandbox();
	kaspi = axios.create({
		baseURL: sandbox.baseUrls.kaspi,
		headers: { 'X-Auth-Token': KASPI_TOKEN, 'Content-Type': 'application/vnd.api+json' },
		validateStatus: acceptAnyStatus,
	});
	waha = axios.create({
		baseURL: sandbox.baseUrls.waha,
		headers: { 'X-Api-Key': WAHA_KEY },
		validateStatus: acceptAnyStatus,
	});
	control = axios.create({ baseURL: `${sandbox.url}/_control`, validateStatus: acceptAnyStatus });
});

after(() => sandbox.close());

beforeEach(async () => {
	const reset = await control.post('/reset', {});
	assert.equal(reset.status, 200);
});

/**
 * `GET /orders` with the bracketed names percent-encoded, as Python `requests` and many Kaspi
 * clients send them.
 * @param {Record<string, string | number>} params
 * @param {Record<string, string>} [headers]
 */
function listOrders(params, headers) {
	const query = new URLSearchParams(
		Object.fromEntries(Object.entries(params).map(([name, value]) => [name, String(value)])),
	);
	return kaspi.get(`/orders?${query}`, { headers });
}

/** @param {number} from @param {number} to */
function windowParams(from, to, pageSize = 100, pageNumber = 0) {
	return {
		'page[number]': pageNumber,
		'page[size]': pageSize,
		'filter[orders][creationDate][$ge]': from,
		'filter[orders][creationDate][$le]': to,
	};
}

/** @param {Record<string, unknown>} spec */
async function createOrder(spec) {
	const response = await control.post('/kaspi/orders', { orders: [spec] });
	assert.equal(response.status, 201);
	return response.data[0];
}

/** The state an order is in now, as the seller cabinet shows it. @param {{ code: string }} order */
async function stateOf(order) {
	const all = (await control.get('/kaspi/orders')).data;
	return all.find((/** @type {any} */ candidate) => candidate.code === order.code).state;
}

/** @param {{ id: string, code: string }} order @param {string} status @param {object} [extra] */
function changeStatus(order, status, extra = {}) {
	return kaspi.post('/orders', {
		data: { type: 'orders', id: order.id, attributes: { code: order.code, status, ...extra } },
	});
}

describe('Kaspi', () => {
	test('rejects a missing or wrong X-Auth-Token with a JSON:API 401', async () => {
		const now = Date.now();
		for (const headers of [{ 'X-Auth-Token': '' }, { 'X-Auth-Token': 'wrong-token' }]) {
			const response = await listOrders(windowParams(now - DAY_MS, now), headers);
			assert.equal(response.status, 401);
			assert.match(String(response.headers['content-type']), /^application\/vnd\.api\+json/);
			assert.match(response.data.errors[0].title, /X-Auth-Token/);
		}
	});

	test('refuses a creation window over 14 days, a missing start and an oversized page', async () => {
		const now = Date.now();
		const tooLong = await listOrders(windowParams(now - 14 * DAY_MS - 1, now));
		assert.equal(tooLong.status, 400);
		assert.match(tooLong.data.errors[0].title, /14 days/);

		const exactly14Days = await listOrders(windowParams(now - 14 * DAY_MS, now));
		assert.equal(exactly14Days.status, 200);

		const noStart = await listOrders({ 'page[number]': 0, 'page[size]': 10 });
		assert.equal(noStart.status, 400);
		assert.match(noStart.data.errors[0].title, /creationDate\]\[\$ge\] is required/);

		const bigPage = await listOrders(windowParams(now - DAY_MS, now, 101));
		assert.equal(bigPage.status, 400);
		assert.match(bigPage.data.errors[0].title, /page\[size\]/);
	});

	test('pages through a window with pageCount/totalCount, in no creation-date order', async () => {
		const now = Date.now();
		const from = now - 14 * DAY_MS;
		const all = (await control.get('/kaspi/orders')).data;
		const expected = all.filter(
			(/** @type {any} */ order) => order.creationDate >= from && order.creationDate <= now,
		);
		assert.ok(expected.length > 5, 'seed data has enough orders in the last 14 days to span pages');

		const first = await listOrders(windowParams(from, now, 5));
		assert.equal(first.status, 200);
		assert.deepEqual(first.data.meta, {
			pageCount: Math.ceil(expected.length / 5),
			totalCount: expected.length,
		});
		assert.deepEqual(first.data.included, []);

		/** @type {any[]} */
		const seen = [];
		for (let page = 0; page < first.data.meta.pageCount; page++) {
			const response = await listOrders(windowParams(from, now, 5, page));
			seen.push(...response.data.data);
		}
		const beyond = await listOrders(windowParams(from, now, 5, first.data.meta.pageCount));
		assert.deepEqual(beyond.data.data, []);

		assert.deepEqual(
			seen.map((order) => order.attributes.code).sort(),
			expected.map((/** @type {any} */ order) => order.code).sort(),
		);
		// Kaspi guarantees no sorting: a client that relies on creation order must fail here.
		const dates = seen.map((order) => order.attributes.creationDate);
		assert.notDeepEqual(
			dates,
			[...dates].sort((a, b) => a - b),
		);
		assert.notDeepEqual(
			dates,
			[...dates].sort((a, b) => b - a),
		);
	});

	test('filters by state and finds one order by code without a date range', async () => {
		const now = Date.now();
		const newOrders = await listOrders({
			...windowParams(now - 14 * DAY_MS, now),
			'filter[orders][state]': 'NEW',
		});
		assert.ok(newOrders.data.data.length > 0);
		assert.ok(
			newOrders.data.data.every((/** @type {any} */ order) => order.attributes.state === 'NEW'),
		);

		const badState = await listOrders({
			...windowParams(now - DAY_MS, now),
			'filter[orders][state]': 'NEW,PICKUP',
		});
		assert.equal(badState.status, 400);

		const target = newOrders.data.data[0];
		const byCode = await listOrders({
			'page[number]': 0,
			'page[size]': 1,
			'filter[orders][code]': target.attributes.code,
		});
		assert.equal(byCode.status, 200);
		assert.equal(byCode.data.data.length, 1);
		assert.equal(byCode.data.data[0].id, target.id);
	});

	test('include[orders]=entries puts the lines in included; /orders/{id}/entries returns the same', async () => {
		const order = await createOrder({
			customer: { firstName: 'Айгерим', lastName: 'Сейткали', cellPhone: '7012345678' },
			entries: [
				{ sku: 'ALS-77031', name: 'Мышь Logitech M185 серый', quantity: 2, basePrice: 6490 },
				{
					sku: 'KNG-DTX64',
					name: 'USB-флешка Kingston DataTraveler Exodia 64 ГБ',
					basePrice: 3490,
				},
			],
		});
		const response = await listOrders({
			'page[number]': 0,
			'page[size]': 10,
			'filter[orders][code]': order.code,
			'include[orders]': 'entries',
		});
		assert.equal(response.status, 200);
		const [resource] = response.data.data;
		assert.equal(resource.attributes.totalPrice, 2 * 6490 + 3490);
		assert.equal(resource.attributes.customer.cellPhone, '7012345678');

		const entryIds = resource.relationships.entries.data.map((/** @type {any} */ ref) => ref.id);
		const included = response.data.included;
		assert.deepEqual(
			included.map((/** @type {any} */ entry) => [entry.type, entry.id]),
			entryIds.map((/** @type {string} */ id) => ['orderentries', id]),
		);
		assert.deepEqual(included[0].attributes.offer, {
			code: 'ALS-77031',
			name: 'Мышь Logitech M185 серый',
		});
		assert.equal(included[0].attributes.quantity, 2);
		assert.equal(included[0].attributes.totalPrice, 12980);
		assert.equal(Buffer.from(included[0].id, 'base64url').toString(), `${order.code}##0`);

		const entries = await kaspi.get(`/orders/${order.id}/entries`);
		assert.equal(entries.status, 200);
		assert.deepEqual(entries.data.data, included);

		const missing = await kaspi.get('/orders/bm9wZQ/entries');
		assert.equal(missing.status, 404);
		assert.ok(missing.data.errors[0].title);
	});

	test('include[orders]=user adds the buyer as a customers resource', async () => {
		const order = await createOrder({
			customer: { firstName: 'Нурлан', lastName: 'Абенов', cellPhone: '7771234567' },
		});
		const response = await listOrders({
			'page[number]': 0,
			'page[size]': 1,
			'filter[orders][code]': order.code,
			'include[orders]': 'user',
		});
		const [resource] = response.data.data;
		assert.deepEqual(response.data.included, [
			{
				type: 'customers',
				id: resource.relationships.user.data.id,
				attributes: { firstName: 'Нурлан', lastName: 'Абенов', cellPhone: '7771234567' },
			},
		]);
	});

	test('accepting moves a NEW order to its delivery tab; bad transitions are 400', async () => {
		const pickup = await createOrder({ deliveryMode: 'DELIVERY_PICKUP', isKaspiDelivery: false });
		assert.equal(pickup.state, 'NEW');
		assert.equal(pickup.status, 'APPROVED_BY_BANK');

		const accepted = await changeStatus(pickup, 'ACCEPTED_BY_MERCHANT');
		assert.equal(accepted.status, 200);
		assert.equal(accepted.data.data.id, pickup.id);
		assert.deepEqual(accepted.data.data.attributes, {
			code: pickup.code,
			status: 'ACCEPTED_BY_MERCHANT',
		});
		assert.equal(await stateOf(pickup), 'PICKUP');

		const again = await changeStatus(pickup, 'ACCEPTED_BY_MERCHANT');
		assert.equal(again.status, 400);
		assert.match(again.data.errors[0].title, /cannot be accepted/);

		const completed = await changeStatus(pickup, 'COMPLETED');
		assert.equal(completed.data.data.attributes.status, 'COMPLETED');
		assert.equal(await stateOf(pickup), 'ARCHIVE');
		const completedAgain = await changeStatus(pickup, 'COMPLETED');
		assert.equal(
			completedAgain.data.errors[0].title,
			"Order already has been completed, so it can't be completed again.",
		);

		const kaspiDelivery = await createOrder({ deliveryMode: 'DELIVERY_REGIONAL_TODOOR' });
		await changeStatus(kaspiDelivery, 'ACCEPTED_BY_MERCHANT');
		assert.equal(await stateOf(kaspiDelivery), 'KASPI_DELIVERY');

		const toCancel = await createOrder({});
		const noReason = await changeStatus(toCancel, 'CANCELLED');
		assert.equal(noReason.status, 400);
		assert.match(noReason.data.errors[0].title, /cancellationReason/);
		const cancelled = await changeStatus(toCancel, 'CANCELLED', {
			cancellationReason: 'MERCHANT_OUT_OF_STOCK',
		});
		assert.deepEqual(cancelled.data.data.attributes, {
			code: toCancel.code,
			status: 'CANCELLED',
			cancellationReason: 'MERCHANT_OUT_OF_STOCK',
		});
		assert.equal(await stateOf(toCancel), 'ARCHIVE');

		const wrongCode = await changeStatus({ id: kaspiDelivery.id, code: '000000000' }, 'COMPLETED');
		assert.equal(wrongCode.status, 400);

		const listed = (await control.get('/kaspi/orders')).data.find(
			(/** @type {any} */ order) => order.code === pickup.code,
		);
		assert.equal(listed.status, 'COMPLETED');
	});

	test('control API creates generated orders and patches state like the seller cabinet', async () => {
		const created = await control.post('/kaspi/orders', { count: 2 });
		assert.equal(created.status, 201);
		assert.equal(created.data.length, 2);
		for (const order of created.data) {
			assert.match(order.code, /^[1-9]\d{8}$/);
			assert.ok(order.entries.length > 0);
		}
		const patched = await control.patch(`/kaspi/orders/${created.data[0].code}`, {
			state: 'ARCHIVE',
			status: 'CANCELLED',
			customer: { cellPhone: '+0(000)-000-00-00' },
		});
		assert.equal(patched.status, 200);
		assert.equal(patched.data.state, 'ARCHIVE');
		assert.equal(patched.data.customer.cellPhone, '+0(000)-000-00-00');

		const single = await kaspi.get(`/orders/${created.data[0].id}`);
		assert.equal(single.data.data.attributes.status, 'CANCELLED');

		const duplicate = await control.post('/kaspi/orders', {
			orders: [{ code: created.data[1].code }],
		});
		assert.equal(duplicate.status, 409);
	});

	test('seed data is deterministic and realistic', async () => {
		const other = await startSandbox();
		try {
			const mine = (await control.get('/kaspi/orders')).data;
			const theirs = (await axios.get(`${other.url}/_control/kaspi/orders`)).data;
			assert.deepEqual(
				mine.map((/** @type {any} */ order) => [order.code, order.id, order.customer]),
				theirs.map((/** @type {any} */ order) => [order.code, order.id, order.customer]),
			);
			const phones = mine.map((/** @type {any} */ order) => order.customer?.cellPhone);
			assert.ok(phones.includes('+0(000)-000-00-00'), 'some phones are masked');
			assert.ok(phones.includes(null), 'some phones are absent');
			assert.ok(
				phones.some((/** @type {any} */ phone) => /^7(0[0-8]|47|7[1-8])\d{7}$/.test(phone)),
				'real-looking KZ mobiles',
			);
		} finally {
			await other.close();
		}
		const empty = await control.post('/reset', { seed: false });
		assert.equal(empty.status, 200);
		assert.deepEqual((await control.get('/kaspi/orders')).data, []);
		assert.deepEqual((await waha.get('/api/sessions?all=true')).data, []);
	});

	test('reset seeds only the services named, and refuses an unknown one', async () => {
		await control.post('/reset', { seed: false });
		const seeded = await control.post('/reset', { seed: true, services: ['alstyle', 'webkassa'] });
		assert.deepEqual(seeded.data.reset.sort(), ['alstyle', 'webkassa']);
		assert.ok((await control.get('/alstyle/state')).data.products > 0, 'Al-Style catalogue seeded');
		assert.deepEqual((await control.get('/kaspi/orders')).data, [], 'Kaspi left empty');
		const unknown = await control.post('/reset', { services: ['kaspi', 'ozon'] });
		assert.equal(unknown.status, 400);
		assert.match(unknown.data.error ?? JSON.stringify(unknown.data), /services/);
		await control.post('/reset', { seed: true });
	});
});

describe('WAHA', () => {
	test('rejects a wrong X-Api-Key with 401 Unauthorized', async () => {
		const response = await waha.get('/api/sessions', { headers: { 'X-Api-Key': 'nope' } });
		assert.equal(response.status, 401);
		assert.deepEqual(response.data, { message: 'Unauthorized', statusCode: 401 });
	});

	test('sendText returns 201 with a WEBJS message; 422 when the session is FAILED; 404 and 400', async () => {
		const sent = await waha.post('/api/sendText', {
			session: 'default',
			chatId: '77011234567@c.us',
			text: 'Ваш заказ №1042 оплачен ✅',
		});
		assert.equal(sent.status, 201);
		assert.match(sent.data.id, /^true_77011234567@c\.us_3EB0[0-9A-F]{18}$/);
		assert.equal(sent.data._data.id._serialized, sent.data.id);
		assert.equal(sent.data.fromMe, true);
		assert.equal(sent.data.from, '77770000000@c.us');
		assert.equal(sent.data.to, '77011234567@c.us');
		assert.equal(sent.data.body, 'Ваш заказ №1042 оплачен ✅');
		assert.equal(sent.data.ackName, 'PENDING');
		assert.ok(Math.abs(sent.data.timestamp - Date.now() / 1000) < 5, 'timestamp is in seconds');

		const image = await waha.post('/api/sendFile', {
			session: 'default',
			chatId: '77011234567@c.us',
			caption: 'Счёт-фактура',
			file: {
				mimetype: 'application/pdf',
				filename: 'invoice-1042.pdf',
				url: 'https://files.example.kz/invoice-1042.pdf',
			},
		});
		assert.equal(image.status, 201);
		assert.equal(image.data.hasMedia, true);

		const missingText = await waha.post('/api/sendText', {
			session: 'default',
			chatId: '77011234567@c.us',
		});
		assert.equal(missingText.status, 400);
		assert.ok(missingText.data.message.includes('text should not be empty'));

		const unknown = await waha.post('/api/sendText', {
			session: 'nope',
			chatId: '77011234567@c.us',
			text: 'x',
		});
		assert.equal(unknown.status, 404);
		assert.match(unknown.data.message, /We didn't find a session with name 'nope'/);

		const failed = await control.post('/waha/sessions/default/status', { status: 'FAILED' });
		assert.equal(failed.status, 200);
		assert.equal(failed.data.session.status, 'FAILED');
		const refused = await waha.post('/api/sendText', {
			session: 'default',
			chatId: '77011234567@c.us',
			text: 'x',
		});
		assert.equal(refused.status, 422);
		assert.deepEqual(refused.data, {
			error: 'Session status is not as expected. Try again later or restart the session',
			session: 'default',
			status: 'FAILED',
			expected: ['WORKING'],
		});

		const messages = (await control.get('/waha/messages')).data;
		assert.deepEqual(
			messages.map((/** @type {any} */ message) => [
				message.kind,
				message.chatId,
				message.text ?? message.caption,
			]),
			[
				['text', '77011234567@c.us', 'Ваш заказ №1042 оплачен ✅'],
				['file', '77011234567@c.us', 'Счёт-фактура'],
			],
		);
	});

	test('typing and seen return 201 with an empty body and {}', async () => {
		const typing = await waha.post('/api/startTyping', {
			session: 'default',
			chatId: '77011234567@c.us',
		});
		assert.equal(typing.status, 201);
		assert.equal(typing.headers['content-length'], '0');
		const seen = await waha.post('/api/sendSeen', {
			session: 'default',
			chatId: '77011234567@c.us',
		});
		assert.equal(seen.status, 201);
		assert.deepEqual(seen.data, {});
	});

	test('check-exists: numbers ending in 00 are not on WhatsApp, overrides change that', async () => {
		const exists = await waha.get('/api/contacts/check-exists', {
			params: { phone: '77011234567', session: 'default' },
		});
		assert.deepEqual(exists.data, { numberExists: true, chatId: '77011234567@c.us' });

		const absent = await waha.get('/api/contacts/check-exists', {
			params: { phone: '77011234500', session: 'default' },
		});
		assert.deepEqual(absent.data, { numberExists: false });

		const override = await control.post('/waha/numbers', {
			phones: ['77011234567'],
			exists: false,
		});
		assert.equal(override.status, 200);
		const nowAbsent = await waha.get('/api/contacts/check-exists', {
			params: { phone: '77011234567', session: 'default' },
		});
		assert.deepEqual(nowAbsent.data, { numberExists: false });
	});

	test('chat messages: newest first, %40-escaped chat id, filter.fromMe (OAS), limit', async () => {
		for (const text of ['first', 'second']) {
			await waha.post('/api/sendText', { session: 'default', chatId: '77011234567@c.us', text });
		}
		await waha.post('/api/sendText', {
			session: 'default',
			chatId: '77029876543@c.us',
			text: 'other chat',
		});
		const inbound = await control.post('/waha/inbound', {
			session: 'default',
			from: '77011234567',
			body: 'reply from buyer',
		});
		assert.equal(inbound.status, 200);

		const all = await waha.get(
			'/api/default/chats/77011234567%40c.us/messages?limit=10&downloadMedia=false',
		);
		assert.equal(all.status, 200);
		assert.deepEqual(
			all.data.map((/** @type {any} */ message) => [message.body, message.fromMe]),
			[
				['reply from buyer', false],
				['second', true],
				['first', true],
			],
		);
		const mine = await waha.get(
			'/api/default/chats/77011234567%40c.us/messages?limit=1&filter.fromMe=true',
		);
		assert.deepEqual(
			mine.data.map((/** @type {any} */ message) => message.body),
			['second'],
		);
	});

	test('QR code: PNG bytes for image/png, base64 JSON for application/json', async () => {
		const png = await waha.get('/api/default/auth/qr?format=image', {
			headers: { Accept: 'image/png' },
			responseType: 'arraybuffer',
		});
		assert.equal(png.status, 200);
		assert.equal(png.headers['content-type'], 'image/png');
		const bytes = Buffer.from(png.data);
		assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

		const asJson = await waha.get('/api/default/auth/qr?format=image', {
			headers: { Accept: 'application/json' },
		});
		assert.equal(asJson.data.mimetype, 'image/png');
		assert.deepEqual(Buffer.from(asJson.data.data, 'base64'), bytes);
	});

	test('session lifecycle: create without start, start waits for a QR scan, list with all=true', async () => {
		const created = await waha.post('/api/sessions', { name: 'shop2', start: false });
		assert.equal(created.status, 201);
		assert.equal(created.data.status, 'STOPPED');
		const running = (await waha.get('/api/sessions')).data.map(
			(/** @type {any} */ session) => session.name,
		);
		assert.deepEqual(running, ['default']);
		const all = (await waha.get('/api/sessions?all=true')).data.map(
			(/** @type {any} */ session) => session.name,
		);
		assert.deepEqual(all, ['default', 'shop2']);

		const started = await waha.post('/api/sessions/shop2/start');
		assert.equal(started.data.status, 'SCAN_QR_CODE');
		assert.equal((await waha.get('/api/sessions/shop2/me')).data, null);

		await control.post('/waha/sessions/shop2/status', { status: 'WORKING' });
		const me = await waha.get('/api/sessions/shop2/me');
		assert.match(me.data.id, /^7777\d{7}@c\.us$/);
	});

	test('webhook signature matches the WAHA docs test vector', () => {
		const body = '{"event":"message","session":"default","engine":"WEBJS"}';
		assert.equal(
			webhookSignature(Buffer.from(body), 'my-secret-key'),
			'208f8a55dde9e05519e898b10b89bf0d0b3b0fdf11fdbf09b6b90476301b98d8097c462b2b17a6ce93b6b47a136cf2e78a33a63f6752c2c1631777076153fa89',
		);
	});

	test('inbound message is delivered to subscribed webhooks with a valid HMAC over the raw body', async () => {
		/** @type {Array<{ path: string | undefined, headers: http.IncomingHttpHeaders, raw: Buffer }>} */
		const received = [];
		const receiver = http.createServer((req, res) => {
			/** @type {Buffer[]} */
			const chunks = [];
			req.on('data', (chunk) => chunks.push(chunk));
			req.on('end', () => {
				received.push({ path: req.url, headers: req.headers, raw: Buffer.concat(chunks) });
				res.writeHead(200).end();
			});
		});
		await new Promise((resolve) => receiver.listen(0, '127.0.0.1', () => resolve(undefined)));
		const { port } = /** @type {import('node:net').AddressInfo} */ (receiver.address());
		try {
			const hmacKey = 'shared-secret-Ә';
			const configured = await waha.put('/api/sessions/default', {
				name: 'default',
				config: {
					metadata: { tenant: 'shop-42' },
					webhooks: [
						{ url: `http://127.0.0.1:${port}/signed`, events: ['message'], hmac: { key: hmacKey } },
						{ url: `http://127.0.0.1:${port}/status-only`, events: ['session.status'] },
					],
				},
			});
			assert.equal(configured.status, 200);

			const result = await control.post('/waha/inbound', {
				session: 'default',
				from: '77011234567',
				body: 'Здравствуйте, есть в наличии?',
			});
			assert.equal(result.status, 200);
			assert.deepEqual(
				result.data.deliveries.map((/** @type {any} */ delivery) => [
					delivery.url,
					delivery.event,
					delivery.status,
				]),
				[[`http://127.0.0.1:${port}/signed`, 'message', 200]],
			);
			// The PUT restarted the session, so /status-only also gets session.status events.
			const signed = received.filter((request) => request.path === '/signed');
			assert.equal(signed.length, 1);

			const [{ headers, raw }] = signed;
			const expected = createHmac('sha512', hmacKey).update(raw).digest('hex');
			assert.equal(headers['x-webhook-hmac'], expected);
			assert.equal(headers['x-webhook-hmac-algorithm'], 'sha512');
			assert.ok(headers['x-webhook-request-id']);
			assert.ok(
				Math.abs(Number(headers['x-webhook-timestamp']) - Date.now()) < 5000,
				'timestamp header in ms',
			);

			const event = JSON.parse(raw.toString('utf8'));
			assert.match(event.id, /^evt_[0-9a-z]{26}$/);
			assert.equal(event.event, 'message');
			assert.equal(event.session, 'default');
			assert.deepEqual(event.metadata, { tenant: 'shop-42' });
			assert.deepEqual(event.me, { id: '77770000000@c.us', pushName: 'Sandbox Shop' });
			assert.equal(event.engine, 'WEBJS');
			assert.equal(event.environment.tier, 'CORE');
			assert.equal(event.payload.from, '77011234567@c.us');
			assert.equal(event.payload.fromMe, false);
			assert.equal(event.payload.body, 'Здравствуйте, есть в наличии?');
			assert.deepEqual(result.data.events[0], event);

			const statusChange = await control.post('/waha/sessions/default/status', {
				status: 'STOPPED',
			});
			assert.deepEqual(
				statusChange.data.deliveries.map((/** @type {any} */ delivery) => [
					delivery.url,
					delivery.status,
				]),
				[[`http://127.0.0.1:${port}/status-only`, 200]],
			);
			const stopped = received.find(
				(request) => JSON.parse(request.raw.toString('utf8')).payload.status === 'STOPPED',
			);
			assert.equal(stopped?.path, '/status-only');
			assert.equal(stopped?.headers['x-webhook-hmac'], undefined, 'unsigned without hmac.key');
		} finally {
			await new Promise((resolve) => receiver.close(() => resolve(undefined)));
		}
	});
});

describe('faults', () => {
	test('http5xx affects exactly `times` matching requests, then clears itself', async () => {
		const added = await control.post('/faults', {
			service: 'waha',
			fault: 'http5xx',
			times: 2,
			pathContains: 'sendText',
		});
		assert.equal(added.status, 201);

		const other = await waha.get('/api/sessions');
		assert.equal(other.status, 200, 'pathContains limits the fault');
		const body = { session: 'default', chatId: '77011234567@c.us', text: 'retry me' };
		const statuses = [];
		for (let i = 0; i < 3; i++) statuses.push((await waha.post('/api/sendText', body)).status);
		assert.deepEqual(statuses, [503, 503, 201]);
		assert.deepEqual((await control.get('/faults')).data, []);

		const sent = (await control.get('/waha/messages')).data;
		assert.equal(sent.length, 1, 'failed attempts did not send');
	});

	test('http429 carries Retry-After; http401 rejects a correct token; custom 5xx status', async () => {
		await control.post('/faults', { service: 'kaspi', fault: 'http429', times: 1 });
		const now = Date.now();
		const limited = await listOrders(windowParams(now - DAY_MS, now));
		assert.equal(limited.status, 429);
		assert.equal(limited.headers['retry-after'], '1');
		assert.ok(limited.data.errors[0].title);

		await control.post('/faults', { service: 'kaspi', fault: 'http401', times: 1 });
		const rejected = await listOrders(windowParams(now - DAY_MS, now));
		assert.equal(rejected.status, 401);

		await control.post('/faults', { service: 'kaspi', fault: 'http5xx', status: 502, times: 1 });
		assert.equal((await listOrders(windowParams(now - DAY_MS, now))).status, 502);
		assert.equal((await listOrders(windowParams(now - DAY_MS, now))).status, 200);
	});

	test('timeout holds the request past the client timeout, yet the request still takes effect', async () => {
		await control.post('/faults', { service: 'waha', fault: 'timeout', delayMs: 400, times: 1 });
		await assert.rejects(
			waha.post(
				'/api/sendText',
				{ session: 'default', chatId: '77011234567@c.us', text: 'slow' },
				{ timeout: 100 },
			),
			(/** @type {any} */ error) => error.code === 'ECONNABORTED',
		);
		await new Promise((resolve) => setTimeout(resolve, 600));
		const [entry] = (
			await control.get('/requests', { params: { service: 'waha', pathContains: 'sendText' } })
		).data;
		assert.equal(entry.fault, 'timeout');
		assert.equal(entry.status, 201);
		assert.equal(entry.clientAborted, true);
		assert.equal(
			(await control.get('/waha/messages')).data.length,
			1,
			'a timed-out send may still have been sent',
		);
	});

	test('down closes the connection without a response', async () => {
		await control.post('/faults', { service: 'kaspi', fault: 'down' });
		await assert.rejects(
			kaspi.get('/orders/anything'),
			(/** @type {any} */ error) => error.code === 'ECONNRESET',
		);
		await assert.rejects(
			kaspi.get('/orders/anything'),
			(/** @type {any} */ error) => error.code === 'ECONNRESET',
		);
		const cleared = await control.delete('/faults');
		assert.deepEqual(cleared.data, { faults: [] });
		assert.equal((await kaspi.get('/orders/anything')).status, 404);
	});

	test('unknown faults and sessionNotWorking are refused with a pointer to the status route', async () => {
		const unknown = await control.post('/faults', { service: 'kaspi', fault: 'meltdown' });
		assert.equal(unknown.status, 400);
		const notWorking = await control.post('/faults', {
			service: 'waha',
			fault: 'sessionNotWorking',
		});
		assert.equal(notWorking.status, 400);
		assert.match(notWorking.data.error, /\/_control\/waha\/sessions\/\{name\}\/status/);
	});

	test('a request held by a timeout fault does not block close()', async () => {
		const local = await startSandbox();
		await axios.post(`${local.url}/_control/faults`, { service: 'kaspi', fault: 'timeout' });
		const held = axios
			.get(`${local.baseUrls.kaspi}/orders/x`, { headers: { 'X-Auth-Token': KASPI_TOKEN } })
			.catch((error) => error);
		await new Promise((resolve) => setTimeout(resolve, 100));
		const started = Date.now();
		await local.close();
		assert.ok(Date.now() - started < 2000, 'close() returned promptly');
		const error = await held;
		assert.ok(error instanceof Error, 'the held request was dropped');
	});
});

describe('request log', () => {
	test('records method, path, decoded query, body and status, but never the credential', async () => {
		const now = Date.now();
		await listOrders(windowParams(now - DAY_MS, now, 7));
		await listOrders(windowParams(now - DAY_MS, now), { 'X-Auth-Token': 'leaked-wrong-token' });
		await waha.post(
			'/api/sendText',
			{ session: 'default', chatId: '77011234567@c.us', text: 'logged' },
			{ headers: { 'User-Agent': 'n8n-test' } },
		);

		const kaspiLog = (await control.get('/requests', { params: { service: 'kaspi' } })).data;
		assert.equal(kaspiLog.length, 2);
		assert.equal(kaspiLog[0].method, 'GET');
		assert.equal(kaspiLog[0].path, '/orders');
		assert.equal(kaspiLog[0].query['page[size]'], '7', 'percent-encoded names are decoded');
		assert.equal(kaspiLog[0].headers.auth, 'valid');
		assert.equal(kaspiLog[0].status, 200);
		assert.equal(kaspiLog[1].headers.auth, 'invalid');
		assert.equal(kaspiLog[1].status, 401);

		const sendLog = (
			await control.get('/requests', { params: { service: 'waha', pathContains: 'sendText' } })
		).data;
		assert.equal(sendLog.length, 1);
		assert.deepEqual(sendLog[0].body, {
			session: 'default',
			chatId: '77011234567@c.us',
			text: 'logged',
		});
		assert.equal(sendLog[0].headers['user-agent'], 'n8n-test');
		assert.match(sendLog[0].headers['content-type'], /application\/json/);

		const everything = JSON.stringify((await control.get('/requests')).data);
		for (const secret of [KASPI_TOKEN, WAHA_KEY, 'leaked-wrong-token'])
			assert.ok(!everything.includes(secret), `log does not contain ${secret}`);

		await control.delete('/requests');
		assert.deepEqual((await control.get('/requests')).data, []);
	});

	test('health lists every service base URL', async () => {
		const health = await control.get('/health');
		assert.equal(health.data.status, 'ok');
		assert.deepEqual(
			health.data.services,
			Object.entries(sandbox.baseUrls).map(([name, baseUrl]) => ({ name, baseUrl })),
		);
		assert.ok(
			health.data.services.some(
				(/** @type {{ name: string }} */ service) => service.name === 'kaspi',
			),
		);
		assert.ok(
			health.data.services.some(
				(/** @type {{ name: string }} */ service) => service.name === 'waha',
			),
		);
	});
});

// @ts-check
/**
 * `POST /_control/amocrm/seed` (sandbox/services/amocrm/seed.mjs): a busy account of deals,
 * contacts and products written in one call, as the amoCRM bench uses it, and read back through
 * the emulated API like any other record. Run: node --test test/sandbox/amocrm-seed.test.mjs
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import axios from 'axios';

import { startSandbox } from '../../sandbox/server.mjs';
import { AMOCRM_DEFAULT_TOKEN, SEED } from '../../sandbox/services/amocrm.mjs';

/** @type {Awaited<ReturnType<typeof startSandbox>>} */
let sandbox;
/** @type {import('axios').AxiosInstance} */
let amo;
/** @type {import('axios').AxiosInstance} */
let control;

before(async () => {
	sandbox = await startSandbox();
	const validateStatus = () => true;
	amo = axios.create({
		baseURL: `${sandbox.baseUrls.amocrm}/api/v4`,
		headers: { Authorization: `Bearer ${AMOCRM_DEFAULT_TOKEN}` },
		validateStatus,
	});
	control = axios.create({ baseURL: `${sandbox.url}/_control`, validateStatus });
	// Reads here are few, but keep the limit out of the way of a slow machine.
	await control.post('/amocrm/limits', { rps: 1000 });
});

after(async () => await sandbox.close());

describe('amoCRM bulk seed', () => {
	test('seeds the bench account (50,000 deals, 30,000 contacts, 5,000 products) in one fast call', async () => {
		await control.post('/reset', { seed: false });
		await control.post('/amocrm/limits', { rps: 1000 });
		const started = Date.now();
		const seeded = await control.post('/amocrm/seed', {
			leads: 50_000,
			recentLeads: 10_000,
			recentDays: 14,
			contacts: 30_000,
			phones: ['+77011000001', '8 (701) 100-00-02'],
			products: 5_000,
			skus: ['SKU-1'],
		});
		assert.equal(seeded.status, 201);
		assert.deepEqual(
			{ leads: seeded.data.leads, contacts: seeded.data.contacts, elements: seeded.data.elements },
			{ leads: 50_000, contacts: 30_000, elements: 5_000 },
		);
		// A figure, not a timing test: generous enough for a busy 2-core machine.
		assert.ok(Date.now() - started < 30_000, `seeding took ${Date.now() - started} ms`);

		// 10,000 deals in the last 14 days, as the filter sees them.
		const now = Math.floor(Date.now() / 1000);
		let recent = 0;
		for (let page = 1; ; page++) {
			const response = await amo.get('/leads', {
				params: { 'filter[created_at][from]': now - 14 * 86400 - 5, limit: 250, page },
			});
			if (response.status === 204) break;
			recent += response.data._embedded.leads.length;
		}
		assert.equal(recent, 10_000);
		const newest = await amo.get('/leads', { params: { 'order[created_at]': 'desc', limit: 1 } });
		const lead = newest.data._embedded.leads[0];
		assert.ok(lead.created_at <= now && lead.created_at > now - 14 * 86400);
		assert.notEqual(
			(await amo.get('/leads/pipelines')).data._embedded.pipelines
				.flatMap((/** @type {any} */ pipeline) => pipeline._embedded.statuses)
				.find((/** @type {any} */ status) => status.id === lead.status_id)?.type,
			1,
		);

		// The phones given are searchable at once, as written; the others are distinct numbers.
		const found = await amo.get('/contacts', { params: { query: '77011000001' } });
		assert.equal(found.status, 200);
		assert.equal(found.data._embedded.contacts.length, 1);
		const written = await amo.get('/contacts', { params: { query: '8', limit: 250 } });
		assert.ok(
			written.data._embedded.contacts.some(
				(/** @type {any} */ contact) =>
					contact.custom_fields_values[0].values[0].value === '8 (701) 100-00-02',
			),
		);
		const other = await amo.get('/contacts', { params: { page: 3, limit: 250 } });
		const values = other.data._embedded.contacts.map(
			(/** @type {any} */ contact) => contact.custom_fields_values[0].values[0].value,
		);
		assert.equal(new Set(values).size, values.length);

		// Products in the products list, found by SKU.
		const sku = await amo.get(`/catalogs/${SEED.catalogId}/elements`, {
			params: { query: 'SKU-1' },
		});
		assert.equal(sku.status, 200);
		assert.deepEqual(
			sku.data._embedded.elements.map((/** @type {any} */ element) => element.name),
			['Товар SKU-1'],
		);
	});

	test('refuses a malformed request and seeds nothing', async () => {
		await control.post('/reset', { seed: false });
		for (const body of [
			{ leads: -1 },
			{ leads: 10, recentLeads: 11 },
			{ contacts: 1, phones: ['+77010000000', '+77010000001'] },
			{ products: 2, skus: [1] },
		]) {
			const response = await control.post('/amocrm/seed', body);
			assert.equal(response.status, 400, JSON.stringify(body));
		}
		const data = await control.get('/amocrm/data');
		assert.deepEqual(
			[data.data.leads.length, data.data.contacts.length, data.data.elements.length],
			[0, 0, 0],
		);
	});
});

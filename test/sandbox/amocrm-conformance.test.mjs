// @ts-check
/**
 * The amoCRM emulator against amoCRM's public documentation and official SDK
 * (amocrm/amocrm-api-php), not against our node: word-prefix search and its index delay, the 429
 * variants, the rights 403 and the HTML block page, duplicate control's `merged: true`, 50-field
 * pages, unpaginated pipelines, typed custom field values, the incoming stage, and
 * `metadata.catalog_id` on links. Account variants are switched with
 * `POST /_control/amocrm/profile`. Run: node --test test/sandbox/
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import axios from 'axios';

import { startSandbox } from '../../sandbox/server.mjs';
import { AMOCRM_DEFAULT_TOKEN, SEED } from '../../sandbox/services/amocrm.mjs';

/** @type {Awaited<ReturnType<typeof startSandbox>>} */
let sandbox;
/** @type {import('axios').AxiosInstance} */
let amo;
/** @type {import('axios').AxiosInstance} */
let control;

const INCOMING_STATUS = 7100000;
const NUMERIC_FIELD = 900004;
const SELECT_FIELD = 900003;
/** @param {number} ms */
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

before(async () => {
	sandbox = await startSandbox();
	const validateStatus = () => true;
	amo = axios.create({
		baseURL: `${sandbox.baseUrls.amocrm}/api/v4`,
		headers: { Authorization: `Bearer ${AMOCRM_DEFAULT_TOKEN}` },
		validateStatus,
	});
	control = axios.create({ baseURL: `${sandbox.url}/_control`, validateStatus });
});

after(() => sandbox.close());

beforeEach(async () => {
	assert.equal((await control.post('/reset', { seed: false })).status, 200);
	// These tests send quickly; the 7-rps limit is tested on its own below.
	await control.post('/amocrm/limits', { rps: 1000 });
});

/** @param {Record<string, unknown>} profile */
async function setProfile(profile) {
	const answer = await control.post('/amocrm/profile', profile);
	assert.equal(answer.status, 200, JSON.stringify(answer.data));
	return answer.data;
}

/** @param {string} fault */
async function addFault(fault) {
	const answer = await control.post('/faults', { service: 'amocrm', fault, times: 1 });
	assert.equal(answer.status, 201, JSON.stringify(answer.data));
}

/**
 * @param {string} name
 * @param {string} phone
 */
async function createContact(name, phone) {
	const answer = await amo.post('/contacts', [
		{
			name,
			custom_fields_values: [{ field_code: 'PHONE', values: [{ value: phone, enum_code: 'MOB' }] }],
		},
	]);
	assert.equal(answer.status, 200, JSON.stringify(answer.data));
	return answer.data._embedded.contacts[0].id;
}

/** @param {string} query */
async function contactIds(query) {
	const answer = await amo.get('/contacts', { params: { query } });
	if (answer.status === 204) return [];
	assert.equal(answer.status, 200);
	return answer.data._embedded.contacts.map((/** @type {any} */ contact) => contact.id);
}

/**
 * @param {string} code
 * @param {string} phone
 * @param {Record<string, unknown>} [extra]
 */
function complexLead(code, phone, extra = {}) {
	return {
		name: `Kaspi ${code}`,
		price: 1000,
		pipeline_id: SEED.pipelineId,
		status_id: SEED.statusNew,
		request_id: code,
		custom_fields_values: [{ field_id: SEED.orderCodeFieldId, values: [{ value: code }] }],
		_embedded: {
			contacts: [
				{
					first_name: 'Buyer',
					custom_fields_values: [
						{ field_code: 'PHONE', values: [{ value: phone, enum_code: 'MOB' }] },
					],
				},
			],
		},
		...extra,
	};
}

describe('amoCRM search (query)', () => {
	test('matches words by their beginning, never a substring inside a word', async () => {
		const id = await createContact('Асель Омарова', '+7 (701) 555-12-34');
		assert.deepEqual(await contactIds('Асел'), [id], 'the start of a word');
		assert.deepEqual(await contactIds('асель омар'), [id], 'every query word starts a word');
		assert.deepEqual(await contactIds('сель'), [], 'not inside a word');
		assert.deepEqual(await contactIds('77015551234'), [id], 'all the digits of the phone');
		assert.deepEqual(await contactIds('+77015551234'), [id]);
		assert.deepEqual(await contactIds('701'), [id], 'a word of the formatted phone');
		assert.deepEqual(await contactIds('7015551234'), [], 'the national part starts no word');
		assert.deepEqual(await contactIds('5551234'), []);
	});

	test('a new record is found only once the index has it (profile searchDelayMs)', async () => {
		assert.equal((await setProfile({ searchDelayMs: 400 })).searchDelayMs, 400);
		const id = await createContact('Ерлан', '+77775556677');
		assert.deepEqual(await contactIds('77775556677'), [], 'not yet indexed');
		assert.equal((await amo.get(`/contacts/${id}`)).status, 200, 'a read by id sees it at once');
		await pause(500);
		assert.deepEqual(await contactIds('77775556677'), [id]);

		const created = await amo.post('/leads/complex', [complexLead('K-100200', '+77010000001')]);
		assert.equal(created.status, 200);
		const leadQuery = async () =>
			(await amo.get('/leads', { params: { query: 'K-100200' } })).status;
		assert.equal(await leadQuery(), 204, 'a new lead is not searchable yet');
		await pause(500);
		assert.equal(await leadQuery(), 200);
	});

	test('the default profile indexes at once', async () => {
		assert.equal((await control.get('/amocrm/profile')).data.searchDelayMs, 0);
		const id = await createContact('Dana', '+77020000002');
		assert.deepEqual(await contactIds('Dana'), [id]);
	});
});

describe('amoCRM 429', () => {
	test('the rate limit answers retry_after in the body; null leaves it out', async () => {
		await control.post('/amocrm/limits', { rps: 1, blockAfter: 100, retryAfter: 2 });
		await amo.get('/account');
		const limited = await amo.get('/account');
		assert.equal(limited.status, 429);
		assert.equal(limited.data.retry_after, 2);
		assert.match(String(limited.headers['content-type']), /application\/problem\+json/);
		await pause(1100);
		await control.post('/amocrm/limits', { retryAfter: null });
		await amo.get('/account');
		const bare = await amo.get('/account');
		assert.equal(bare.status, 429);
		assert.equal('retry_after' in bare.data, false);
	});

	test('faults: no retry_after, the documented 300, a Retry-After header, a text body', async () => {
		await addFault('http429NoRetryAfter');
		let answer = await amo.get('/account');
		assert.equal(answer.status, 429);
		assert.equal(answer.data.status, 429);
		assert.equal('retry_after' in answer.data, false);

		await addFault('http429LongRetryAfter');
		answer = await amo.get('/account');
		assert.equal(answer.status, 429);
		assert.equal(answer.data.retry_after, 300);

		await addFault('http429RetryAfterHeader');
		answer = await amo.get('/account');
		assert.equal(answer.status, 429);
		assert.equal(answer.headers['retry-after'], '5');
		assert.equal('retry_after' in answer.data, false);

		await addFault('http429Text');
		answer = await amo.get('/account');
		assert.equal(answer.status, 429);
		assert.match(String(answer.headers['content-type']), /text\/plain/);
		assert.equal((await amo.get('/account')).status, 200, 'each fault is spent once');
	});
});

describe('amoCRM 403', () => {
	test('a block after repeated 429s: JSON by default, nginx HTML under blockPage "html"', async () => {
		await control.post('/amocrm/limits', { rps: 1, blockAfter: 1 });
		await amo.get('/account');
		assert.equal((await amo.get('/account')).status, 429);
		const json = await amo.get('/account');
		assert.equal(json.status, 403);
		assert.match(String(json.headers['content-type']), /application\/problem\+json/);

		await setProfile({ blockPage: 'html' });
		const html = await amo.get('/account');
		assert.equal(html.status, 403);
		assert.match(String(html.headers['content-type']), /text\/html/);
		assert.match(String(html.data), /<h1>403 Forbidden<\/h1>[\s\S]*nginx/);
		await control.post('/amocrm/unblock');
		await pause(1100);
		assert.equal((await amo.get('/account')).status, 200);
	});

	test('the HTML block page and the rights 403 as one-off faults', async () => {
		await addFault('http403Html');
		const html = await amo.get('/leads');
		assert.equal(html.status, 403);
		assert.match(String(html.headers['content-type']), /text\/html/);
		await addFault('http403Rights');
		const rights = await amo.get('/leads');
		assert.equal(rights.status, 403);
		assert.equal(rights.data.detail, 'Не хватает прав для вызова данного метода');
	});

	test('/users is admin-only; catalogs need list rights; the rest still works', async () => {
		assert.equal((await amo.get('/users')).status, 200, 'an admin reads users');
		await setProfile({ admin: false, listRights: false });
		const users = await amo.get('/users');
		assert.equal(users.status, 403);
		assert.match(String(users.headers['content-type']), /application\/problem\+json/);
		assert.deepEqual(
			{ status: users.data.status, title: users.data.title, detail: users.data.detail },
			{ status: 403, title: 'Forbidden', detail: 'Не хватает прав для вызова данного метода' },
		);
		assert.equal((await amo.get('/catalogs')).status, 403);
		assert.equal((await amo.get(`/catalogs/${SEED.catalogId}/elements`)).status, 403);
		assert.equal((await amo.get('/account')).status, 200, 'a rights 403 is no block');
		assert.equal((await amo.get('/leads/pipelines')).status, 200, 'pipelines are for every user');
	});
});

describe('amoCRM data rules', () => {
	test('duplicate control (profile): a second complex lead of the same phone answers merged: true', async () => {
		const first = await amo.post('/leads/complex', [complexLead('K-1', '+77011112233')]);
		assert.equal(first.status, 200);
		assert.equal(first.data[0].merged, false);
		const plain = await amo.post('/leads/complex', [complexLead('K-2', '+77011112233')]);
		assert.equal(plain.data[0].merged, false, 'off by default');
		assert.notEqual(plain.data[0].id, first.data[0].id);

		await setProfile({ duplicateControl: true });
		const merged = await amo.post('/leads/complex', [complexLead('K-3', '8 701 111 22 33')]);
		assert.equal(merged.status, 200);
		assert.deepEqual(merged.data[0], {
			id: plain.data[0].id,
			contact_id: plain.data[0].contact_id,
			company_id: null,
			request_id: ['K-3'],
			merged: true,
		});
		const lead = (await amo.get(`/leads/${plain.data[0].id}`)).data;
		assert.equal(lead.custom_fields_values[0].values[0].value, 'K-2', 'the existing values stay');
		const other = await amo.post('/leads/complex', [complexLead('K-4', '+77019998877')]);
		assert.equal(other.data[0].merged, false, 'a new phone is a new lead');
	});

	test('custom_fields come at most 50 a page, whatever limit asks', async () => {
		const first = await amo.get('/leads/custom_fields', { params: { limit: 250 } });
		assert.equal(first.status, 200);
		assert.equal(first.data._embedded.custom_fields.length, 50);
		assert.ok(first.data._links.next, 'a next page');
		const second = await axios.get(first.data._links.next.href, {
			headers: { Authorization: `Bearer ${AMOCRM_DEFAULT_TOKEN}` },
		});
		assert.ok(second.data._embedded.custom_fields.length > 0);
	});

	test('one custom field by its id, with its type; an unknown id is a 404', async () => {
		const list = await amo.get('/leads/custom_fields');
		const [field] = list.data._embedded.custom_fields;
		const one = await amo.get(`/leads/custom_fields/${field.id}`);
		assert.equal(one.status, 200);
		assert.equal(one.data.id, field.id);
		assert.equal(one.data.type, field.type);
		assert.equal((await amo.get('/leads/custom_fields/1')).status, 404);
	});

	test('pipelines come all at once, with no paging', async () => {
		const answer = await amo.get('/leads/pipelines', { params: { limit: 1, page: 1 } });
		assert.equal(answer.status, 200);
		assert.equal(answer.data._embedded.pipelines.length, 2);
		assert.equal(answer.data._total_items, 2);
		assert.equal(answer.data._links.next, undefined);
		assert.equal(answer.data._page, undefined);
		const statuses = answer.data._embedded.pipelines[0]._embedded.statuses;
		assert.equal(
			statuses.find((/** @type {any} */ status) => status.id === INCOMING_STATUS).type,
			1,
		);
	});

	test('custom field values are checked against the field type', async () => {
		/** @param {any[]} values */
		const create = (values) =>
			amo.post('/leads', [{ name: 'Typed', custom_fields_values: values }]);
		const wrong = await create([{ field_id: NUMERIC_FIELD, values: [{ value: 'twelve' }] }]);
		assert.equal(wrong.status, 400);
		assert.equal(wrong.data.title, 'Bad Request');
		assert.equal(wrong.data.detail, 'Request validation failed');
		assert.deepEqual(wrong.data['validation-errors'], [
			{
				request_id: '0',
				errors: [
					{
						code: 'InvalidType',
						path: 'custom_fields_values.0.values.0.value',
						detail: 'This value should be of type numeric.',
					},
				],
			},
		]);
		assert.equal(
			(await create([{ field_id: NUMERIC_FIELD, values: [{ value: 12 }] }])).status,
			200,
		);
		assert.equal(
			(await create([{ field_id: NUMERIC_FIELD, values: [{ value: '12.5' }] }])).status,
			200,
		);
		assert.equal(
			(await create([{ field_id: 900005, values: [{ value: 'yes' }] }])).status,
			400,
			'checkbox wants a boolean',
		);
		assert.equal(
			(await create([{ field_id: 900006, values: [{ value: 'tomorrow' }] }])).status,
			400,
			'date',
		);
		assert.equal(
			(await create([{ field_id: 900007, values: [{ value: 'not a url' }] }])).status,
			400,
			'url',
		);
		const choice = await create([{ field_id: SELECT_FIELD, values: [{ enum_id: 1 }] }]);
		assert.equal(choice.status, 400);
		assert.equal(choice.data['validation-errors'][0].errors[0].code, 'NotSupportedChoice');
		assert.equal(
			(await create([{ field_id: SELECT_FIELD, values: [{ enum_id: 910001 }] }])).status,
			200,
		);
	});

	test('a lead is refused in the incoming stage (type 1), on create and on move', async () => {
		const refused = await amo.post('/leads', [
			{ name: 'x', pipeline_id: SEED.pipelineId, status_id: INCOMING_STATUS },
		]);
		assert.equal(refused.status, 400);
		assert.equal(refused.data['validation-errors'][0].errors[0].path, 'status_id');
		const complex = await amo.post('/leads/complex', [
			complexLead('K-9', '+77013334455', { status_id: INCOMING_STATUS }),
		]);
		assert.equal(complex.status, 400);
		assert.equal((await control.get('/amocrm/data')).data.leads.length, 0);
		const created = await amo.post('/leads', [{ name: 'y', pipeline_id: SEED.pipelineId }]);
		const id = created.data._embedded.leads[0].id;
		assert.equal(
			(await amo.get(`/leads/${id}`)).data.status_id,
			SEED.statusNew,
			'the default stage is the first normal one',
		);
		assert.equal((await amo.patch(`/leads/${id}`, { status_id: INCOMING_STATUS })).status, 400);
	});

	test('a catalog-element link needs metadata.catalog_id, the element’s own list', async () => {
		const lead = (await amo.post('/leads', [{ name: 'Linked' }])).data._embedded.leads[0].id;
		const element = (
			await amo.post(`/catalogs/${SEED.catalogId}/elements`, [{ name: 'Phone case' }])
		).data._embedded.elements[0].id;
		const link = (/** @type {Record<string, unknown>} */ metadata) =>
			amo.post(`/leads/${lead}/link`, [
				{ to_entity_id: element, to_entity_type: 'catalog_elements', metadata },
			]);
		const missing = await link({ quantity: 1 });
		assert.equal(missing.status, 400);
		assert.equal(missing.data['validation-errors'][0].errors[0].path, 'metadata.catalog_id');
		assert.equal((await link({ quantity: 1, catalog_id: SEED.catalogId + 1 })).status, 400);
		const ok = await link({ quantity: 2, catalog_id: SEED.catalogId });
		assert.equal(ok.status, 200);
		assert.deepEqual(ok.data._embedded.links[0].metadata, {
			quantity: 2,
			catalog_id: SEED.catalogId,
		});
	});

	test('the profile route refuses unknown keys and wrong types', async () => {
		assert.equal((await control.post('/amocrm/profile', { searchDelayMs: -1 })).status, 400);
		assert.equal((await control.post('/amocrm/profile', { admin: 'no' })).status, 400);
		assert.equal((await control.post('/amocrm/profile', { engine: 'x' })).status, 400);
		await setProfile({ admin: false });
		await control.post('/reset', {});
		assert.equal(
			(await control.get('/amocrm/profile')).data.admin,
			true,
			'reset restores the default',
		);
	});

	test('SANDBOX_AMOCRM_PROFILE sets the profile a reset restores', async () => {
		process.env.SANDBOX_AMOCRM_PROFILE = JSON.stringify({ admin: false, searchDelayMs: 250 });
		try {
			await control.post('/reset', {});
			const profile = (await control.get('/amocrm/profile')).data;
			assert.deepEqual([profile.admin, profile.searchDelayMs], [false, 250]);
		} finally {
			delete process.env.SANDBOX_AMOCRM_PROFILE;
			await control.post('/reset', {});
		}
		assert.equal((await control.get('/amocrm/profile')).data.searchDelayMs, 0);
	});
});

import nock from 'nock';

import { AMO, amoContext, FakeAmo, runAmo, useAmoUnit } from '../../../helpers/amocrm';
import {} from '../../../helpers/http';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	return { ...actual, sleep: jest.fn(async () => undefined) };
});
useAmoUnit();

describe('contact operations', () => {
	let fake: FakeAmo;
	beforeEach(() => {
		fake = new FakeAmo().install();
	});

	it('Find by Phone queries the full number, then the national one, and re-checks PHONE values in any format', async () => {
		const match = fake.addContact('Aigerim', '8 (701) 123-45-67');
		fake.addContact('Other', '+7 701 123 45 60');
		fake.contacts.set(999, {
			id: 999,
			name: 'Payment code 7011234567',
			updated_at: 1,
			custom_fields_values: [],
		});
		const out = await runAmo(
			amoContext({ resource: 'contact', operation: 'findByPhone', phone: '+77011234567' }),
		);
		expect(out).toEqual([expect.objectContaining({ found: true, id: match })]);
		expect(fake.requests.map((request) => request.query.query)).toEqual([
			'77011234567',
			'7011234567',
		]);
	});

	it('Find by Phone finds the contact the pack wrote on an account whose search matches word beginnings only', async () => {
		nock.cleanAll();
		const stored = {
			id: 41,
			name: 'Aigerim',
			updated_at: 1,
			custom_fields_values: [{ field_code: 'PHONE', values: [{ value: '+77011234567' }] }],
		};
		const queries: string[] = [];
		// "7011234567" begins no word of "+77011234567"; the full digits do.
		nock(AMO)
			.get('/api/v4/contacts')
			.query(true)
			.times(2)
			.reply((uri) => {
				const query = new URL(uri, AMO).searchParams.get('query') ?? '';
				queries.push(query);
				return query === '77011234567' ? [200, { _embedded: { contacts: [stored] } }] : [204, ''];
			});
		const out = await runAmo(
			amoContext({ resource: 'contact', operation: 'findByPhone', phone: '87011234567' }),
		);
		expect(out).toEqual([expect.objectContaining({ found: true, id: 41 })]);
		expect(queries).toEqual(['77011234567']);
	});

	it('Find by Phone masks the number when nothing matches', async () => {
		const out = await runAmo(
			amoContext({ resource: 'contact', operation: 'findByPhone', phone: '87011234567' }),
		);
		expect(out).toEqual([{ found: false, phone: expect.stringMatching(/\*/) }]);
		expect(JSON.stringify(out)).not.toContain('7011234567');
	});
});

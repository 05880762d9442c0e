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

	it('Find or Create returns the existing contact, or creates one with a normalised phone', async () => {
		const id = fake.addContact('Aigerim', '+7 701 123 45 67');
		await expect(
			runAmo(
				amoContext({
					resource: 'contact',
					operation: 'findOrCreate',
					phone: '7011234567',
					name: 'X',
					additionalFields: {},
				}),
			),
		).resolves.toEqual([expect.objectContaining({ id, created: false })]);
		let body: unknown;
		nock(AMO)
			.post('/api/v4/contacts', (sent) => {
				body = sent;
				return true;
			})
			.reply(200, { _embedded: { contacts: [{ id: 555 }] } });
		await expect(
			runAmo(
				amoContext({
					resource: 'contact',
					operation: 'findOrCreate',
					phone: '8 702 000 11 22',
					name: 'Dana',
					additionalFields: { email: 'd@x.kz' },
				}),
			),
		).resolves.toEqual([{ id: 555, created: true }]);
		expect(body).toEqual([
			{
				name: 'Dana',
				custom_fields_values: [
					{ field_code: 'PHONE', values: [{ value: '+77020001122', enum_code: 'MOB' }] },
					{ field_code: 'EMAIL', values: [{ value: 'd@x.kz', enum_code: 'WORK' }] },
				],
			},
		]);
	});
});

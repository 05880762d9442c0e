import { amoContext, FakeAmo, runAmo, useAmoUnit } from '../../../helpers/amocrm';
import { rejectionOf } from '../../../helpers/http';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	return { ...actual, sleep: jest.fn(async () => undefined) };
});
useAmoUnit();

describe('contact operations', () => {
	beforeEach(() => new FakeAmo().install());

	it('Create refuses a masked Kaspi phone', async () => {
		const error = await rejectionOf(
			runAmo(
				amoContext({
					resource: 'contact',
					operation: 'create',
					phone: '+0(000)-000-00-00',
					name: 'X',
					additionalFields: {},
				}),
			),
		);
		expect(error.message).toMatch(/Phone Number/);
	});
});

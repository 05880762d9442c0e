import {
	cashboxList,
	NEW_TOKEN,
	ok,
	reply,
	runWebkassa,
	useWebkassaUnit,
} from '../../../helpers/webkassa';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual<typeof import('n8n-workflow')>('n8n-workflow');
	return { ...actual, sleep: jest.fn(async () => undefined) };
});

useWebkassaUnit();

describe('Webkassa › Cashbox and Session', () => {
	it('Renew Token logs in even with a stored token, verifies it, and never outputs it', async () => {
		const logins = reply('/api/v4/Authorize', [ok({ Token: NEW_TOKEN })]);
		const bodies = reply('/api/v4/Cashboxes', [cashboxList]);
		const { output, run } = await runWebkassa({
			parameters: { resource: 'session', operation: 'renewToken' },
		});
		expect(logins).toHaveLength(1);
		expect(bodies[0].Token).toBe(NEW_TOKEN);
		expect(run.db.sessionToken).toBe(NEW_TOKEN);
		expect(output[0].json).toMatchObject({
			renewed: true,
			verifiedWith: 'Cashboxes',
			cashboxCount: 2,
		});
		expect(JSON.stringify(output)).not.toContain(NEW_TOKEN);
	});
});

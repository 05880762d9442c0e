import { expectReportSummary, useWebkassaUnit } from '../../../helpers/webkassa';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual<typeof import('n8n-workflow')>('n8n-workflow');
	return { ...actual, sleep: jest.fn(async () => undefined) };
});

useWebkassaUnit();

describe('Webkassa › Shift', () => {
	it.each([['zReport', '/api/v4/ZReport', 'Z']])('%s summarises the report', expectReportSummary);
});

import { expectReportSummary, useWebkassaUnit } from '../../../helpers/webkassa';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual<typeof import('n8n-workflow')>('n8n-workflow');
	return { ...actual, sleep: jest.fn(async () => undefined) };
});

useWebkassaUnit();

describe('Webkassa › Shift', () => {
	it.each([['xReport', '/api/v4/XReport', 'X']])('%s summarises the report', expectReportSummary);
});

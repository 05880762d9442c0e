import { cashboxRL, ok, reply, runWebkassa, useWebkassaUnit } from '../../../helpers/webkassa';

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual<typeof import('n8n-workflow')>('n8n-workflow');
	return { ...actual, sleep: jest.fn(async () => undefined) };
});

useWebkassaUnit();

describe('Webkassa › Shift', () => {
	it('lists shifts with how long the open one has been open, page by page', async () => {
		const opened = new Date(Date.now() - 21 * 3_600_000);
		const pad = (n: number) => String(n).padStart(2, '0');
		const almaty = new Date(opened.getTime() + 5 * 3_600_000);
		const openDate = `${pad(almaty.getUTCDate())}.${pad(almaty.getUTCMonth() + 1)}.${almaty.getUTCFullYear()} ${pad(almaty.getUTCHours())}:${pad(almaty.getUTCMinutes())}:${pad(almaty.getUTCSeconds())}`;
		// Oldest first, as Webkassa lists them; the node reads the total, then pages from the end.
		const older = {
			ShiftNumber: 154,
			OpenDate: '22.11.2026 09:00:00',
			CloseDate: '22.11.2026 21:00:00',
		};
		const bodies = reply('/api/v4/Cashbox/ShiftHistory', [
			ok({ Total: 2, Skip: 0, Take: 1, Shifts: [older] }),
			ok({ Total: 2, Skip: 0, Take: 2, Shifts: [older, { ShiftNumber: 155, OpenDate: openDate }] }),
		]);
		const { output } = await runWebkassa({
			parameters: { resource: 'shift', operation: 'history', cashbox: cashboxRL, returnAll: true },
		});
		expect(bodies.map((body) => [body.Skip, body.Take])).toEqual([
			[0, 1],
			[0, 2],
		]);
		expect(output.map((item) => [item.json.shiftNumber, item.json.open])).toEqual([
			[155, true],
			[154, false],
		]);
		expect(output[0].json.openHours).toBeCloseTo(21, 0);
		expect(output[1].json.openHours).toBeNull();
	});
});

import { requestsPerSecond } from '../../../nodes/AmoCrm/transport/credentialFields';
import { amoProfile } from '../../../nodes/AmoCrm/transport';
import { useFakeLimiterClock } from '../../helpers/amocrm';
import { fakeTime } from '../../helpers/clock';

useFakeLimiterClock();

describe('requests per second of one n8n process', () => {
	it('comes from the credential, within amoCRM’s ceiling of 7', () => {
		expect(requestsPerSecond({})).toBe(7);
		expect(requestsPerSecond({ requestsPerSecond: 3 })).toBe(3);
		expect(requestsPerSecond({ requestsPerSecond: 3.9 })).toBe(3);
		expect(requestsPerSecond({ requestsPerSecond: 0 })).toBe(1);
		expect(requestsPerSecond({ requestsPerSecond: 50 })).toBe(7);
		expect(requestsPerSecond({ requestsPerSecond: 'many' })).toBe(7);
	});

	it('is what the profile’s limiter admits: 3 calls a second for a worker set to 3', async () => {
		const profile = amoProfile('worker.amocrm.ru', 'amoCrmLongLivedApi', 30, 3);
		const starts: number[] = [];
		for (let index = 0; index < 9; index++) {
			const release = await profile.beforeAttempt!();
			starts.push(fakeTime.now);
			if (typeof release === 'function') release();
		}
		for (let index = 3; index < starts.length; index++) {
			expect(starts[index] - starts[index - 3]).toBeGreaterThanOrEqual(1000);
		}
		expect(starts[2] - starts[0]).toBeLessThan(1000);
	});
});

/** The pack's one rate limiter (nodes/shared/limiter.ts), on fake time. */
import { RateLimiter } from '../../../nodes/shared/limiter';
import { fakeTime, sleeps, startFakeTime } from '../../helpers/clock';

beforeEach(() => startFakeTime());
afterEach(() => jest.restoreAllMocks());

describe('RateLimiter', () => {
	it('waits for a call in flight, then a full window after its answer, plus the margin', async () => {
		const limiter = new RateLimiter(1);
		const policy = { limit: 1, windowMs: 1000 };
		const first = await limiter.acquire('k', policy);
		const start = fakeTime.now;
		const second = limiter.acquire('k', policy);
		fakeTime.now += 250;
		first();
		(await second)();
		expect(fakeTime.now - start).toBe(250 + 1000 + 1);
		expect(sleeps).toEqual([1001]);
	});

	it('keeps keys apart and holds a paused key', async () => {
		const limiter = new RateLimiter();
		const policy = { limit: 2, windowMs: 1000 };
		const start = fakeTime.now;
		for (const key of ['a', 'a', 'b', 'b']) (await limiter.acquire(key, policy))();
		expect(fakeTime.now).toBe(start);
		limiter.pause('b', 3000);
		expect(limiter.pausedFor('b')).toBe(3000);
		(await limiter.acquire('b', policy))();
		expect(fakeTime.now - start).toBe(3000);
	});
});

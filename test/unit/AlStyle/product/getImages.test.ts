/**
 * Al-Style's product Get Images: a throttle object from /images waited out.
 */
import nock from 'nock';

import { clock } from '../../../helpers/clock';
import { BASE, runAlStyle, useAlStyleUnit } from '../../../helpers/alstyle';

useAlStyleUnit();

describe('Al-Style node', () => {
	it('waits and asks again when /images answers 200 with a throttle object', async () => {
		const slept: number[] = [];
		const saved = { ...clock };
		clock.sleep = async (ms) => {
			slept.push(ms);
		};
		try {
			nock(BASE)
				.get('/api/images')
				.query(true)
				.reply(200, { success: false, message: 'Too many requests', interval: 7 })
				.get('/api/images')
				.query(true)
				.reply(200, { 5: 'https://img/5.jpg' });
			const out = await runAlStyle({
				resource: 'product',
				operation: 'getImages',
				articles: '5',
				thumbs: true,
			});
			expect(out[0].json).toEqual({ article: 5, images: ['https://img/5.jpg'] });
			expect(slept).toContain(7000);
		} finally {
			Object.assign(clock, saved);
		}
	});
});

import { runWaha, SESSION_INFO, sessionParameters, useWahaUnit, waha } from '../../../helpers/waha';

useWahaUnit();

describe('WAHA › Session', () => {
	it('gets the status without the config, which holds HMAC keys', async () => {
		waha().get('/api/sessions/default').reply(200, SESSION_INFO);
		const [item] = await runWaha({ parameters: sessionParameters('getStatus') });
		expect(item.json).toEqual({
			session: 'default',
			status: 'WORKING',
			working: true,
			engine: 'WEBJS',
			me: { id: '77770000000@c.us', pushName: 'Shop' },
		});
		expect(JSON.stringify(item.json)).not.toContain('hmac-secret');
	});

	it('escapes the session name in the path', async () => {
		waha()
			.get('/api/sessions/my%20shop')
			.reply(200, { ...SESSION_INFO, name: 'my shop' });
		const [item] = await runWaha({
			parameters: sessionParameters('getStatus', { session: 'my shop' }),
		});
		expect(item.json.session).toBe('my shop');
	});
});

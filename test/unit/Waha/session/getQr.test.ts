import {
	NOT_WORKING,
	runWaha,
	runWahaError,
	sessionParameters,
	useWahaUnit,
	waha,
} from '../../../helpers/waha';

useWahaUnit();

describe('WAHA › Session', () => {
	it('outputs the QR code as binary data', async () => {
		const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
		waha()
			.get('/api/default/auth/qr')
			.query({ format: 'image' })
			.matchHeader('accept', 'image/png')
			.reply(200, png, { 'Content-Type': 'image/png' });
		const [item] = await runWaha({
			parameters: sessionParameters('getQr', { binaryPropertyName: 'qr' }),
		});
		expect(item.json).toEqual({ session: 'default', mimeType: 'image/png' });
		expect(item.binary?.qr).toMatchObject({
			data: png.toString('base64'),
			mimeType: 'image/png',
			fileName: 'waha-default-qr.png',
		});
		expect(item.pairedItem).toEqual({ item: 0 });
	});

	it('decodes a QR code that comes back as JSON', async () => {
		const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 9, 9]);
		waha()
			.get('/api/default/auth/qr')
			.query(true)
			.reply(200, { mimetype: 'image/png', data: png.toString('base64') });
		const [item] = await runWaha({
			parameters: sessionParameters('getQr', { binaryPropertyName: 'data' }),
		});
		expect(item.binary?.data.data).toBe(png.toString('base64'));
	});

	it('explains that a linked session has no QR code', async () => {
		waha()
			.get('/api/default/auth/qr')
			.query(true)
			.reply(422, { ...NOT_WORKING, status: 'WORKING', expected: ['SCAN_QR_CODE'] });
		const error = await runWahaError({
			parameters: sessionParameters('getQr', { binaryPropertyName: 'data' }),
		});
		expect(error.message).toBe('WAHA session "default" is WORKING, not SCAN_QR_CODE');
	});
});

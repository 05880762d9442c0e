import {
	captureBody,
	CHAT_ID,
	runWaha,
	runWahaError,
	useWahaUnit,
	waha,
} from '../../../helpers/waha';

useWahaUnit();

describe('WAHA › Message › Send Image and Send File', () => {
	it('sends a file from an input binary field as base64 data', async () => {
		const pdf = Buffer.from('%PDF-1.4 invoice');
		const request = captureBody<{ file?: object; caption?: string }>(
			'post',
			'/api/sendFile',
			201,
			'',
		);
		const [item] = await runWaha({
			items: [
				{
					json: {},
					binary: {
						invoice: {
							data: pdf.toString('base64'),
							mimeType: 'application/pdf',
							fileName: 'invoice-1042.pdf',
						},
					},
				},
			],
			parameters: {
				resource: 'message',
				operation: 'sendFile',
				session: 'default',
				recipient: CHAT_ID,
				fileSource: 'binary',
				binaryPropertyName: 'invoice',
				caption: '',
			},
		});
		expect(request.body?.file).toEqual({
			mimetype: 'application/pdf',
			filename: 'invoice-1042.pdf',
			data: pdf.toString('base64'),
		});
		expect(request.body?.caption).toBeUndefined();
		expect(item.json).toEqual({ sent: true, messageId: null, chatId: CHAT_ID, session: 'default' });
	});

	it('lets File Name and MIME Type override the guesses', async () => {
		waha()
			.post('/api/sendFile', {
				session: 'default',
				chatId: CHAT_ID,
				file: { mimetype: 'text/csv', filename: 'report.csv', url: 'https://example.kz/export' },
			})
			.reply(201, {});
		await runWaha({
			parameters: {
				resource: 'message',
				operation: 'sendFile',
				session: 'default',
				recipient: CHAT_ID,
				fileSource: 'url',
				fileUrl: 'https://example.kz/export',
				options: { fileName: 'report.csv', mimeType: 'text/csv' },
			},
		});
	});

	it('refuses binary data over WAHA’s 50 MB body limit before sending, pointing to a URL', async () => {
		// WAHA parses JSON bodies up to 50 MB (devlikeapro/waha src/main.ts); base64 adds a third.
		const big = Buffer.alloc(38 * 1024 * 1024, 1);
		const error = await runWahaError({
			items: [
				{
					json: {},
					binary: {
						data: { data: big.toString('base64'), mimeType: 'video/mp4', fileName: 'sofa.mp4' },
					},
				},
			],
			parameters: {
				resource: 'message',
				operation: 'sendFile',
				session: 'default',
				recipient: CHAT_ID,
				fileSource: 'binary',
				binaryPropertyName: 'data',
			},
		});
		expect(error.message).toMatch(/^Input Binary Field "data" is too big/);
		expect(error.description).toMatch(/URL/);
	});
});

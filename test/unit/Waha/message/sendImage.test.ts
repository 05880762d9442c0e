import {
	captureBody,
	CHAT_ID,
	runWaha,
	runWahaError,
	useWahaUnit,
	waha,
	webjsMessage,
} from '../../../helpers/waha';

useWahaUnit();

describe('WAHA › Message › Send Image and Send File', () => {
	const imageFromUrl = (fileUrl: string) => ({
		resource: 'message',
		operation: 'sendImage',
		session: 'default',
		recipient: CHAT_ID,
		fileSource: 'url',
		fileUrl,
	});

	it('sends an image from a URL with a caption, guessing type and name', async () => {
		const request = captureBody('post', '/api/sendImage', 201, webjsMessage());
		const [item] = await runWaha({
			parameters: {
				resource: 'message',
				operation: 'sendImage',
				session: 'default',
				recipient: '87011234567',
				fileSource: 'url',
				fileUrl: 'https://files.example.kz/photos/sofa.png?v=2',
				caption: 'Ваш диван',
			},
		});
		expect(request.body).toEqual({
			session: 'default',
			chatId: CHAT_ID,
			caption: 'Ваш диван',
			file: {
				mimetype: 'image/png',
				filename: 'sofa.png',
				url: 'https://files.example.kz/photos/sofa.png?v=2',
			},
		});
		expect(item.json.sent).toBe(true);
	});

	it('says Send Image needs WAHA Plus or 2026.6.1 when WAHA Core refuses it (422)', async () => {
		waha().post('/api/sendImage').once().reply(422, {
			message:
				"The feature is available only in Plus version for 'GOWS' engine. Check this out: https://waha.devlike.pro/",
			error: 'Unprocessable Entity',
			statusCode: 422,
		});
		const error = await runWahaError({
			parameters: imageFromUrl('https://files.example.kz/photos/sofa.png'),
		});
		expect(error.message).toBe('This needs WAHA Plus, or WAHA 2026.6.1 or later');
		expect(error.description).toMatch(/Core/);
	});

	it('rejects a URL that is not http(s)', async () => {
		const error = await runWahaError({ parameters: imageFromUrl('file:///etc/passwd') });
		expect(error.message).toBe('Image URL is not an http(s) address');
	});
});

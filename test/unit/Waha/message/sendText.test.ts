import { extractMessageId } from '../../../../nodes/Waha/transport';
import {
	captureBody,
	CHAT_ID,
	like,
	runWaha,
	sendText,
	useWahaUnit,
	waha,
	webjsMessage,
} from '../../../helpers/waha';

useWahaUnit();

describe('WAHA › Message › Send Text', () => {
	it('posts the text with the API key and outputs the message id', async () => {
		const request = captureBody('post', '/api/sendText', 201, webjsMessage());

		const output = await runWaha({ parameters: sendText('8 701 123 45 67') });

		expect(request.body).toEqual({
			session: 'default',
			chatId: CHAT_ID,
			text: 'Ваш заказ №1042 оплачен',
			linkPreview: true,
		});
		expect(output).toEqual([
			{
				json: {
					sent: true,
					messageId: `true_${CHAT_ID}_3EB0378E606CA43FEF38D2`,
					chatId: CHAT_ID,
					session: 'default',
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it.each([
		'8 701 123 45 67',
		'+7 (701) 123-45-67',
		'77011234567',
		'7011234567',
		'8-701-123-45-67',
	])('normalises %s to the Kazakh chat id', async (recipient) => {
		waha()
			.post('/api/sendText', like({ chatId: CHAT_ID }))
			.reply(201, webjsMessage());
		const [item] = await runWaha({ parameters: sendText(recipient) });
		expect(item.json.chatId).toBe(CHAT_ID);
	});

	it('uses a value containing @ as a chat id, as is', async () => {
		const group = '120363025246125486@g.us';
		waha()
			.post('/api/sendText', like({ chatId: group }))
			.reply(201, webjsMessage(group));
		const [item] = await runWaha({ parameters: sendText(group) });
		expect(item.json.chatId).toBe(group);
	});

	it('takes the session from a resource locator in name mode or a plain string', async () => {
		waha()
			.post('/api/sendText', like({ session: 'shop' }))
			.reply(201, {});
		waha()
			.post('/api/sendText', like({ session: 'shop-2' }))
			.reply(201, {});
		const [byName] = await runWaha({
			parameters: sendText(CHAT_ID, { session: { __rl: true, mode: 'name', value: 'shop' } }),
		});
		const [plain] = await runWaha({ parameters: sendText(CHAT_ID, { session: 'shop-2' }) });
		expect(byName.json.session).toBe('shop');
		expect(plain.json.session).toBe('shop-2');
	});

	it('honours Link Preview', async () => {
		waha()
			.post('/api/sendText', like({ linkPreview: false }))
			.reply(201, webjsMessage());
		await runWaha({ parameters: sendText(CHAT_ID, { options: { linkPreview: false } }) });
	});

	it.each([
		['an empty body', '', null],
		[
			// NOWEB answers a send with the Baileys object; WAHA's own id for it is fromMe_chat_id
			// (devlikeapro/waha noweb buildMessageId), the form reply_to and the events use.
			'NOWEB’s Baileys object',
			{
				key: { remoteJid: '77011234567@s.whatsapp.net', fromMe: true, id: '3EB0NOWEB' },
				message: { extendedTextMessage: { text: 'Ваш заказ №1042 оплачен' } },
				messageTimestamp: '1738070128',
				status: 'PENDING',
			},
			'true_77011234567@c.us_3EB0NOWEB',
		],
		[
			'NOWEB’s Baileys object for a group',
			{
				key: { remoteJid: '120363025555555555@g.us', fromMe: true, id: '3EB0GRP' },
				status: 'PENDING',
			},
			'true_120363025555555555@g.us_3EB0GRP',
		],
		['an id object', { id: { _serialized: 'true_x@c.us_SER' } }, 'true_x@c.us_SER'],
		['only _data', { _data: { id: { _serialized: 'true_x@c.us_DATA' } } }, 'true_x@c.us_DATA'],
	])('reads the message id from %s', async (_, response, messageId) => {
		waha()
			.post('/api/sendText')
			.reply(201, response as object);
		const [item] = await runWaha({ parameters: sendText(CHAT_ID) });
		expect(item.json).toEqual({ sent: true, messageId, chatId: CHAT_ID, session: 'default' });
	});

	it('extracts message ids from every engine shape', () => {
		expect(extractMessageId(undefined)).toBeNull();
		expect(extractMessageId({})).toBeNull();
		expect(extractMessageId({ id: 'plain' })).toBe('plain');
		expect(extractMessageId({ id: { id: 'inner' } })).toBe('inner');
	});
});

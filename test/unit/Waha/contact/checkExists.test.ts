import { CHAT_ID, runWaha, runWahaError, useWahaUnit, waha } from '../../../helpers/waha';

useWahaUnit();

describe('WAHA › Contact › Check Number Exists', () => {
	const check = (phone: string) => ({
		resource: 'contact',
		operation: 'checkExists',
		session: 'default',
		phone,
	});

	it('asks WAHA with the digits and masks the number in the output', async () => {
		waha()
			.get('/api/contacts/check-exists')
			.query({ phone: '77011234567', session: 'default' })
			.reply(200, { numberExists: true, chatId: CHAT_ID });
		const [item] = await runWaha({ parameters: check('+7 701 123 45 67') });
		expect(item.json).toEqual({ exists: true, chatId: CHAT_ID, phone: '7701*****67' });
	});

	it('outputs exists false and no chat id for a number without WhatsApp', async () => {
		waha()
			.get('/api/contacts/check-exists')
			.query({ phone: '77011234500', session: 'default' })
			.reply(200, { numberExists: false });
		const [item] = await runWaha({ parameters: check('77011234500@c.us') });
		expect(item.json).toEqual({ exists: false, chatId: null, phone: '7701*****00' });
	});

	it('refuses group chat ids', async () => {
		const error = await runWahaError({ parameters: check('120363025246125486@g.us') });
		expect(error.message).toBe('Phone Number is not a phone number');
	});

	it('names its own field when the number is masked', async () => {
		const error = await runWahaError({ parameters: check('+0(000)-000-00-00') });
		expect(error.message).toBe('Phone Number is masked');
	});
});

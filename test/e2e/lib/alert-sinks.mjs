// @ts-check
// Stand-ins for where the error workflow sends alerts: a Telegram Bot API server (only
// sendMessage) and an SMTP server that accepts every message. Loopback only; they record.
import http from 'node:http';
import net from 'node:net';

/**
 * @returns {Promise<{ url: string, messages: Array<{ chat_id: string, text: string }>, close: () => Promise<void> }>}
 */
export async function startTelegramSink() {
	/** @type {Array<{ chat_id: string, text: string }>} */
	const messages = [];
	const server = http.createServer((req, res) => {
		let raw = '';
		req.on('data', (chunk) => (raw += chunk));
		req.on('end', () => {
			if (!/^\/bot[^/]+\/sendMessage$/.test(req.url ?? '')) {
				res
					.writeHead(404, { 'content-type': 'application/json' })
					.end(JSON.stringify({ ok: false }));
				return;
			}
			const body = raw.startsWith('{')
				? JSON.parse(raw)
				: Object.fromEntries(new URLSearchParams(raw));
			messages.push({ chat_id: String(body.chat_id), text: String(body.text) });
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(
				JSON.stringify({
					ok: true,
					result: { message_id: messages.length, chat: { id: body.chat_id }, text: body.text },
				}),
			);
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
	return {
		url: `http://127.0.0.1:${port}`,
		messages,
		close: async () => {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(() => resolve(undefined)));
		},
	};
}

/**
 * A minimal SMTP server (no TLS, no auth) that keeps each message's envelope and data.
 * @returns {Promise<{ port: number, mails: Array<{ from: string, to: string[], data: string }>, close: () => Promise<void> }>}
 */
export async function startSmtpSink() {
	/** @type {Array<{ from: string, to: string[], data: string }>} */
	const mails = [];
	/** @type {Set<net.Socket>} */
	const sockets = new Set();
	const server = net.createServer((socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		let buffer = '';
		let inData = false;
		/** @type {{ from: string, to: string[], data: string }} */
		let mail = { from: '', to: [], data: '' };
		const reply = (/** @type {string} */ line) => socket.write(`${line}\r\n`);
		reply('220 sink.test ESMTP');
		socket.on('data', (chunk) => {
			buffer += chunk.toString('utf8');
			let index;
			while ((index = buffer.indexOf('\r\n')) >= 0) {
				const line = buffer.slice(0, index);
				buffer = buffer.slice(index + 2);
				if (inData) {
					if (line === '.') {
						inData = false;
						mails.push(mail);
						mail = { from: '', to: [], data: '' };
						reply('250 OK: queued');
					} else mail.data += `${line.startsWith('..') ? line.slice(1) : line}\n`;
					continue;
				}
				const command = line.slice(0, 4).toUpperCase();
				if (command === 'EHLO' || command === 'HELO') reply('250 sink.test');
				else if (command === 'MAIL') {
					mail.from = line.slice(10).trim();
					reply('250 OK');
				} else if (command === 'RCPT') {
					mail.to.push(line.slice(8).trim());
					reply('250 OK');
				} else if (command === 'DATA') {
					inData = true;
					reply('354 End data with <CR><LF>.<CR><LF>');
				} else if (command === 'QUIT') {
					reply('221 Bye');
					socket.end();
				} else reply('250 OK');
			}
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
	return {
		port,
		mails,
		close: async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise((resolve) => server.close(() => resolve(undefined)));
		},
	};
}

/**
 * The Telegram and SMTP credentials of the error workflow, pointed at the sinks.
 * @param {{ url: string }} telegram
 * @param {{ port: number }} smtp
 */
export function alertSinkCredentials(telegram, smtp) {
	return [
		{
			id: 'kzTelegramSink01',
			name: 'Telegram Bot',
			type: 'telegramApi',
			data: { accessToken: '123456:sandbox-bot', baseUrl: telegram.url },
		},
		{
			id: 'kzSmtpSink000001',
			name: 'SMTP account',
			type: 'smtp',
			data: {
				user: '',
				password: '',
				host: '127.0.0.1',
				port: smtp.port,
				secure: false,
				disableStartTls: true,
				hostName: '',
			},
		},
	];
}

// @ts-check
// A chat model that needs no network: a loopback server speaking the OpenAI Chat Completions API
// (what n8n's OpenAI Chat Model node calls) and answering from a script, so an AI Agent's tool
// calls are the test's choice, not a model's. Every request is recorded for the assertions.
import { createServer } from 'node:http';

/**
 * @typedef {{ role: string, content?: string | null, tool_calls?: any[], tool_call_id?: string, name?: string }} ChatMessage
 * @typedef {{ model: string, messages: ChatMessage[], tools?: Array<{ type: string, function: { name: string, description: string, parameters: any } }>, stream?: boolean }} ChatRequest
 * @typedef {{ toolCall: { name: string, arguments: object } } | { text: string }} ScriptedTurn
 * @typedef {(request: ChatRequest) => ScriptedTurn} Script
 */

/**
 * The usual script of one agent run: call a tool first; once the conversation holds that tool's
 * result, answer with the text `finalAnswer` builds from it.
 * @param {{ name: string, arguments: object }} toolCall
 * @param {(toolResult: string) => string} finalAnswer
 * @returns {Script}
 */
export function callToolThenAnswer(toolCall, finalAnswer) {
	return (request) => {
		const toolResult = request.messages.filter((message) => message.role === 'tool').at(-1);
		return toolResult ? { text: finalAnswer(String(toolResult.content ?? '')) } : { toolCall };
	};
}

/** @param {ScriptedTurn} turn */
function assistantMessage(turn) {
	if ('text' in turn) return { role: 'assistant', content: turn.text };
	return {
		role: 'assistant',
		content: null,
		tool_calls: [
			{
				id: `call_${Math.random().toString(36).slice(2, 10)}`,
				type: 'function',
				function: { name: turn.toolCall.name, arguments: JSON.stringify(turn.toolCall.arguments) },
			},
		],
	};
}

/**
 * @param {ChatRequest} request
 * @param {ScriptedTurn} turn
 */
function completion(request, turn) {
	const message = assistantMessage(turn);
	return {
		id: `chatcmpl-${Date.now()}`,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model: request.model,
		choices: [
			{
				index: 0,
				message,
				finish_reason: message.tool_calls ? 'tool_calls' : 'stop',
				logprobs: null,
			},
		],
		usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
	};
}

/**
 * Starts the model on a free loopback port. `setScript` chooses how the next requests are
 * answered; `requests` holds every chat request received, oldest first.
 */
export async function startScriptedChatModel() {
	/** @type {ChatRequest[]} */
	const requests = [];
	/** @type {Script} */
	let script = () => ({ text: 'No script set.' });

	const server = createServer((req, res) => {
		const chunks = /** @type {Buffer[]} */ ([]);
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => {
			const send = (/** @type {number} */ status, /** @type {object} */ body) => {
				res.writeHead(status, { 'content-type': 'application/json' });
				res.end(JSON.stringify(body));
			};
			const path = (req.url ?? '').split('?')[0];
			if (req.method === 'GET' && path === '/v1/models') {
				send(200, {
					object: 'list',
					data: [{ id: 'scripted-model', object: 'model', created: 0, owned_by: 'test' }],
				});
				return;
			}
			if (req.method !== 'POST' || path !== '/v1/chat/completions') {
				send(404, {
					error: { message: `Not scripted: ${req.method} ${path}`, type: 'invalid_request_error' },
				});
				return;
			}
			/** @type {ChatRequest} */
			const request = JSON.parse(Buffer.concat(chunks).toString('utf8'));
			requests.push(request);
			// n8n 1.123's agent asks without streaming when its webhook answers with the last node;
			// a streamed request is refused so that a change there shows up here.
			if (request.stream) {
				send(400, {
					error: { message: 'The scripted model does not stream', type: 'invalid_request_error' },
				});
				return;
			}
			send(200, completion(request, script(request)));
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
	return {
		/** The base URL the OpenAI credential's `url` field takes. */
		url: `http://127.0.0.1:${port}/v1`,
		requests,
		/** @param {Script} next */
		setScript(next) {
			script = next;
		},
		close: () => new Promise((resolve) => server.close(() => resolve(undefined))),
	};
}

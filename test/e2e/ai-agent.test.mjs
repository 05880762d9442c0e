// @ts-check
// The pack's nodes as an AI Agent's tools, in the real pinned n8n: a webhook asks an agent whose
// chat model is a scripted loopback stand-in for OpenAI, the "model" calls an amoCRM or WAHA tool,
// and the assertions are on what n8n offered the model, what reached the sandbox, what the model
// was told back, and what the webhook answered.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { startSandbox } from '../../sandbox/server.mjs';
import { SEED } from '../../sandbox/services/amocrm.mjs';
import { N8n, packPackage } from './lib/harness.mjs';
import { callToolThenAnswer, startScriptedChatModel } from './lib/scripted-chat-model.mjs';
import { sandboxCredentials, Sandbox, WAHA_OPENAPI } from './lib/sandbox-client.mjs';

const WORKFLOW_ID = 'kzAiAgentTools01';
const WEBHOOK_PATH = 'kz-agent';
const ORDER_CODE = '512345678';
const BUYER_PHONE = '+7 701 123 45 67';
const BUYER_CHAT = '77011234567@c.us';
/** n8n names a tool after its node, with anything but letters, digits, _ and - turned into _. */
const DEAL_TOOL = 'Find_amoCRM_deal';
const WHATSAPP_TOOL = 'Send_WhatsApp_text';

const OPENAI_CREDENTIAL = { id: 'kzScriptedOpenAi', name: 'Scripted OpenAI' };
const AMO_CREDENTIAL = { id: 'kzAmoLongLived01', name: 'amoCRM Long-Lived Token' };

/**
 * Webhook → AI Agent (scripted OpenAI model) with two pack tools: amoCRM's deal search by order
 * code and WAHA's text send, their agent-chosen parameters written as `$fromAI(…)`.
 */
function agentWorkflow() {
	const node = (
		/** @type {string} */ name,
		/** @type {string} */ type,
		/** @type {number} */ typeVersion,
		/** @type {object} */ parameters,
		extra = {},
	) => ({
		id: `ai-${name.toLowerCase().replace(/\W+/g, '-')}`,
		name,
		type,
		typeVersion,
		position: [0, 0],
		parameters,
		...extra,
	});
	return {
		id: WORKFLOW_ID,
		name: 'AI agent with kz-commerce tools (e2e)',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			node(
				'Webhook',
				'n8n-nodes-base.webhook',
				2,
				{
					httpMethod: 'POST',
					path: WEBHOOK_PATH,
					responseMode: 'lastNode',
					options: {},
				},
				{ webhookId: 'b5f0c3c2-6a1e-4b8e-9f0a-0a1a9e170001' },
			),
			node('AI Agent', '@n8n/n8n-nodes-langchain.agent', 3, {
				promptType: 'define',
				text: '={{ $json.body.chatInput }}',
				options: { systemMessage: 'You help a Kaspi merchant. Use the tools.' },
			}),
			node(
				'OpenAI Chat Model',
				'@n8n/n8n-nodes-langchain.lmChatOpenAi',
				1.2,
				{
					model: { __rl: true, mode: 'id', value: 'scripted-model' },
					options: {},
				},
				{ credentials: { openAiApi: OPENAI_CREDENTIAL } },
			),
			node(
				'Find amoCRM deal',
				'n8n-nodes-kz-commerce.amoCrmTool',
				1,
				{
					authentication: 'longLivedToken',
					resource: 'deal',
					operation: 'searchByCode',
					orderCode: "={{ $fromAI('orderCode', 'the Kaspi order code', 'string') }}",
					orderCodeField: { __rl: true, mode: 'id', value: String(SEED.orderCodeFieldId) },
				},
				{ credentials: { amoCrmLongLivedApi: AMO_CREDENTIAL } },
			),
			node(
				'Send WhatsApp text',
				'n8n-nodes-kz-commerce.wahaTool',
				1,
				{
					resource: 'message',
					operation: 'sendText',
					session: { __rl: true, mode: 'name', value: 'default' },
					recipient:
						"={{ $fromAI('phone', 'the buyer’s phone number or WhatsApp chat ID', 'string') }}",
					text: "={{ $fromAI('text', 'the message to send', 'string') }}",
					options: {},
				},
				{ credentials: { wahaApi: { id: 'kzWahaSandbox001', name: 'WAHA API' } } },
			),
		],
		connections: {
			Webhook: { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
			'OpenAI Chat Model': {
				ai_languageModel: [[{ node: 'AI Agent', type: 'ai_languageModel', index: 0 }]],
			},
			'Find amoCRM deal': { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] },
			'Send WhatsApp text': { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] },
		},
	};
}

/**
 * A token for the sandbox's amoCRM, got the way an integration does (a code exchanged once), so
 * the test can seed a deal and the n8n credential can use it as a long-lived token.
 * @param {Sandbox} sandbox
 */
async function amoAccessToken(sandbox) {
	const { data: oauth } = await sandbox.http.post('/amocrm/oauth/code');
	const response = await fetch(`${sandbox.url}/amocrm/oauth2/access_token`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({
			client_id: oauth.clientId,
			client_secret: oauth.clientSecret,
			redirect_uri: oauth.redirectUri,
			grant_type: 'authorization_code',
			code: oauth.code,
		}),
	});
	assert.equal(response.status, 200, 'the sandbox issues a token');
	return /** @type {{ access_token: string }} */ (await response.json()).access_token;
}

/**
 * @param {string} sandboxUrl
 * @param {string} accessToken
 * @param {string} orderCode
 * @returns {Promise<number>} the deal's id
 */
async function seedDeal(sandboxUrl, accessToken, orderCode) {
	const response = await fetch(`${sandboxUrl}/amocrm/api/v4/leads`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
		body: JSON.stringify([
			{
				name: `Kaspi order ${orderCode}`,
				pipeline_id: SEED.pipelineId,
				status_id: SEED.statusNew,
				custom_fields_values: [{ field_id: SEED.orderCodeFieldId, values: [{ value: orderCode }] }],
			},
		]),
	});
	assert.ok(response.ok, `the sandbox creates the deal (${response.status})`);
	const body = /** @type {any} */ (await response.json());
	return body._embedded.leads[0].id;
}

describe(
	'an AI Agent calls the pack’s nodes as tools, in a real n8n',
	{ timeout: 15 * 60_000 },
	() => {
		/** @type {Awaited<ReturnType<typeof startSandbox>>} */
		let sandboxServer;
		/** @type {Sandbox} */
		let sandbox;
		/** @type {Awaited<ReturnType<typeof startScriptedChatModel>>} */
		let model;
		/** @type {N8n} */
		let n8n;
		let dealId = 0;

		before(async () => {
			sandboxServer = await startSandbox({ seed: false, wahaOpenApi: WAHA_OPENAPI });
			sandbox = new Sandbox(sandboxServer.url);
			await sandbox.linkWhatsAppSession();
			const accessToken = await amoAccessToken(sandbox);
			dealId = await seedDeal(sandboxServer.url, accessToken, ORDER_CODE);
			await seedDeal(sandboxServer.url, accessToken, '512345679');
			model = await startScriptedChatModel();

			const tarball = packPackage(mkdtempSync(join(tmpdir(), 'kz-pack-')));
			n8n = await new N8n({
				tarball,
				log: process.env.E2E_VERBOSE ? console.log : undefined,
			}).init();
			n8n.importCredentials([
				...sandboxCredentials(sandboxServer.url),
				{
					...AMO_CREDENTIAL,
					type: 'amoCrmLongLivedApi',
					data: {
						platform: 'custom',
						baseUrl: `${sandboxServer.url}/amocrm`,
						accessToken,
						requestsPerSecond: 7,
					},
				},
				{
					...OPENAI_CREDENTIAL,
					type: 'openAiApi',
					data: { apiKey: 'scripted-key', url: model.url },
				},
			]);
			n8n.importWorkflows([agentWorkflow()]);
			await n8n.start();
		});

		after(async () => {
			await n8n?.dispose();
			await model?.close();
			await sandboxServer?.close();
		});

		/**
		 * Asks the agent through the webhook; returns what the workflow answered and the model
		 * requests of this run.
		 * @param {string} message
		 */
		async function ask(message) {
			const first = model.requests.length;
			const response = await fetch(`${n8n.url}/webhook/${WEBHOOK_PATH}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ chatInput: message }),
			});
			const text = await response.text();
			assert.equal(response.status, 200, `the webhook answers: ${text.slice(0, 500)}`);
			return { answer: JSON.parse(text), requests: model.requests.slice(first) };
		}

		/**
		 * @param {import('./lib/scripted-chat-model.mjs').ChatRequest} request
		 * @param {string} name
		 */
		const toolNamed = (request, name) =>
			request.tools?.find((tool) => tool.function.name === name)?.function;

		it('offers both tools to the model, with the $fromAI arguments as their JSON schema', async () => {
			model.setScript(() => ({ text: 'Nothing to do.' }));
			const { answer, requests } = await ask('Hello');
			assert.equal(requests.length, 1);
			const [request] = requests;
			assert.equal(request.model, 'scripted-model');
			const dealTool = toolNamed(request, DEAL_TOOL);
			assert.ok(
				dealTool,
				`the amoCRM tool is offered: ${JSON.stringify(request.tools?.map((tool) => tool.function.name))}`,
			);
			assert.equal(dealTool.description, 'Find deals by kaspi order code in amoCRM');
			assert.deepEqual(Object.keys(dealTool.parameters.properties), ['orderCode']);
			assert.equal(dealTool.parameters.properties.orderCode.type, 'string');
			assert.equal(dealTool.parameters.properties.orderCode.description, 'the Kaspi order code');
			assert.deepEqual(dealTool.parameters.required, ['orderCode']);

			const whatsAppTool = toolNamed(request, WHATSAPP_TOOL);
			assert.ok(whatsAppTool, 'the WAHA tool is offered');
			assert.equal(
				whatsAppTool.description,
				'Send a whatsapp text message to a phone number in WAHA',
			);
			assert.deepEqual(Object.keys(whatsAppTool.parameters.properties).sort(), ['phone', 'text']);
			assert.deepEqual([...whatsAppTool.parameters.required].sort(), ['phone', 'text']);
			assert.deepEqual(answer, { output: 'Nothing to do.' });
		});

		it('"find the amoCRM deal for Kaspi order X": the deal search runs with X and the deal id reaches the model', async () => {
			const seq = await sandbox.lastSeq();
			model.setScript(
				callToolThenAnswer(
					{ name: DEAL_TOOL, arguments: { orderCode: ORDER_CODE } },
					(toolResult) => {
						const id = /"id":\s*(\d+)/.exec(toolResult)?.[1] ?? 'none';
						return `The deal for order ${ORDER_CODE} is ${id}.`;
					},
				),
			);
			const { answer, requests } = await ask(`Find the amoCRM deal for Kaspi order ${ORDER_CODE}`);

			// The tool also reads the order-code field's type once (GET /api/v4/leads/custom_fields/{id}).
			const searches = (await sandbox.requests('amocrm', '/api/v4/leads', seq)).filter(
				(/** @type {{ path: string }} */ call) => call.path === '/api/v4/leads',
			);
			assert.equal(searches.length, 1, 'one deal search reached amoCRM');
			assert.equal(searches[0].query.query, ORDER_CODE);

			assert.equal(requests.length, 2, 'the model is asked twice: before and after the tool');
			const toolMessage = requests[1].messages.find((message) => message.role === 'tool');
			assert.ok(toolMessage, 'the second request carries the tool result');
			const toolResult = String(toolMessage.content);
			assert.match(
				toolResult,
				new RegExp(`"id":\\s*${dealId}\\b`),
				'the tool result holds the deal id',
			);
			assert.match(toolResult, /"found":\s*true/);
			assert.doesNotMatch(toolResult, /512345679/, 'the other order’s deal is not in the result');

			assert.deepEqual(answer, { output: `The deal for order ${ORDER_CODE} is ${dealId}.` });
		});

		it('"send this buyer a WhatsApp message": exactly one message reaches WAHA, with the model’s phone and text', async () => {
			const before = (await sandbox.messages()).length;
			const text = `Здравствуйте! Ваш заказ №${ORDER_CODE} собран.`;
			model.setScript(
				callToolThenAnswer(
					{ name: WHATSAPP_TOOL, arguments: { phone: BUYER_PHONE, text } },
					(toolResult) =>
						/"sent":\s*true/.test(toolResult) ? 'Message sent.' : `Not sent: ${toolResult}`,
				),
			);
			const { answer, requests } = await ask(
				`Send this buyer a WhatsApp message that order ${ORDER_CODE} is packed: ${BUYER_PHONE}`,
			);

			const messages = (await sandbox.messages()).slice(before);
			assert.equal(messages.length, 1, 'exactly one message reached WAHA');
			assert.equal(messages[0].chatId, BUYER_CHAT, 'the phone is normalised to the buyer’s chat');
			assert.equal(messages[0].text, text);
			assert.equal(requests.length, 2);
			assert.deepEqual(answer, { output: 'Message sent.' });
		});
	},
);

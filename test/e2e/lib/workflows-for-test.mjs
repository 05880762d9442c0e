// @ts-check
// The shipped workflows as the end-to-end suites run them: the same nodes and connections, with
// schedules shortened so a suite runs in minutes, and with the canvas choices an operator makes
// (the amoCRM pipeline, the cashbox, the alert targets) set for the sandbox account.
import { SEED } from '../../../sandbox/services/amocrm.mjs';
import { loadWorkflow } from './harness.mjs';

export const WORKFLOW_IDS = {
	orderWhatsApp: 'kzOrderWhatsApp1',
	amoSync: 'kzKaspiAmoSync01',
	amoReconcile: 'kzKaspiAmoRecon1',
	receipts: 'kzKaspiWebkassa1',
	errorAlerts: 'kzErrorAlerts001',
	alStyleProbe: 'kzAlStyleProbe01',
};

/** @param {number} seconds */
const everySeconds = (seconds) => ({ interval: [{ field: 'seconds', secondsInterval: seconds }] });

/**
 * Order → WhatsApp, with the catch-up lane every few seconds and no pause between messages.
 * @param {{ catchUpSeconds: number }} options
 */
export function orderWhatsAppForTest({ catchUpSeconds }) {
	const workflow = loadWorkflow('kaspi-order-whatsapp.json');
	for (const node of workflow.nodes) {
		if (node.name === 'Catch up every 5 minutes')
			node.parameters.rule = everySeconds(catchUpSeconds);
		if (node.name === 'Send WhatsApp message') {
			node.parameters.options.randomDelay = { delay: { minSeconds: 0, maxSeconds: 0 } };
		}
	}
	return workflow;
}

/** @param {any} node */
function pointAtSandboxAccount(node) {
	if (node.type !== 'n8n-nodes-kz-commerce.amoCrm') return;
	node.parameters.pipeline = { __rl: true, mode: 'list', value: String(SEED.pipelineId) };
	node.parameters.statusId = SEED.statusNew;
	node.parameters.orderCodeField = {
		__rl: true,
		mode: 'list',
		value: String(SEED.orderCodeFieldId),
	};
}

/**
 * Kaspi → amoCRM sync and reconcile, on the sandbox account's pipeline and order-code field.
 * @param {{ reconcileSeconds: number, backlogThreshold?: number }} options
 */
export function amoWorkflowsForTest({ reconcileSeconds, backlogThreshold }) {
	/** @type {any} */
	const sync = loadWorkflow('kaspi-amocrm-sync.json');
	sync.nodes.forEach(pointAtSandboxAccount);
	/** @type {any} */
	const reconcile = loadWorkflow('kaspi-amocrm-reconcile.json');
	reconcile.nodes.forEach(pointAtSandboxAccount);
	for (const node of reconcile.nodes) {
		if (node.type === 'n8n-nodes-base.scheduleTrigger')
			node.parameters.rule = everySeconds(reconcileSeconds);
		if (node.name === 'Settings' && backlogThreshold !== undefined) {
			const threshold = node.parameters.assignments.assignments.find(
				(/** @type {any} */ entry) => entry.name === 'backlogThreshold',
			);
			threshold.value = backlogThreshold;
		}
	}
	return { sync, reconcile };
}

/**
 * The error workflow with the targets an operator sets on the canvas.
 * @param {{ telegramChat: string, email: string }} targets
 */
export function errorAlertsForTest({ telegramChat, email }) {
	/** @type {any} */
	const errors = loadWorkflow('error-alerts.json');
	for (const node of errors.nodes) {
		if (node.name === 'Telegram alert') node.parameters.chatId = telegramChat;
		if (node.name === 'E-mail alert') {
			node.parameters.fromEmail = 'n8n@shop.test';
			node.parameters.toEmail = email;
		}
	}
	return errors;
}

/**
 * Kaspi → Webkassa receipts, every few seconds, on the sandbox cashbox at VAT 16 %, with WhatsApp links on.
 * @param {{ everySeconds: number, cashbox: string }} options
 */
export function receiptsForTest({ everySeconds: seconds, cashbox }) {
	const workflow = loadWorkflow('kaspi-webkassa-receipts.json');
	for (const node of workflow.nodes) {
		if (node.name === 'Every 10 minutes') node.parameters.rule = everySeconds(seconds);
		if (node.name === 'Settings') {
			for (const field of node.parameters.assignments.assignments) {
				if (field.name === 'cashbox') field.value = cashbox;
				if (field.name === 'sendWhatsApp') field.value = true;
				// Shipped empty on purpose: the operator must choose the organisation's VAT rate.
				if (field.name === 'vatRate') field.value = '16';
			}
		}
	}
	return workflow;
}

export const AL_STYLE_PROBE_PATH = 'kz-alstyle-probe';

/**
 * Not shipped: a webhook that asks Al-Style for the articles and additional fields it is posted,
 * so a test can make the Al-Style node run on a worker at a moment of its choosing.
 */
export function alStyleProbeWorkflow() {
	return {
		id: WORKFLOW_IDS.alStyleProbe,
		name: 'Al-Style probe (test)',
		nodes: [
			{
				id: 'p1',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: '6f2d3c1e-7a55-4b8e-9a10-0a1b2c3d4e5f',
				parameters: {
					httpMethod: 'POST',
					path: AL_STYLE_PROBE_PATH,
					responseMode: 'lastNode',
					responseData: 'allEntries',
					options: {},
				},
			},
			{
				id: 'p2',
				name: 'Al-Style products',
				type: 'n8n-nodes-kz-commerce.alStyle',
				typeVersion: 1,
				position: [220, 0],
				parameters: {
					resource: 'product',
					operation: 'getByArticles',
					articles: '={{ $json.body.articles }}',
					additionalFields: '={{ $json.body.fields }}',
				},
				credentials: { alStyleApi: { id: null, name: 'Al-Style API' } },
			},
		],
		connections: { Webhook: { main: [[{ node: 'Al-Style products', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1', errorWorkflow: WORKFLOW_IDS.errorAlerts },
		active: false,
	};
}

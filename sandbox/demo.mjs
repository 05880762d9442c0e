// @ts-check
// The demo: the sandbox, a real n8n with the packed pack, the workflows imported with their
// credentials pointed at the sandbox, and a new Kaspi order every minute or so. Every WhatsApp
// message the workflow sends is printed here. Runs until Ctrl-C; everything listens on loopback.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { N8n, loadWorkflow, packPackage } from '../test/e2e/harness.mjs';
import { Sandbox, sandboxCredentials } from '../test/e2e/sandbox-client.mjs';
import { startSandbox } from './server.mjs';

const { values } = parseArgs({
	options: {
		'n8n-port': { type: 'string', default: '5678' },
		'sandbox-port': { type: 'string', default: '4010' },
		'order-every': { type: 'string', default: '60' },
	},
});

const BUYERS = [
	['Айгерим', 'Сейткали', '7011234567'],
	['Нурлан', 'Абенов', '7779876543'],
	['Дана', 'Жумабаева', '7051112233'],
	['Ерлан', 'Касымов', '7475556677'],
	['Алия', 'Нурпеисова', '7753334455'],
	['Бауыржан', 'Оспанов', '7084445566'],
];
const PRODUCTS = [
	['ALS100245', 'Ноутбук Lenovo IdeaPad 3 15ITL6', 289990],
	['ALS77031', 'Мышь Logitech M185', 6490],
	['ALS52210', 'Смартфон Samsung Galaxy A55 8/256GB', 219990],
	['ALS31877', 'Наушники Apple AirPods Pro 2', 119990],
];

/** The shipped workflow, with a shorter pause between messages so the demo feels alive. */
function demoWorkflow() {
	const workflow = loadWorkflow('kaspi-order-whatsapp.json');
	const send = workflow.nodes.find((node) => node.name === 'Send WhatsApp message');
	if (!send) throw new Error('the workflow has no "Send WhatsApp message" node');
	send.parameters.options.randomDelay = { delay: { minSeconds: 2, maxSeconds: 5 } };
	return workflow;
}

const sandboxServer = await startSandbox({ port: Number(values['sandbox-port']) });
const sandbox = new Sandbox(sandboxServer.url);
console.log(`sandbox:  ${sandboxServer.url}  (Kaspi and WAHA emulators)`);

const tarball = packPackage(mkdtempSync(join(tmpdir(), 'kz-demo-pack-')));
const n8n = await new N8n({ tarball, port: Number(values['n8n-port']) }).init();
n8n.importCredentials(sandboxCredentials(sandboxServer.url));
n8n.importWorkflows([demoWorkflow()]);
await n8n.start();

console.log(`
n8n editor: ${n8n.url}
  sign in as e2e@example.kz / E2e-Passw0rd!
  workflow "Kaspi order → WhatsApp notification" is active.
A new Kaspi order arrives every ${values['order-every']} s; the messages WhatsApp would get appear below.
Press Ctrl-C to stop.
`);

let next = 700000001;
async function placeOrder() {
	const [firstName, lastName, cellPhone] = BUYERS[next % BUYERS.length];
	const [sku, name, price] = PRODUCTS[next % PRODUCTS.length];
	const code = String(next++);
	await sandbox.createOrders([
		{
			code,
			state: 'NEW',
			status: 'APPROVED_BY_BANK',
			creationDate: Date.now(),
			customer: { firstName, lastName, cellPhone },
			entries: [{ sku, name, quantity: 1, basePrice: price }],
		},
	]);
	console.log(`Kaspi: new order №${code} from ${firstName} ${lastName}`);
}

let printed = 0;
async function printMessages() {
	const messages = await sandbox.messages();
	for (const message of messages.slice(printed)) {
		console.log(`WhatsApp → ${message.chatId}:\n  ${String(message.text).replaceAll('\n', '\n  ')}`);
	}
	printed = messages.length;
}

await placeOrder();
const orderTimer = setInterval(() => void placeOrder().catch(console.error), Number(values['order-every']) * 1000);
const printTimer = setInterval(() => void printMessages().catch(console.error), 2000);

async function shutdown() {
	clearInterval(orderTimer);
	clearInterval(printTimer);
	console.log('\nstopping…');
	await n8n.dispose();
	await sandboxServer.close();
	process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());

// @ts-check
// The demo: a whole shop on loopback — the sandbox of all five services, the alert sinks, and a
// real n8n with the packed pack and every shipped workflow, credentials pointed at the sandbox.
// The order → WhatsApp, order → amoCRM and receipts workflows run (with schedules shortened, as in
// the end-to-end suites); the others are imported switched off, to open on the canvas. A new Kaspi
// order arrives every minute or so and an earlier one is completed; what reached WhatsApp, amoCRM,
// Webkassa and the alert channel is printed here. Runs until Ctrl-C.
import { parseArgs } from 'node:util';

import { loadWorkflow } from '../test/e2e/lib/harness.mjs';
import { kaspiOrder, startShop } from '../test/e2e/lib/shop.mjs';

const { values } = parseArgs({
	options: {
		'n8n-port': { type: 'string', default: '5678' },
		'sandbox-port': { type: 'string', default: '4010' },
		'order-every': { type: 'string', default: '60' },
	},
});

const BUYERS = [
	['Айгерим', '7011234567'],
	['Нурлан', '7779876543'],
	['Дана', '7051112233'],
	['Ерлан', '7475556677'],
	['Алия', '7753334455'],
	['Бауыржан', '7084445566'],
];

/**
 * Orders are completed a few arrivals after they came: the Kaspi Trigger polls once a minute and
 * notifies orders while they are active, as real orders are for days before they complete.
 */
const COMPLETED_AFTER_ARRIVALS = 3;

console.log('starting the sandbox and n8n (the first run installs n8n, a few minutes)…');
const shop = await startShop({
	queue: false,
	n8nPort: Number(values['n8n-port']),
	sandboxPort: Number(values['sandbox-port']),
	alStyleProbe: false,
	inactiveWorkflows: [
		'alstyle-kaspi-feed.json',
		'webkassa-token-rotation.json',
		'webkassa-daily-z-report.json',
	].map(loadWorkflow),
});

console.log(`
sandbox:    ${shop.sandbox.url}  (Kaspi, WAHA, amoCRM, Webkassa and Al-Style emulators)
n8n editor: ${shop.n8n.url}
  sign in as e2e@example.kz / E2e-Passw0rd!
  running: Kaspi order → WhatsApp, Kaspi → amoCRM sync, Kaspi → Webkassa receipts (every 15 s here)
  switched off, to open and run by hand: the amoCRM reconcile, the Al-Style → Kaspi feed, the
  Webkassa token rotation and Z-report, and the error alerts (the others' error workflow)
A new Kaspi order arrives every ${values['order-every']} s; each is completed ${COMPLETED_AFTER_ARRIVALS} arrivals later.
Press Ctrl-C to stop.
`);

let next = 700000001;
/** @type {string[]} */
const activeCodes = [];
async function placeOrder() {
	const [firstName, phone] = BUYERS[next % BUYERS.length];
	const code = String(next++);
	await shop.sandbox.createOrders([kaspiOrder(code, { phone, firstName })]);
	console.log(`Kaspi:    new order №${code} from ${firstName}`);
	activeCodes.push(code);
	if (activeCodes.length > COMPLETED_AFTER_ARRIVALS) {
		const completed = activeCodes.shift();
		await shop.sandbox.http.patch(`/kaspi/orders/${completed}`, {
			state: 'ARCHIVE',
			status: 'COMPLETED',
		});
		console.log(`Kaspi:    order №${completed} completed`);
	}
}

const shown = { messages: 0, deals: 0, receipts: 0, alerts: 0 };
/**
 * Prints what is new in a list since the last look.
 * @template T
 * @param {keyof typeof shown} kind
 * @param {T[]} list
 * @param {(entry: T) => string} line
 */
function printNew(kind, list, line) {
	for (const entry of list.slice(shown[kind])) console.log(line(entry));
	shown[kind] = list.length;
}

async function printWhatReachedTheServices() {
	printNew(
		'messages',
		await shop.sandbox.messages(),
		(message) =>
			`WhatsApp → ${message.chatId}:\n  ${String(message.text).replaceAll('\n', '\n  ')}`,
	);
	printNew(
		'deals',
		(await shop.amo()).leads,
		(lead) => `amoCRM:   deal #${lead.id} "${lead.name}", ${lead.price} ₸`,
	);
	printNew(
		'receipts',
		await shop.receipts(),
		(receipt) =>
			`Webkassa: receipt ${receipt.ExternalCheckNumber}, fiscal №${receipt.Number}, ${receipt.Total} ₸`,
	);
	printNew('alerts', shop.telegram.messages, (alert) => `Alert:    ${alert.text.split('\n')[0]}`);
}

await placeOrder();
const orderTimer = setInterval(
	() => void placeOrder().catch(console.error),
	Number(values['order-every']) * 1000,
);
const printTimer = setInterval(() => void printWhatReachedTheServices().catch(console.error), 2000);

async function shutdown() {
	clearInterval(orderTimer);
	clearInterval(printTimer);
	console.log('\nstopping…');
	await shop.close();
	process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());

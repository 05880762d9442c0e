import type {
	IDataObject,
	IHookFunctions,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { sessionRLC } from './actions/common.descriptions';
import { sessionName } from './helpers/session';
import { searchSessions } from './methods/listSearch';
import { WAHA_CREDENTIAL } from './transport';
import { isFreshWebhookEvent, isValidWebhookSignature, webhookEventTime } from './transport/hmac';
import {
	EVENT_MIN_VERSION,
	HMAC_HEADER,
	TIMESTAMP_HEADER,
	WEBHOOK_EVENTS,
	type WahaWebhookEvent,
} from './transport/types';
import {
	checkWebhook,
	createWebhook,
	DEFAULT_MAX_EVENT_AGE_MINUTES,
	deleteWebhook,
	maxEventAgeMinutes,
} from './transport/webhookRegistration';

type WahaEvent = (typeof WEBHOOK_EVENTS)[number];

const EVENT_LABELS: Record<WahaEvent, Omit<INodePropertyOptions, 'value'>> = {
	'call.received': { name: 'Call Received', description: 'Someone calls the linked number' },
	'label.chat.added': {
		name: 'Label Added to Chat',
		description: 'A WhatsApp Business label is put on a chat',
	},
	message: { name: 'Message Received', description: 'A message from someone else arrives' },
	'message.ack': {
		name: 'Message Delivery Status',
		description: 'A sent message is delivered, read or played (ack and ackName)',
	},
	'message.any': {
		name: 'Any Message',
		description:
			'Every message, including the ones the shop sends (payload.source tells API from phone)',
	},
	'message.edited': {
		name: 'Message Edited',
		description: `A message is edited. Needs WAHA ${EVENT_MIN_VERSION['message.edited']} or later.`,
	},
	'message.reaction': { name: 'Message Reaction', description: 'Someone reacts to a message' },
	'message.revoked': { name: 'Message Deleted', description: 'A message is deleted for everyone' },
	'poll.vote': { name: 'Poll Vote', description: 'Someone votes in a poll' },
	'presence.update': {
		name: 'Presence Update',
		description:
			'A contact comes online, types or leaves. On NOWEB and GOWS only for contacts the session subscribed to (POST /api/{session}/presence/{chatId}/subscribe).',
	},
	'session.status': {
		name: 'Session Status Changed',
		description: 'The session becomes WORKING, needs a QR scan, stops or fails',
	},
};

const eventOptions: INodePropertyOptions[] = WEBHOOK_EVENTS.map((value) => ({
	...EVENT_LABELS[value],
	value,
})).sort((a, b) => a.name.localeCompare(b.name));

export class WahaTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'WAHA Trigger',
		name: 'wahaTrigger',
		icon: { light: 'file:waha.svg', dark: 'file:waha.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["events"].join(", ") }}',
		description: 'Starts the workflow when WhatsApp events arrive from a WAHA session',
		defaults: { name: 'WAHA Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'wahaApi', required: true }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'waha' }],
		properties: [
			{
				displayName:
					'Activating the workflow adds this node’s URL to the session’s webhooks in WAHA (other webhooks are kept) and removes it on deactivation. Every such change restarts a running WAHA session for a few seconds, during which sends fail: activating, deactivating, saving an active workflow, and Listen for Test Event each cause one. With a Webhook HMAC Secret in the credential, unsigned or wrongly signed events are rejected; WAHA Core signs webhooks since 2024.11.5. The replay check uses the event’s timestamp (WAHA 2025.3.1 or later), else the X-Webhook-Timestamp header; an event with neither is accepted unchecked. WAHA Core before 2026.6 has only the session "default".',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			sessionRLC,
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: eventOptions,
				default: ['message'],
				required: true,
				description:
					'The WAHA events that start the workflow; any other event is answered and dropped',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Max Event Age (Minutes)',
						name: 'maxEventAgeMinutes',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: DEFAULT_MAX_EVENT_AGE_MINUTES,
						description:
							'With a Webhook HMAC Secret: refuses a signed event older than this, so a captured request cannot be replayed later. WAHA’s retries of a delivery are registered to end within it. 0 accepts any age.',
					},
				],
			},
		],
	};

	methods = { listSearch: { searchSessions } };

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await checkWebhook(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await createWebhook(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await deleteWebhook(this);
			},
		},
	};

	/**
	 * Verifies WAHA's signature over the raw body (n8n keeps it as `req.rawBody`; re-serialised JSON
	 * is only a fallback and may differ byte for byte), then keeps the chosen events of the session.
	 */
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const credentials = await this.getCredentials(WAHA_CREDENTIAL);
		const secret = String(credentials.webhookSecret ?? '');
		const body = this.getBodyData();
		if (secret) {
			const rawBody = (this.getRequestObject() as { rawBody?: Buffer | string }).rawBody;
			const signature = this.getHeaderData()[HMAC_HEADER];
			if (!isValidWebhookSignature(rawBody ?? JSON.stringify(body), signature, secret)) {
				this.getResponseObject().status(401).send('Invalid signature').end();
				return { noWebhookResponse: true };
			}
			const maxAgeMinutes = maxEventAgeMinutes(this);
			// WAHA before 2025.3.1 puts no timestamp in the body; before 2024.11.5 Core does not
			// sign at all. An event with no time at all is let through, as the notice says.
			const created = webhookEventTime(body, this.getHeaderData()[TIMESTAMP_HEADER]);
			if (
				maxAgeMinutes > 0 &&
				created !== undefined &&
				!isFreshWebhookEvent(created, maxAgeMinutes * 60_000)
			) {
				this.getResponseObject().status(401).send('Stale event').end();
				return { noWebhookResponse: true };
			}
		}
		const event = body as unknown as Partial<WahaWebhookEvent>;
		const events = this.getNodeParameter('events', []) as string[];
		const session = sessionName(this.getNodeParameter('session', ''));
		const wantedSession = event.session === undefined || event.session === session;
		if (!event.event || !events.includes(event.event) || !wantedSession) {
			return { webhookResponse: 'ignored' };
		}
		return { workflowData: [this.helpers.returnJsonArray(body as IDataObject)] };
	}
}

import type { INodeProperties } from 'n8n-workflow';

import { MAX_DELAY_SECONDS, TYPING_MAX_MS, TYPING_MIN_MS } from '../../helpers/pacing';

/** The options every send operation offers: Send Once and the human-like pace. */
export const sendOptions: INodeProperties[] = [
	{
		displayName: 'Random Delay Between Messages',
		name: 'randomDelay',
		type: 'fixedCollection',
		placeholder: 'Add Delay',
		default: {},
		description:
			'Waits a random time before each message this node sends in an execution, except the first. WAHA advises 30–60 seconds between messages to keep the number from being banned.',
		options: [
			{
				displayName: 'Delay',
				name: 'delay',
				values: [
					{
						displayName: 'Min Seconds',
						name: 'minSeconds',
						type: 'number',
						typeOptions: { minValue: 0, maxValue: MAX_DELAY_SECONDS },
						default: 30,
					},
					{
						displayName: 'Max Seconds',
						name: 'maxSeconds',
						type: 'number',
						typeOptions: { minValue: 0, maxValue: MAX_DELAY_SECONDS },
						default: 60,
					},
				],
			},
		],
	},
	{
		displayName: 'Send Once Key',
		name: 'sendOnceKey',
		type: 'string',
		default: '',
		placeholder: 'e.g. kaspi-order-{{ $json.code }}',
		description:
			'Sends at most one message per key in this workflow, however often the item comes again. The key is recorded in n8n’s deduplication store once WAHA accepted the message; when it is already there nothing is sent and the output says alreadySent. A failed send records nothing, so a later run sends it; while one execution is sending a key, others skip it (sendingElsewhere). Pair it with Skip If Chat Contains: that also covers a run that died after sending but before recording. Test runs record keys too.',
	},
	{
		displayName: 'Simulate Typing',
		name: 'simulateTyping',
		type: 'boolean',
		default: false,
		description: `Whether to show "typing…" in the chat before sending, for ${TYPING_MIN_MS / 1000}–${TYPING_MAX_MS / 1000} seconds depending on the length of the message, as WAHA advises`,
	},
	{
		displayName: 'Skip If Chat Contains',
		name: 'skipIfChatContains',
		type: 'string',
		default: '',
		placeholder: 'e.g. {{ $json.code }}',
		description:
			'Reads your last 20 messages in the chat right before sending (newest first on WAHA 2025.10.5 or later) and sends nothing when one contains this text, e.g. the order code; the Send Once Key is then recorded. This catches a message that reached WhatsApp although WAHA’s answer was lost or n8n died before recording it.',
	},
	{
		displayName: 'If Chat History Is Unavailable',
		name: 'historyUnavailable',
		type: 'options',
		options: [
			{
				name: 'Send Anyway',
				value: 'send',
				description:
					'Send and output historyChecked: false. Send Once still holds; only a run that died right after sending may send twice.',
			},
			{
				name: 'Fail',
				value: 'fail',
				description: 'Send nothing and fail the item',
			},
		],
		default: 'send',
		description:
			'What Skip If Chat Contains does when WAHA cannot give the chat history: NOWEB with its store off (its default), WEBJS on a chat that never had a message, or an engine without history',
	},
];

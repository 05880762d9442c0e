import type { INodeProperties } from 'n8n-workflow';

import * as getQr from './getQr.operation';
import * as getStatus from './getStatus.operation';
import * as start from './start.operation';
import * as stop from './stop.operation';

export { getQr, getStatus, start, stop };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['session'] } },
		options: [
			{
				name: 'Get QR Code',
				value: 'getQr',
				description:
					'Get the QR code to link a WhatsApp account to a session waiting in status SCAN_QR_CODE, as a PNG image',
				action: 'Get the QR code of a session',
			},
			{
				name: 'Get Status',
				value: 'getStatus',
				description:
					'Get the status of a session (WORKING, SCAN_QR_CODE, STOPPED…) and the linked account',
				action: 'Get the status of a session',
			},
			{
				name: 'Start',
				value: 'start',
				description: 'Start a stopped session; starting a running one changes nothing',
				action: 'Start a session',
			},
			{
				name: 'Stop',
				value: 'stop',
				description: 'Stop a session; the linked account stays linked',
				action: 'Stop a session',
			},
		],
		default: 'getStatus',
	},
	...getStatus.description,
	...start.description,
	...stop.description,
	...getQr.description,
];

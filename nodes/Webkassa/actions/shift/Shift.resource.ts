import type { INodeProperties } from 'n8n-workflow';

import * as history from './history.operation';
import * as xReport from './xReport.operation';
import * as zReport from './zReport.operation';

export { history, xReport, zReport };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['shift'] } },
		options: [
			{
				name: 'Get History',
				value: 'history',
				description:
					'List the cashbox’s shifts, newest first, with how long the open one has been open',
				action: 'Get the shift history',
			},
			{
				name: 'X-Report',
				value: 'xReport',
				description: 'Get the current shift’s figures without closing it',
				action: 'Get an x report',
			},
			{
				name: 'Z-Report (Close Shift)',
				value: 'zReport',
				description: 'Close the shift and get its Z-report',
				action: 'Close the shift with a z report',
			},
		],
		default: 'xReport',
	},
	...xReport.description,
	...zReport.description,
	...history.description,
];

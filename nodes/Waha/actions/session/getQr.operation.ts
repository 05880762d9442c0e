import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { getQrImage } from '../../transport';
import { readSession, sessionRLC } from '../common.descriptions';

const properties: INodeProperties[] = [
	sessionRLC,
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the output binary field to put the QR code image in',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['session'], operation: ['getQr'] } },
	properties,
);

/** Only a session in status SCAN_QR_CODE has a QR code; WAHA answers 422 otherwise. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const session = readSession(this, itemIndex);
	const field = String(this.getNodeParameter('binaryPropertyName', itemIndex)).trim() || 'data';
	const qr = await getQrImage(this, session, { itemIndex });
	const extension = qr.mimeType === 'image/png' ? 'png' : (qr.mimeType.split('/')[1] ?? 'bin');
	const binary = await this.helpers.prepareBinaryData(
		qr.data,
		`waha-${session}-qr.${extension}`,
		qr.mimeType,
	);
	return [{ json: { session, mimeType: qr.mimeType }, binary: { [field]: binary } }];
}

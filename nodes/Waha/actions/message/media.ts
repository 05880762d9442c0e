import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { deliver, type SendOptions } from '../../helpers/delivery';
import { sendMessage } from '../../transport';
import type { WahaFile } from '../../transport/types';
import { optionsCollection, readTarget, recipientField, sessionRLC } from '../common.descriptions';
import { sendOptions } from './sendOptions';

/** Send Image and Send File take the same parameters; only the endpoint and the wording differ. */
type MediaKind = 'image' | 'file';

const NOUN: Record<MediaKind, string> = { image: 'Image', file: 'File' };

/**
 * WAHA parses JSON bodies up to 50 MB (docs/services/waha.md, "Sending"); base64 makes a file a
 * third bigger, and the rest of the body needs a little room. A bigger body would get a bare 413.
 */
const MAX_BASE64_BYTES = 50 * 1024 * 1024 - 64 * 1024;
const ENDPOINT = { image: 'sendImage', file: 'sendFile' } as const;

const MIME_BY_EXTENSION: Record<string, string> = {
	csv: 'text/csv',
	doc: 'application/msword',
	docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	gif: 'image/gif',
	jpeg: 'image/jpeg',
	jpg: 'image/jpeg',
	mp4: 'video/mp4',
	pdf: 'application/pdf',
	png: 'image/png',
	txt: 'text/plain',
	webp: 'image/webp',
	xls: 'application/vnd.ms-excel',
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	zip: 'application/zip',
};

function mediaProperties(kind: MediaKind): INodeProperties[] {
	const noun = NOUN[kind];
	return [
		sessionRLC,
		recipientField,
		{
			displayName: `${noun} Source`,
			name: 'fileSource',
			type: 'options',
			options: [
				{
					name: 'Binary Data',
					value: 'binary',
					description: `The ${noun.toLowerCase()} in a binary field of the input item`,
				},
				{
					name: 'URL',
					value: 'url',
					description: `WAHA downloads the ${noun.toLowerCase()} from a public address`,
				},
			],
			default: 'url',
		},
		{
			displayName: `${noun} URL`,
			name: 'fileUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder:
				kind === 'image'
					? 'e.g. https://example.kz/photo.jpg'
					: 'e.g. https://example.kz/invoice.pdf',
			displayOptions: { show: { fileSource: ['url'] } },
		},
		{
			displayName: 'Input Binary Field',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			required: true,
			hint: 'The name of the input binary field holding the file',
			displayOptions: { show: { fileSource: ['binary'] } },
		},
		{
			displayName: 'Caption',
			name: 'caption',
			type: 'string',
			typeOptions: { rows: 2 },
			default: '',
			description: `Text shown under the ${noun.toLowerCase()}`,
		},
		optionsCollection([
			{
				displayName: 'File Name',
				name: 'fileName',
				type: 'string',
				default: '',
				placeholder: kind === 'image' ? 'e.g. photo.jpg' : 'e.g. invoice-1042.pdf',
				description:
					'The name the recipient sees. Defaults to the binary file’s name or the last part of the URL.',
			},
			{
				displayName: 'MIME Type',
				name: 'mimeType',
				type: 'string',
				default: '',
				placeholder: kind === 'image' ? 'e.g. image/jpeg' : 'e.g. application/pdf',
				description:
					'Overrides the type taken from the binary data or guessed from the URL’s extension',
			},
			...sendOptions,
		]),
	];
}

function safeDecode(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}

function guessFromUrl(url: string): { fileName?: string; mimeType?: string } {
	const last = url.split(/[?#]/)[0].split('/').pop() ?? '';
	const extension = /\.([a-z0-9]+)$/i.exec(last)?.[1]?.toLowerCase();
	return {
		fileName: last ? safeDecode(last) : undefined,
		mimeType: extension ? MIME_BY_EXTENSION[extension] : undefined,
	};
}

async function readFile(
	context: IExecuteFunctions,
	itemIndex: number,
	kind: MediaKind,
	options: { fileName?: string; mimeType?: string },
): Promise<WahaFile> {
	const fallbackType = kind === 'image' ? 'image/jpeg' : 'application/octet-stream';
	if (context.getNodeParameter('fileSource', itemIndex) === 'binary') {
		const field = String(context.getNodeParameter('binaryPropertyName', itemIndex)).trim();
		const binary = context.helpers.assertBinaryData(itemIndex, field);
		const bytes = await context.helpers.getBinaryDataBuffer(itemIndex, field);
		if (4 * Math.ceil(bytes.length / 3) > MAX_BASE64_BYTES) {
			const megabytes = Math.round(bytes.length / 1024 / 1024);
			throw new NodeOperationError(
				context.getNode(),
				`Input Binary Field "${field}" is too big to send as binary data (${megabytes} MB)`,
				{
					itemIndex,
					description: `WAHA accepts request bodies up to 50 MB, so files up to about 37 MB. Put the ${NOUN[kind].toLowerCase()} at a public address and set ${NOUN[kind]} Source to URL: WAHA then downloads it itself.`,
				},
			);
		}
		return {
			mimetype: options.mimeType || binary.mimeType || fallbackType,
			filename: options.fileName || binary.fileName,
			data: bytes.toString('base64'),
		};
	}
	const url = String(context.getNodeParameter('fileUrl', itemIndex) ?? '').trim();
	if (!/^https?:\/\/\S+$/i.test(url)) {
		throw new NodeOperationError(context.getNode(), `${NOUN[kind]} URL is not an http(s) address`, {
			itemIndex,
			description:
				'WAHA downloads the file itself, so it needs a full address such as https://example.kz/file.pdf.',
		});
	}
	const guessed = guessFromUrl(url);
	return {
		mimetype: options.mimeType || guessed.mimeType || fallbackType,
		filename: options.fileName || guessed.fileName,
		url,
	};
}

async function sendMedia(
	context: IExecuteFunctions,
	itemIndex: number,
	kind: MediaKind,
): Promise<IDataObject> {
	const target = readTarget(context, itemIndex);
	const options = context.getNodeParameter('options', itemIndex, {}) as SendOptions & {
		fileName?: string;
		mimeType?: string;
	};
	const file = await readFile(context, itemIndex, kind, options);
	const caption = String(context.getNodeParameter('caption', itemIndex, '') ?? '');
	const body = { ...target, file, ...(caption ? { caption } : {}) };
	return await deliver(
		context,
		itemIndex,
		{
			...target,
			textLength: caption.length,
			send: async () => await sendMessage(context, ENDPOINT[kind], body, { itemIndex }),
		},
		options,
	);
}

/** Both media operations in one place: `export const { description, execute } = mediaOperation('image')`. */
export function mediaOperation(kind: MediaKind) {
	return {
		description: updateDisplayOptions(
			{ show: { resource: ['message'], operation: [ENDPOINT[kind]] } },
			mediaProperties(kind),
		),
		async execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
			return await sendMedia(this, itemIndex, kind);
		},
	};
}

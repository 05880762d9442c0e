/**
 * A small stand-in for n8n's execution contexts, faithful where our nodes depend on it: HTTP goes
 * through axios (as in n8n-core), so nock sees every request; credentials are applied the way
 * `IAuthenticateGeneric` describes; the dedupe store and static data behave like n8n's.
 */
import axios, { type AxiosRequestConfig } from 'axios';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
} from 'n8n-workflow';

import { AlStyleApi } from '../../credentials/AlStyleApi.credentials';
import { AmoCrmLongLivedApi } from '../../credentials/AmoCrmLongLivedApi.credentials';
import { KaspiApi } from '../../credentials/KaspiApi.credentials';
import { WahaApi } from '../../credentials/WahaApi.credentials';

type Authenticating = { authenticate: { properties: { headers?: IDataObject; qs?: IDataObject } } };
const credentialTypes: Record<string, Authenticating> = {
	alStyleApi: new AlStyleApi() as unknown as Authenticating,
	amoCrmLongLivedApi: new AmoCrmLongLivedApi() as unknown as Authenticating,
	kaspiApi: new KaspiApi() as unknown as Authenticating,
	wahaApi: new WahaApi() as unknown as Authenticating,
};

function resolveCredentialExpression(
	value: unknown,
	credentials: ICredentialDataDecryptedObject,
): unknown {
	if (typeof value !== 'string' || !value.startsWith('=')) return value;
	return value
		.slice(1)
		.replace(/\{\{\s*\$credentials\.(\w+)\s*\}\}/g, (_, key: string) =>
			String(credentials[key] ?? ''),
		);
}

function applyCredential(
	type: string,
	credentials: ICredentialDataDecryptedObject,
	options: IHttpRequestOptions,
) {
	const { headers = {}, qs = {} } = credentialTypes[type].authenticate.properties;
	const resolve = (record: IDataObject) =>
		Object.fromEntries(
			Object.entries(record).map(([k, v]) => [k, resolveCredentialExpression(v, credentials)]),
		);
	return {
		...options,
		headers: { ...(options.headers ?? {}), ...resolve(headers) },
		qs: { ...(options.qs ?? {}), ...resolve(qs) },
	} as IHttpRequestOptions;
}

/** n8n-core's `httpRequest`, reduced to the options our transport uses. */
export async function httpRequest(options: IHttpRequestOptions): Promise<unknown> {
	const config: AxiosRequestConfig = {
		url: options.url,
		method: options.method ?? 'GET',
		params: options.qs,
		data: options.body,
		headers: options.headers as AxiosRequestConfig['headers'],
		timeout: options.timeout,
		responseType: options.encoding === 'arraybuffer' ? 'arraybuffer' : 'json',
		validateStatus: options.ignoreHttpStatusErrors ? () => true : undefined,
	};
	const response = await axios.request(config);
	const body =
		options.encoding === 'arraybuffer' ? Buffer.from(response.data as ArrayBuffer) : response.data;
	if (options.returnFullResponse) {
		return {
			body,
			headers: response.headers,
			statusCode: response.status,
			statusMessage: response.statusText,
		};
	}
	return body;
}

export interface FakeContextOptions {
	/** Parameters, either shared by every item or as a function of the item index. */
	parameters: IDataObject | ((itemIndex: number) => IDataObject);
	items?: INodeExecutionData[];
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	continueOnFail?: boolean;
	mode?: string;
	staticData?: IDataObject;
	/** Shared between contexts to emulate one workflow's dedupe store across executions. */
	processed?: Set<string>;
}

export const testNode: INode = {
	id: 'test-node',
	name: 'Test Node',
	type: 'n8n-nodes-kz-commerce.test',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** The database's answer arrives later, after other pending work (a few promise turns). */
async function databaseRoundTrip(): Promise<void> {
	for (let turn = 0; turn < 10; turn++) await Promise.resolve();
}

function replaceContents(target: Set<string>, source: Set<string>): void {
	target.clear();
	for (const key of source) target.add(key);
}

function getPath(source: IDataObject, path: string): unknown {
	return path
		.split('.')
		.reduce<unknown>((value, key) => (value as IDataObject | undefined)?.[key], source);
}

/**
 * Builds the `this` our execute(), poll() and webhook methods receive. Cast it to the context type
 * the code under test expects.
 */
export function fakeContext(options: FakeContextOptions) {
	const items: INodeExecutionData[] = options.items ?? [{ json: {} }];
	const staticData = options.staticData ?? {};
	const processed = options.processed ?? new Set<string>();
	const credentials = options.credentials ?? {};
	const parametersFor = (itemIndex: number) =>
		typeof options.parameters === 'function' ? options.parameters(itemIndex) : options.parameters;

	const context = {
		getInputData: () => items,
		getNode: () => testNode,
		getMode: () => options.mode ?? 'trigger',
		getActivationMode: () => 'activate',
		continueOnFail: () => options.continueOnFail ?? false,
		getWorkflowStaticData: () => staticData,
		getWorkflow: () => ({ id: 'wf-test', name: 'Test', active: true }),
		getNodeParameter(
			name: string,
			itemIndexOrFallback?: unknown,
			fallback?: unknown,
			opts?: { extractValue?: boolean },
		) {
			const itemIndex = typeof itemIndexOrFallback === 'number' ? itemIndexOrFallback : 0;
			const fallbackValue =
				typeof itemIndexOrFallback === 'number' ? fallback : itemIndexOrFallback;
			const value = getPath(parametersFor(itemIndex), name);
			if (value === undefined) {
				if (fallbackValue !== undefined) return fallbackValue;
				throw new Error(`Could not get parameter "${name}"`);
			}
			if (opts?.extractValue && typeof value === 'object' && value && 'value' in value) {
				return (value as { value: unknown }).value;
			}
			return value;
		},
		async getCredentials(type: string) {
			const data = credentials[type];
			if (!data) throw new Error(`Node does not have credentials of type "${type}"`);
			return data;
		},
		helpers: {
			httpRequest,
			async httpRequestWithAuthentication(type: string, requestOptions: IHttpRequestOptions) {
				return await httpRequest(applyCredential(type, credentials[type] ?? {}, requestOptions));
			},
			returnJsonArray: (data: IDataObject | IDataObject[]) =>
				(Array.isArray(data) ? data : [data]).map((json) => ({ json })),
			constructExecutionMetaData: (
				data: INodeExecutionData[],
				meta: { itemData: { item: number } },
			) => data.map((entry) => ({ ...entry, pairedItem: meta.itemData })),
			// Like n8n's DeduplicationHelper: read the workflow's row, a database round trip, write the
			// row back whole, with no lock, so concurrent executions can lose each other's writes.
			async checkProcessedAndRecord(keys: Array<string | number>) {
				const row = new Set(processed);
				const result = {
					new: [] as Array<string | number>,
					processed: [] as Array<string | number>,
				};
				for (const key of keys) {
					if (row.has(String(key))) result.processed.push(key);
					else {
						row.add(String(key));
						result.new.push(key);
					}
				}
				await databaseRoundTrip();
				replaceContents(processed, row);
				return result;
			},
			async removeProcessed(keys: Array<string | number>) {
				const row = new Set(processed);
				for (const key of keys) row.delete(String(key));
				await databaseRoundTrip();
				replaceContents(processed, row);
			},
			async prepareBinaryData(data: Buffer, fileName?: string, mimeType?: string) {
				return {
					data: data.toString('base64'),
					fileName,
					mimeType: mimeType ?? 'application/octet-stream',
				};
			},
			async getBinaryDataBuffer(itemIndex: number, propertyName: string) {
				const binary = items[itemIndex].binary?.[propertyName];
				if (!binary) throw new Error(`No binary data property "${propertyName}"`);
				return Buffer.from(binary.data, 'base64');
			},
			assertBinaryData(itemIndex: number, propertyName: string) {
				const binary = items[itemIndex].binary?.[propertyName];
				if (!binary) throw new Error(`No binary data property "${propertyName}"`);
				return binary;
			},
		},
	};
	return { context, staticData, processed };
}

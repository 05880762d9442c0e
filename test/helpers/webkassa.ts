/**
 * Webkassa test set-up: a nock scope that insists on the partner key, and a runner whose
 * `httpRequestWithAuthentication` does what n8n-core 1.x does for a credential with an expirable
 * field: call `preAuthentication` when the token is empty and store the result (here in `db`),
 * honour `credentialsDecrypted`, apply the credential's `authenticate`, and wrap what it throws in
 * a `NodeApiError`.
 */
import nock from 'nock';
import type {
	IAdditionalCredentialOptions,
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { WebkassaApi } from '../../credentials/WebkassaApi.credentials';
import { Webkassa } from '../../nodes/Webkassa/Webkassa.node';
import { fakeContext, httpRequest, testNode, type FakeContextOptions } from './context';

export const WK_URL = 'http://webkassa.test';
export const API_KEY = 'WKD-unit-key';
export const LOGIN = 'cashier@shop.kz';
export const PASSWORD = ['Pa55', 'unit', 'pw'].join('-');
export const STORED_TOKEN = 'a'.repeat(32);
export const CASHBOX = 'SWK00033717';

export const cashboxRL = { __rl: true, mode: 'id', value: CASHBOX };

/** Create Sale of one position (2 × 4500 − 500 at 16 %, by card); `extra` overrides any field. */
export const sale = (extra: IDataObject = {}): IDataObject => ({
	resource: 'receipt',
	operation: 'createSale',
	cashbox: cashboxRL,
	externalCheckNumber: 'kaspi-1042-sale',
	positionsSource: 'fields',
	positions: {
		position: [
			{
				name: 'Мышь Logitech M185',
				code: 'AS-36291',
				count: 2,
				price: 4500,
				discount: 500,
				unitCode: 796,
				vatRate: 'receipt',
			},
		],
	},
	vatRate: '16',
	paymentMethod: 'card',
	options: {},
	...extra,
});

export function webkassaCredentials(
	overrides: ICredentialDataDecryptedObject = {},
): ICredentialDataDecryptedObject {
	return {
		environment: 'custom',
		customBaseUrl: WK_URL,
		apiFamily: 'v4',
		login: LOGIN,
		password: PASSWORD,
		apiKey: API_KEY,
		sessionToken: STORED_TOKEN,
		...overrides,
	};
}

/** Every request must carry the partner key. */
export function wk() {
	return nock(WK_URL, { reqheaders: { 'x-api-key': API_KEY } });
}

/** One answered request per call; the bodies it got are pushed to `bodies`. */
export function reply(
	path: string,
	answers: Array<object | ((body: Record<string, unknown>) => object)>,
	bodies: Array<Record<string, unknown>> = [],
) {
	let index = 0;
	wk()
		.post(path)
		.times(answers.length)
		.reply(200, (_uri, body) => {
			const parsed = body as Record<string, unknown>;
			bodies.push(parsed);
			const answer = answers[Math.min(index++, answers.length - 1)];
			return typeof answer === 'function' ? answer(parsed) : answer;
		});
	return bodies;
}

export const ok = (data: unknown) => ({ Data: data });
export const err = (code: number, text: string) => ({ Errors: [{ Code: code, Text: text }] });

export interface WebkassaRun {
	/** The stored credential, as n8n's database holds it. */
	db: ICredentialDataDecryptedObject;
	/** How many times n8n called the credential's preAuthentication. */
	logins: number;
	context: IExecuteFunctions;
}

export function webkassaContext(
	options: Partial<FakeContextOptions> & {
		parameters: FakeContextOptions['parameters'];
		db?: ICredentialDataDecryptedObject;
	},
): WebkassaRun {
	const db = options.db ?? webkassaCredentials();
	const credential = new WebkassaApi();
	const node = { ...testNode, credentials: { webkassaApi: { id: 'cred-1', name: 'Webkassa' } } };
	const { context } = fakeContext({ ...options, credentials: { webkassaApi: db } });
	const run: WebkassaRun = { db, logins: 0, context: context as unknown as IExecuteFunctions };
	Object.assign(context, {
		getNode: () => node,
		getCredentials: async () => ({ ...db }),
	});
	context.helpers.httpRequestWithAuthentication = async (
		_type: string,
		requestOptions: IHttpRequestOptions,
		additional?: IAdditionalCredentialOptions,
	) => {
		try {
			const data = { ...(additional?.credentialsDecrypted?.data ?? db) };
			if (data.sessionToken === '') {
				run.logins++;
				const output = await credential.preAuthentication.call(
					{ helpers: { httpRequest } } as never,
					data,
				);
				Object.assign(data, output);
				Object.assign(db, output);
			}
			return await httpRequest(await credential.authenticate(data, requestOptions));
		} catch (error) {
			throw new NodeApiError(node, error as JsonObject);
		}
	};
	return run;
}

export async function runWebkassa(
	options: Parameters<typeof webkassaContext>[0],
): Promise<{ output: INodeExecutionData[]; run: WebkassaRun }> {
	const run = webkassaContext(options);
	const [output] = await new Webkassa().execute.call(run.context);
	return { output, run };
}

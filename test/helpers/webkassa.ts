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
import { resetSessions } from '../../nodes/Webkassa/transport/session';
import { fakeContext, httpRequest, testNode, type FakeContextOptions } from './context';

export const WK_URL = 'http://webkassa.test';
export const API_KEY = 'WKD-unit-key';
export const LOGIN = 'cashier@shop.kz';
/** The token a renewal brings, unlike the stored one. */
export const NEW_TOKEN = 'b'.repeat(32);
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

/**
 * The set-up every Webkassa node test file shares: no real network, fresh sessions, and no
 * reply left unused by a test.
 */
export function useWebkassaUnit(): void {
	beforeAll(() => nock.disableNetConnect());
	afterAll(() => nock.enableNetConnect());
	beforeEach(() => resetSessions());
	afterEach(() => {
		const pending = nock.pendingMocks();
		nock.cleanAll();
		expect(pending).toEqual([]);
	});
}

/** A receipt as Webkassa's Check call answers it. */
export function checkData(overrides: IDataObject = {}): IDataObject {
	return {
		CheckNumber: '1675760809473',
		DateTime: '22.11.2026 14:05:11',
		OfflineMode: false,
		Cashbox: { UniqueNumber: CASHBOX, RegistrationNumber: '660377756642' },
		CheckOrderNumber: 28,
		ShiftNumber: 154,
		TicketUrl: 'http://consumer.test/?i=1675760809473&f=660377756642&s=8500.00&t=20261122T140511',
		TicketPrintUrl: `${WK_URL}/spa-ui/ticket?chb=${CASHBOX}&sh=154&extnum=kaspi-1042-sale`,
		...overrides,
	};
}

/** The same receipt as the history API lists it. */
export function historyReceipt(overrides: IDataObject = {}): IDataObject {
	return {
		Number: '1675760809473',
		ShiftNumber: 154,
		ExternalCheckNumber: 'kaspi-1042-sale',
		RegistratedOn: '22.11.2026 14:05:11',
		OperationType: 2,
		Total: 8500,
		IsOffline: false,
		TicketUrl: 'http://consumer.test/?i=1675760809473&f=660377756642&s=8500.00&t=20261122T140511',
		TicketPrintUrl: `${WK_URL}/spa-ui/ticket?chb=${CASHBOX}&sh=154&extnum=kaspi-1042-sale`,
		...overrides,
	};
}

/** The print form of the receipt with this fiscal number. */
export const printLines = (fiscal: string) =>
	ok({
		Lines: [
			{ Order: 1, Type: 0, Value: 'ТОО Пример', Style: 1 },
			{
				Order: 2,
				Type: 2,
				Value: `http://consumer.test/?i=${fiscal}&f=660377756642&s=8500.00&t=20261122T140511`,
			},
		],
	});

/** Code 14 as Webkassa answers it: the original receipt in Data, its fiscal number in the text. */
export const duplicate = () => ({
	Data: checkData(),
	Errors: [
		{
			Code: 14,
			Text: 'Чек с внешним номером kaspi-1042-sale уже присутствует в системе: 1675760809473',
		},
	],
});

/** A shift history of one open shift. */
export const oneShift = ok({
	Total: 1,
	Skip: 0,
	Take: 1,
	Shifts: [{ ShiftNumber: 154, OpenDate: '22.11.2026 09:00:00' }],
});

/** Neither the direct lookup (v4 history API) nor the print form knows the external number. */
export function notFoundByExternalNumber() {
	reply('/api/v4/Cashbox/ShiftHistory', [oneShift]);
	reply('/api-history/v4/Ticket/GetTicketByExternalCheckNumber', [err(19, 'Чек не найден')]);
	reply('/api/v4/Ticket/PrintFormat', [err(19, 'Чек не найден')]);
}

/** An X or Z report as Webkassa answers it: sales in cash and card, one return. */
export const shiftReport = {
	ReportNumber: 154,
	ShiftNumber: 154,
	StartOn: '22.11.2026 09:00:00',
	CloseOn: '22.11.2026 21:00:00',
	DocumentCount: 12,
	SumInCashbox: 5000,
	Sell: {
		PaymentsByTypesApiModel: [
			{ Sum: 10000, Type: 0 },
			{ Sum: 25000, Type: 1 },
		],
		Count: 10,
		VAT: 4827.59,
	},
	ReturnSell: { PaymentsByTypesApiModel: [{ Sum: 1000, Type: 1 }], Count: 1, VAT: 137.93 },
};

/** Runs the X or Z report operation on `shiftReport` and checks the summary it outputs. */
export async function expectReportSummary(operation: string, path: string, kind: string) {
	reply(path, [ok(shiftReport)]);
	const { output } = await runWebkassa({
		parameters: { resource: 'shift', operation, cashbox: cashboxRL },
	});
	expect(output[0].json).toMatchObject({
		report: kind,
		shiftNumber: 154,
		documentCount: 12,
		cashInDrawer: 5000,
		sales: { count: 10, total: 35000, vat: 4827.59 },
		returns: { count: 1, total: 1000 },
	});
}

/** Two cashboxes as Webkassa lists them, the second the seeded one. */
export const cashboxList = ok({
	List: [
		{ UniqueNumber: 'SWK2', RegistrationNumber: '2', Name: 'Склад', CurrentStatus: 2 },
		{
			UniqueNumber: CASHBOX,
			RegistrationNumber: '660377756642',
			Name: 'Магазин',
			CurrentStatus: 1,
			IsOffline: false,
		},
	],
});

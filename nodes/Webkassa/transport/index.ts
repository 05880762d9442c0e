import type { IDataObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { apiRequest, type ApiContext, type ServiceProfile } from '../../shared/http';
import { CODE_OTHER_HOST, describeWebkassaError, firstError, isTokenError } from './errors';
import {
	connectionOf,
	findLoginError,
	latestToken,
	sessionKey,
	TOKEN_FIELD,
	WEBKASSA_CREDENTIAL,
} from './session';
import {
	TICKET_BY_EXTERNAL_NUMBER_PATH,
	WEBKASSA_METHODS,
	type WebkassaEnvelope,
	type WebkassaError,
	type WebkassaMethod,
} from './types';

export { WEBKASSA_CREDENTIAL } from './session';

/** A receipt can take Webkassa a while when the OFD is slow. */
const TIMEOUT_MS = 30_000;

const webkassaProfile: ServiceProfile = {
	service: 'Webkassa',
	credentialType: WEBKASSA_CREDENTIAL,
	timeoutMs: TIMEOUT_MS,
	retries: 2,
	backoffMs: 1000,
	headers: { Accept: 'application/json', 'Content-Type': 'application/json; charset=UTF-8' },
	describeFailure(statusCode) {
		if (statusCode === 401 || statusCode === 403) {
			return {
				message: `Webkassa refused the request (HTTP ${statusCode})`,
				description:
					'Check the partner key (X-API-KEY) and the API path family (v4 needs a partner key) in the Webkassa API credential.',
			};
		}
		if (statusCode === 404) {
			return {
				message: 'Webkassa answered 404',
				description: 'Check the base URL and the API path family (v4 or legacy) in the credential.',
			};
		}
		return {
			message: `Webkassa answered ${statusCode}`,
			description:
				statusCode >= 500
					? 'Webkassa failed internally. Receipts are safe to send again: the external number prevents a double receipt.'
					: undefined,
		};
	},
	describeThrown: (error) => findLoginError(error),
};

export interface WebkassaCallOptions {
	itemIndex?: number;
	/**
	 * Safe to repeat after a timeout or a 5xx. True for reads, and for receipts and cash operations
	 * because their `ExternalCheckNumber` makes a repeat answer with code 14 instead of a second
	 * document.
	 */
	idempotent?: boolean;
	/** Log in again before the call even if the stored token looks fine (Session → Renew Token). */
	forceLogin?: boolean;
}

/**
 * A refusal may still carry `Data`: a repeated external number answers code 14 together with the
 * original receipt (docs/services/webkassa.md, "Duplicates").
 */
export type WebkassaOutcome<T> =
	| { ok: true; data: T }
	| { ok: false; error: WebkassaError; data?: T };

function pathOf(apiPrefix: string, method: WebkassaMethod): string {
	return method === 'ticketByExternalNumber'
		? TICKET_BY_EXTERNAL_NUMBER_PATH
		: `${apiPrefix}/${WEBKASSA_METHODS[method]}`;
}

/**
 * One Webkassa call: the token goes in the JSON body (added by the credential), business errors
 * arrive as HTTP 200 with `Errors[]`. An expired token (code 2 or 3) gets one re-login and one
 * retry; see `session.ts` for how executions share the token.
 */
export async function tryWebkassa<T>(
	context: ApiContext,
	method: WebkassaMethod,
	body: IDataObject,
	options: WebkassaCallOptions = {},
): Promise<WebkassaOutcome<T>> {
	const node = context.getNode();
	const credentials = await context.getCredentials(WEBKASSA_CREDENTIAL, options.itemIndex);
	const connection = connectionOf(credentials);
	const key = sessionKey(connection);
	const path = pathOf(connection.apiPrefix, method);

	const send = async (token?: string) => {
		const response = await apiRequest<WebkassaEnvelope<T>>(
			context,
			webkassaProfile,
			connection.baseUrl,
			{
				method: 'POST',
				path,
				body,
				idempotent: options.idempotent ?? false,
				itemIndex: options.itemIndex,
				// An empty token makes n8n call the credential's preAuthentication (a login) and
				// store the new token; a non-empty one is used as is for this request only.
				credentialOptions:
					token === undefined
						? undefined
						: {
								credentialsDecrypted: {
									id: node.credentials?.[WEBKASSA_CREDENTIAL]?.id ?? '',
									name: node.credentials?.[WEBKASSA_CREDENTIAL]?.name ?? WEBKASSA_CREDENTIAL,
									type: WEBKASSA_CREDENTIAL,
									data: { ...credentials, [TOKEN_FIELD]: token },
								},
							},
			},
		);
		const envelope = response.body ?? {};
		const error = firstError(envelope.Errors);
		// Code 505: this host is out of service for now; its header names the ones to use instead.
		if (error?.Code === CODE_OTHER_HOST) {
			const hosts =
				response.headers?.alternativedomainnames ?? response.headers?.AlternativeDomainNames;
			if (hosts) error.alternativeHosts = String(hosts).slice(0, 200);
		}
		return envelope;
	};

	const storedToken = String(credentials[TOKEN_FIELD] ?? '');
	let answer = await send(options.forceLogin ? '' : undefined);
	// The token this answer was made with: the stored one, or the one n8n just logged in for.
	const usedToken = (options.forceLogin ? '' : storedToken) || latestToken(key) || '';

	if (isTokenError(answer.Errors)) {
		const newer = latestToken(key);
		// Another execution of this process has logged in since: use its token, do not log in again.
		answer = await send(newer && newer !== usedToken ? newer : '');
	}
	const error = firstError(answer.Errors);
	if (error)
		return answer.Data === undefined
			? { ok: false, error }
			: { ok: false, error, data: answer.Data };
	if (answer.Data === undefined) {
		throw new NodeApiError(
			node,
			{ service: 'Webkassa', path, message: 'answer without Data' },
			{
				message: 'Webkassa answered without data',
				description: 'Check that the base URL points at the Webkassa API.',
				itemIndex: options.itemIndex,
			},
		);
	}
	return { ok: true, data: answer.Data };
}

/** The NodeApiError for a Webkassa business error: English message, Webkassa's Russian text kept. */
export function webkassaApiError(
	context: ApiContext,
	method: WebkassaMethod,
	error: WebkassaError,
	itemIndex?: number,
): NodeApiError {
	const described = describeWebkassaError(error);
	return new NodeApiError(
		context.getNode(),
		{
			service: 'Webkassa',
			method:
				method === 'ticketByExternalNumber'
					? TICKET_BY_EXTERNAL_NUMBER_PATH
					: WEBKASSA_METHODS[method],
			code: described.code,
			message: described.message,
		},
		{ message: described.message, description: described.description, itemIndex },
	);
}

/** Like `tryWebkassa`, but any business error is thrown. */
export async function webkassaRequest<T>(
	context: ApiContext,
	method: WebkassaMethod,
	body: IDataObject,
	options: WebkassaCallOptions = {},
): Promise<T> {
	const outcome = await tryWebkassa<T>(context, method, body, options);
	if (!outcome.ok) throw webkassaApiError(context, method, outcome.error, options.itemIndex);
	return outcome.data;
}

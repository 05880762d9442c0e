/**
 * A refresh after the account's subdomain changed (issue 13): the token endpoint at the old host
 * answers 404, or the old host no longer resolves. The operator is told to correct the Subdomain
 * in the credential. docs/services/amocrm.md, "OAuth2" and "Conformance".
 */
import nock from 'nock';
import type { IDataObject, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { AmoCrmOAuth2Api } from '../../../credentials/AmoCrmOAuth2Api.credentials';
import { amoRequest } from '../../../nodes/AmoCrm/transport';
import { AMO, useFakeLimiterClock } from '../../helpers/amocrm';
import { fakeContext, httpRequest } from '../../helpers/context';
import { useNock } from '../../helpers/http';

useNock();
useFakeLimiterClock();

const credentials = {
	platform: 'amocrm.ru',
	subdomain: 'shop',
	clientId: 'client-1',
	clientSecret: 'secret-1',
	redirectUri: 'https://n8n.example.test/rest/oauth2-credential/callback',
	authorizationCode: '',
	accessToken: '',
	refreshToken: 'refresh-1',
	expiresAt: 0,
};

/** A node context whose credential refreshes through the real preAuthentication, as n8n runs it. */
function oauthContext(): IExecuteFunctions {
	const credential = new AmoCrmOAuth2Api();
	const { context } = fakeContext({ parameters: { authentication: 'oAuth2' } });
	const fake = context as unknown as { helpers: IDataObject; getCredentials: unknown };
	fake.getCredentials = async () => credentials;
	fake.helpers.httpRequestWithAuthentication = async (
		_type: string,
		options: IHttpRequestOptions,
	) => {
		const output = await credential.preAuthentication.call(
			{ helpers: { httpRequest } } as never,
			{ ...credentials } as never,
		);
		return await httpRequest({
			...options,
			headers: { ...options.headers, Authorization: `Bearer ${String(output.accessToken)}` },
		});
	};
	return context as unknown as IExecuteFunctions;
}

async function failure(): Promise<{ message: string; description: string }> {
	const error = (await amoRequest(oauthContext(), {
		method: 'GET',
		path: '/api/v4/account',
	}).then(
		() => undefined,
		(thrown: unknown) => thrown,
	)) as { message: string; description?: string } | undefined;
	if (!error) throw new Error('the call did not fail');
	return { message: error.message, description: String(error.description ?? '') };
}

describe('OAuth2 refresh after the account’s subdomain changed', () => {
	it('a 404 from the token endpoint tells the operator to correct the Subdomain', async () => {
		nock(AMO)
			.post('/oauth2/access_token')
			.reply(404, { title: 'Not Found', status: 404, detail: 'Account not found' });
		const { message, description } = await failure();
		const text = `${message} ${description}`;
		expect(text).toContain('no amoCRM account at shop.amocrm.ru');
		expect(text).toContain('correct the Subdomain in the amoCRM OAuth2 credential');
		expect(text).not.toContain('refresh-1');
		expect(text).not.toMatch(/already used/);
	});

	it('an old host that no longer resolves gets the same message, without retries', async () => {
		let posts = 0;
		nock(AMO)
			.persist()
			.post('/oauth2/access_token')
			.replyWithError(
				Object.assign(new Error('getaddrinfo ENOTFOUND shop.amocrm.ru'), {
					code: 'ENOTFOUND',
				}),
			)
			.on('request', () => posts++);
		const { message, description } = await failure();
		expect(`${message} ${description}`).toContain('correct the Subdomain');
		expect(posts).toBe(1);
	});

	it('a used refresh token (401 revoked) is still reported as used, not as a subdomain change', async () => {
		nock(AMO).post('/oauth2/access_token').reply(401, {
			hint: 'Token has been revoked',
			title: 'Некорректный запрос',
			status: 401,
		});
		const { message, description } = await failure();
		expect(`${message} ${description}`).not.toContain('Subdomain');
	});
});

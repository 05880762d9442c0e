import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

/**
 * The account host an amoCRM credential points at; every call goes to it
 * (docs/services/amocrm.md, "Account hosts").
 */
type AmoPlatform = 'amocrm.ru' | 'kommo.com' | 'custom';

/**
 * `https://{sub}.amocrm.ru`, `https://{sub}.kommo.com`, or the custom base URL (a proxy, the
 * sandbox). Without a trailing slash and without `/api/v4`.
 */
export function accountBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	const platform = (credentials.platform as AmoPlatform | undefined) ?? 'amocrm.ru';
	if (platform === 'custom') {
		const custom = String(credentials.baseUrl ?? '')
			.trim()
			.replace(/\/+$/, '');
		if (!/^https?:\/\/[^/]+/.test(custom)) {
			throw new Error('The credential’s Base URL must start with http:// or https://');
		}
		return custom;
	}
	const subdomain = String(credentials.subdomain ?? '')
		.trim()
		.toLowerCase()
		.replace(/^https?:\/\//, '')
		.replace(/\.(amocrm\.ru|amocrm\.com|kommo\.com).*$/, '');
	if (!/^[a-z0-9][a-z0-9-]*$/.test(subdomain)) {
		throw new Error(
			'The credential’s Subdomain must be the first part of the account address, e.g. "shop" for shop.amocrm.ru',
		);
	}
	return `https://${subdomain}.${platform}`;
}

/**
 * The credential-test form of `accountBaseUrl`, normalising the Subdomain the same way, so a
 * pasted `shop.amocrm.ru` passes the test as it works in the node.
 */
export const BASE_URL_EXPRESSION =
	'={{ $credentials.platform === "custom" ? $credentials.baseUrl.replace(/\\/+$/, "") : "https://" + ($credentials.subdomain || "").trim().toLowerCase().replace(/^https?:\\/\\//, "").replace(/\\.(amocrm\\.ru|amocrm\\.com|kommo\\.com).*$/, "") + "." + $credentials.platform }}';

// @ts-check
/**
 * The amoCRM emulator's account profiles: what differs between real accounts, switched with
 * `POST /_control/amocrm/profile` or the `SANDBOX_AMOCRM_PROFILE` environment variable.
 */
import { controlError, isObject } from '../../lib/http.mjs';

/**
 * What differs between real accounts, switched with `POST /_control/amocrm/profile` (the WAHA
 * emulator's pattern). The defaults are the plain account most suites assume; each key names the
 * behaviour it turns on and the public source it follows.
 * @typedef {object} AmoProfile
 * @property {number} searchDelayMs How long a new lead, contact or catalog element stays out of
 *   `query` results. The search index is filled asynchronously; the audit could not confirm the
 *   lag on a live account, so it is a setting (default 0) that tests raise.
 * @property {boolean} admin The token's user is an account administrator. `GET /api/v4/users` is
 *   admin-only: 403 "Не хватает прав для вызова данного метода"
 *   (https://www.amocrm.ru/developers/content/crm_platform/users-api).
 * @property {boolean} listRights The user may read lists: `/api/v4/catalogs` is "доступен
 *   пользователем с правами доступа к спискам"
 *   (https://www.amocrm.ru/developers/content/crm_platform/catalogs-api).
 * @property {boolean} duplicateControl This integration is a source of the account's duplicate
 *   control: `/leads/complex` data "participates in duplicate control if the option is enabled",
 *   and a duplicate comes back as the existing lead's id with `merged: true`
 *   (https://developers.kommo.com/reference/complex-leads).
 * @property {'json' | 'html'} blockPage How the 403 of a blocked IP or account looks: problem JSON,
 *   or nginx's bare HTML page (reported in amocrm-api-php's issues; the SDK handles non-JSON
 *   bodies, amocrm/amocrm-api-php src/AmoCRM/Client/AmoCRMApiRequest.php).
 */

/** @type {AmoProfile} */
export const DEFAULT_PROFILE = {
	searchDelayMs: 0,
	admin: true,
	listRights: true,
	duplicateControl: false,
	blockPage: 'json',
};

export const PROFILE_USAGE =
	'Body must be {searchDelayMs?: integer ≥ 0, admin?: boolean, listRights?: boolean, duplicateControl?: boolean, blockPage?: "json"|"html"}';

/**
 * A profile with some settings changed; an unknown key or a wrong type is refused.
 * @param {AmoProfile} profile
 * @param {Record<string, unknown>} changes
 * @returns {AmoProfile}
 */
export function withProfile(profile, changes) {
	const next = { ...profile };
	for (const [key, value] of Object.entries(changes)) {
		const ok =
			key === 'searchDelayMs'
				? Number.isInteger(value) && /** @type {number} */ (value) >= 0
				: key === 'blockPage'
					? value === 'json' || value === 'html'
					: key in DEFAULT_PROFILE && typeof value === 'boolean';
		if (!ok) throw controlError(PROFILE_USAGE);
		/** @type {any} */ (next)[key] = value;
	}
	return next;
}

/**
 * The profile a reset restores: the default, changed by the JSON in the environment variable
 * `SANDBOX_AMOCRM_PROFILE` when set, so that a whole suite can run under an account variant
 * (e.g. `SANDBOX_AMOCRM_PROFILE='{"searchDelayMs":1000}' node --test test/e2e/amocrm.test.mjs`).
 * @returns {AmoProfile}
 */
export function baseProfile() {
	const raw = process.env.SANDBOX_AMOCRM_PROFILE;
	if (!raw) return { ...DEFAULT_PROFILE };
	const parsed = JSON.parse(raw);
	if (!isObject(parsed)) throw new Error(`SANDBOX_AMOCRM_PROFILE: ${PROFILE_USAGE}`);
	return withProfile(DEFAULT_PROFILE, parsed);
}

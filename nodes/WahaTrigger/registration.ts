import type { IDataObject, IHookFunctions } from 'n8n-workflow';

import { asNodeError } from '../shared/execute';
import { sessionName } from '../Waha/actions/common.descriptions';
import { getSession, isHttpStatus, updateSessionConfig, WAHA_CREDENTIAL } from '../Waha/transport';
import type { WahaSessionConfig, WahaWebhookConfig } from '../Waha/transport/types';

/**
 * The trigger's webhook lives in the session's `config.webhooks` next to whatever else is there.
 * WAHA takes the session config only as a whole (PUT), so every change reads the config, edits our
 * entry and writes everything back.
 */

/** Our entry: the n8n URL, the chosen events, and the HMAC key when the credential has one. */
export function webhookEntry(url: string, events: string[], secret: string): WahaWebhookConfig {
	return { url, events: [...events].sort(), ...(secret ? { hmac: { key: secret } } : {}) };
}

/** Whether the config already holds exactly this entry (same URL, events and HMAC key). */
export function hasWebhook(
	config: WahaSessionConfig | null | undefined,
	wanted: WahaWebhookConfig,
) {
	const current = config?.webhooks?.find((webhook) => webhook.url === wanted.url);
	if (!current) return false;
	const sameEvents = [...current.events].sort().join('\n') === [...wanted.events].sort().join('\n');
	return sameEvents && (current.hmac?.key ?? '') === (wanted.hmac?.key ?? '');
}

/** The config with our entry added, or replacing an older entry for the same URL. */
export function withWebhook(
	config: WahaSessionConfig | null | undefined,
	wanted: WahaWebhookConfig,
): WahaSessionConfig {
	const others = (config?.webhooks ?? []).filter((webhook) => webhook.url !== wanted.url);
	return { ...(config ?? {}), webhooks: [...others, wanted] };
}

/** The config without any entry for `url`; undefined when there was none. */
export function withoutWebhook(
	config: WahaSessionConfig | null | undefined,
	url: string,
): WahaSessionConfig | undefined {
	const webhooks = config?.webhooks ?? [];
	const others = webhooks.filter((webhook) => webhook.url !== url);
	if (others.length === webhooks.length) return undefined;
	return { ...(config ?? {}), webhooks: others };
}

interface Registered {
	session?: string;
	webhookUrl?: string;
}

async function wanted(context: IHookFunctions) {
	const credentials = await context.getCredentials(WAHA_CREDENTIAL);
	const session = sessionName(context.getNodeParameter('session', ''));
	const url = context.getNodeWebhookUrl('default') ?? '';
	const events = context.getNodeParameter('events', []) as string[];
	return { session, entry: webhookEntry(url, events, String(credentials.webhookSecret ?? '')) };
}

function remember(context: IHookFunctions, registered: Registered) {
	const staticData = context.getWorkflowStaticData('node') as IDataObject & Registered;
	if (registered.session === undefined) {
		delete staticData.session;
		delete staticData.webhookUrl;
	} else {
		Object.assign(staticData, registered);
	}
}

export async function checkWebhook(context: IHookFunctions): Promise<boolean> {
	const { session, entry } = await wanted(context);
	const info = await getSession(context, session);
	if (!hasWebhook(info.config, entry)) return false;
	remember(context, { session, webhookUrl: entry.url });
	return true;
}

export async function createWebhook(context: IHookFunctions): Promise<boolean> {
	const { session, entry } = await wanted(context);
	const info = await getSession(context, session);
	await updateSessionConfig(context, session, withWebhook(info.config, entry));
	remember(context, { session, webhookUrl: entry.url });
	return true;
}

/** Removes our entry from the session it was registered on, even if the parameter changed since. */
export async function deleteWebhook(context: IHookFunctions): Promise<boolean> {
	const staticData = context.getWorkflowStaticData('node') as Registered;
	const session = staticData.session ?? sessionName(context.getNodeParameter('session', ''));
	const url = staticData.webhookUrl ?? context.getNodeWebhookUrl('default') ?? '';
	let config: WahaSessionConfig | null | undefined;
	try {
		config = (await getSession(context, session)).config;
	} catch (error) {
		// A deleted session has no webhooks left to remove.
		if (!isHttpStatus(error, 404)) throw asNodeError(context, error, 0);
	}
	const remaining = config ? withoutWebhook(config, url) : undefined;
	if (remaining) await updateSessionConfig(context, session, remaining);
	remember(context, {});
	return true;
}

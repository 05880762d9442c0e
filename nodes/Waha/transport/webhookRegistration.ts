import type { IDataObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asNodeError } from '../../shared/execute';
import { sessionName } from '../helpers/session';
import { getSession, isHttpStatus, updateSessionConfig, WAHA_CREDENTIAL } from './index';
import {
	EVENT_MIN_VERSION,
	type WahaSessionConfig,
	type WahaSessionInfo,
	type WahaWebhookConfig,
} from './types';

/**
 * The trigger's webhook lives in the session's `config.webhooks` next to whatever else is there.
 * WAHA takes the session config only as a whole (PUT), so every change reads the config, edits our
 * entry and writes everything back. Each write restarts a running session (docs/services/waha.md,
 * "Sessions"), which the trigger's notice tells the user.
 */

/** A body older than this is a replay (the trigger's Max Event Age option). */
export const DEFAULT_MAX_EVENT_AGE_MINUTES = 10;

export function maxEventAgeMinutes(context: IHookFunctions | IWebhookFunctions): number {
	const options = context.getNodeParameter('options', {}) as { maxEventAgeMinutes?: number };
	return Number(options.maxEventAgeMinutes ?? DEFAULT_MAX_EVENT_AGE_MINUTES);
}

/** WAHA's exponential policy waits about 2, 4, 8… s between attempts, ±20 % (docs/services/waha.md, "Webhooks"). */
const RETRY_DELAY_SECONDS = 2;
const RETRY_JITTER = 1.2;
/** About five minutes of retries: enough for an n8n restart, short of the 10-minute window. */
const MAX_RETRY_ATTEMPTS = 7;

/**
 * Retries set explicitly, since WAHA's default schedule is not documented: the most attempts whose
 * waits, counted as if every one came after a failure, all end inside the replay window. A retry
 * after it would only be refused as stale.
 */
export function webhookRetries(maxAgeMinutes: number): NonNullable<WahaWebhookConfig['retries']> {
	let attempts = MAX_RETRY_ATTEMPTS;
	const lastWaitEnds = (n: number) => RETRY_DELAY_SECONDS * (2 ** n - 1) * RETRY_JITTER;
	while (maxAgeMinutes > 0 && attempts > 1 && lastWaitEnds(attempts) > maxAgeMinutes * 60) {
		attempts--;
	}
	return { policy: 'exponential', delaySeconds: RETRY_DELAY_SECONDS, attempts };
}

/** Our entry: the n8n URL, the chosen events, the HMAC key when the credential has one, the retries. */
export function webhookEntry(
	url: string,
	events: string[],
	secret: string,
	retries: WahaWebhookConfig['retries'],
): WahaWebhookConfig {
	return {
		url,
		events: [...events].sort(),
		...(secret ? { hmac: { key: secret } } : {}),
		retries,
	};
}

/** Whether the config already holds exactly this entry (same URL, events, HMAC key and retries). */
export function hasWebhook(
	config: WahaSessionConfig | null | undefined,
	wanted: WahaWebhookConfig,
) {
	const current = config?.webhooks?.find((webhook) => webhook.url === wanted.url);
	if (!current) return false;
	const sameEvents = [...current.events].sort().join('\n') === [...wanted.events].sort().join('\n');
	const sameRetries = JSON.stringify(current.retries ?? null) === JSON.stringify(wanted.retries);
	return sameEvents && sameRetries && (current.hmac?.key ?? '') === (wanted.hmac?.key ?? '');
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
	const secret = String(credentials.webhookSecret ?? '');
	const retries = webhookRetries(maxEventAgeMinutes(context));
	return { session, entry: webhookEntry(url, events, secret, retries) };
}

/**
 * Writes the config back. A 400 on it, on a server older than an event we asked for, is WAHA not
 * knowing the event: the error names it and the version it needs.
 */
async function writeConfig(
	context: IHookFunctions,
	session: string,
	config: WahaSessionConfig,
	info: WahaSessionInfo,
	events: string[],
): Promise<void> {
	try {
		await updateSessionConfig(context, session, config, info.apps);
	} catch (error) {
		const newer = events.filter((event) => event in EVENT_MIN_VERSION);
		if (!isHttpStatus(error, 400) || newer.length === 0) throw asNodeError(context, error, 0);
		const [event] = newer;
		const version = EVENT_MIN_VERSION[event as keyof typeof EVENT_MIN_VERSION];
		throw new NodeOperationError(
			context.getNode(),
			`WAHA does not know the event "${event}": it needs WAHA ${version} or later`,
			{
				description: `${(error as Error).message}. Update WAHA, or remove the event from Events.`,
			},
		);
	}
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
	await writeConfig(context, session, withWebhook(info.config, entry), info, entry.events);
	remember(context, { session, webhookUrl: entry.url });
	return true;
}

/** Removes our entry from the session it was registered on, even if the parameter changed since. */
export async function deleteWebhook(context: IHookFunctions): Promise<boolean> {
	const staticData = context.getWorkflowStaticData('node') as Registered;
	const session = staticData.session ?? sessionName(context.getNodeParameter('session', ''));
	const url = staticData.webhookUrl ?? context.getNodeWebhookUrl('default') ?? '';
	let info: WahaSessionInfo | undefined;
	try {
		info = await getSession(context, session);
	} catch (error) {
		// A deleted session has no webhooks left to remove.
		if (!isHttpStatus(error, 404)) throw asNodeError(context, error, 0);
	}
	const remaining = info?.config ? withoutWebhook(info.config, url) : undefined;
	if (info && remaining) await updateSessionConfig(context, session, remaining, info.apps);
	remember(context, {});
	return true;
}

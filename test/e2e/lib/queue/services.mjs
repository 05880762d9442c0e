// @ts-check
// PostgreSQL and Redis for n8n in queue mode: private, throw-away instances on loopback ports,
// started by the suite and gone with it. Debian's packages provide the binaries
// (install-services.sh installs them when missing).
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort, waitFor } from '../harness.mjs';

const INSTALL_SCRIPT = join(import.meta.dirname, 'install-services.sh');

function postgresBin() {
	const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(a) - Number(b));
	return join('/usr/lib/postgresql', /** @type {string} */ (versions.at(-1)), 'bin');
}

/**
 * PostgreSQL refuses to run as root; when the suite is root (CI is), the cluster belongs to the
 * `postgres` user the Debian package creates.
 */
function asPostgresUser() {
	if (process.getuid?.() !== 0) return { uid: undefined, gid: undefined };
	const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
	const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
	return { uid, gid };
}

/**
 * @typedef {object} QueueServices
 * @property {{ host: string, port: number, database: string, user: string, password: string }} postgres
 * @property {{ host: string, port: number }} redis
 * @property {() => Promise<void>} close
 */

/** @returns {Promise<QueueServices>} */
export async function startQueueServices({ log = (/** @type {string} */ _line) => {} } = {}) {
	execFileSync('bash', [INSTALL_SCRIPT], { stdio: 'inherit' });
	const dir = mkdtempSync(join(tmpdir(), 'kz-queue-'));
	const { uid, gid } = asPostgresUser();
	if (uid !== undefined && gid !== undefined) chownSync(dir, uid, gid);
	const bin = postgresBin();
	const dataDir = join(dir, 'pg');
	const pgPort = await freePort();
	const password = 'e2e-postgres-password';
	const asOwner = { uid, gid, stdio: /** @type {const} */ ('pipe') };

	execFileSync(
		join(bin, 'initdb'),
		['-D', dataDir, '-U', 'n8n', '--auth=trust', '-E', 'UTF8', '--no-sync'],
		asOwner,
	);
	const postgres = spawn(
		join(bin, 'postgres'),
		[
			'-D',
			dataDir,
			'-p',
			String(pgPort),
			'-k',
			dir,
			'-c',
			'listen_addresses=127.0.0.1',
			'-c',
			'fsync=off',
			'-c',
			'max_connections=100',
		],
		{ ...asOwner, stdio: ['ignore', 'pipe', 'pipe'] },
	);
	postgres.stderr?.on('data', (chunk) => log(`[postgres] ${chunk.toString().trim()}`));
	const psql = (/** @type {string} */ sql, database = 'postgres') =>
		execFileSync(
			'psql',
			[
				'-h',
				'127.0.0.1',
				'-p',
				String(pgPort),
				'-U',
				'n8n',
				'-d',
				database,
				'-v',
				'ON_ERROR_STOP=1',
				'-qAt',
				'-c',
				sql,
			],
			{
				encoding: 'utf8',
				stdio: 'pipe',
			},
		);
	await waitFor(
		async () => {
			if (postgres.exitCode !== null) throw new Error(`postgres exited ${postgres.exitCode}`);
			psql('select 1');
			return true;
		},
		{ timeoutMs: 30_000, what: 'PostgreSQL' },
	);
	psql(`alter user n8n password '${password}'`);
	psql('create database n8n');

	const redisPort = await freePort();
	const redis = spawn(
		'redis-server',
		[
			'--port',
			String(redisPort),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no',
			'--dir',
			dir,
		],
		{ stdio: ['ignore', 'pipe', 'pipe'] },
	);
	redis.stdout?.on('data', (chunk) => log(`[redis] ${chunk.toString().trim()}`));
	await waitFor(
		async () => {
			if (redis.exitCode !== null) throw new Error(`redis-server exited ${redis.exitCode}`);
			return (
				execFileSync('redis-cli', ['-p', String(redisPort), 'ping'], {
					encoding: 'utf8',
				}).trim() === 'PONG'
			);
		},
		{ timeoutMs: 30_000, what: 'Redis' },
	);

	const stopped = (/** @type {import('node:child_process').ChildProcess} */ child) =>
		new Promise((resolveExit) =>
			child.exitCode !== null ? resolveExit(undefined) : child.once('exit', resolveExit),
		);
	process.once('exit', () => {
		postgres.kill('SIGKILL');
		redis.kill('SIGKILL');
	});
	return {
		postgres: { host: '127.0.0.1', port: pgPort, database: 'n8n', user: 'n8n', password },
		redis: { host: '127.0.0.1', port: redisPort },
		async close() {
			// SIGINT is PostgreSQL's fast shutdown.
			postgres.kill('SIGINT');
			redis.kill('SIGTERM');
			await Promise.all([stopped(postgres), stopped(redis)]);
			rmSync(dir, { recursive: true, force: true });
		},
	};
}

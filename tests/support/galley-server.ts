// Start a real Galley server (the production build) on port 0 for a test, on a fresh database:
// an embedded PGlite folder, or a fresh Postgres database when TEST_DATABASE_URL is set and asked for.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';

export type DatabaseKind = 'pglite' | 'postgres';

/** The database kinds tests run against: PGlite always, Postgres when TEST_DATABASE_URL is set. */
export function databaseKinds(): DatabaseKind[] {
	return process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

export interface GalleyTestDatabase {
	kind: DatabaseKind;
	env: Record<string, string>;
	drop(): Promise<void>;
}

/** A fresh, empty database of the given kind. */
export async function freshDatabase(kind: DatabaseKind): Promise<GalleyTestDatabase> {
	if (kind === 'pglite') {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'galley-test-'));
		return { kind, env: { GALLEY_DATA_DIR: dir }, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
	}
	const admin = process.env.TEST_DATABASE_URL;
	if (!admin) throw new Error('TEST_DATABASE_URL is not set');
	const name = `galley_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
	const sql = postgres(admin, { max: 1, onnotice: () => {} });
	await sql.unsafe(`create database ${name}`);
	await sql.end();
	const url = new URL(admin);
	url.pathname = `/${name}`;
	return {
		kind,
		env: { DATABASE_URL: url.toString() },
		drop: async () => {
			const s = postgres(admin, { max: 1, onnotice: () => {} });
			await s.unsafe(`drop database if exists ${name} with (force)`);
			await s.end();
		}
	};
}

export interface RunningGalley {
	url: string;
	wsUrl: string;
	port: number;
	process: ChildProcess;
	output: () => string;
	/** SIGKILL, as a crash would. */
	kill(): Promise<void>;
	/** SIGTERM, a graceful stop; resolves with the exit code. */
	stop(): Promise<number | null>;
}

const ENTRY = path.resolve('build/galley-server.js');

/** Spawn the built server on port 0 and wait for it to listen. Run `npm run build` first. */
export async function startGalley(env: Record<string, string>, opts: { port?: number } = {}): Promise<RunningGalley> {
	if (!fs.existsSync(ENTRY)) throw new Error('No build: run `npm run build` first (npm test does).');
	const child = spawn(process.execPath, [ENTRY], {
		env: { ...process.env, PORT: String(opts.port ?? 0), HOST: '127.0.0.1', ORIGIN: '', ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let out = '';
	child.stdout!.on('data', (d) => (out += d));
	child.stderr!.on('data', (d) => (out += d));
	const port = await new Promise<number>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`Galley did not start in 60 s:\n${out}`)), 60_000);
		const onData = () => {
			const m = /GALLEY_LISTENING (\d+)/.exec(out);
			if (m) {
				clearTimeout(timer);
				resolve(Number(m[1]));
			}
		};
		child.stdout!.on('data', onData);
		child.on('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`Galley exited with ${code} before listening:\n${out}`));
		});
	});
	const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
	return {
		port,
		url: `http://127.0.0.1:${port}`,
		wsUrl: `ws://127.0.0.1:${port}/collab`,
		process: child,
		output: () => out,
		async kill() {
			if (child.exitCode === null) child.kill('SIGKILL');
			await exited;
		},
		async stop() {
			if (child.exitCode !== null) return child.exitCode;
			child.kill('SIGTERM');
			return exited;
		}
	};
}

/** Poll until `check` passes (no sleeps-and-hope). */
export async function eventually<T>(check: () => T | Promise<T>, { timeout = 10_000, interval = 50 } = {}): Promise<T> {
	const deadline = Date.now() + timeout;
	let lastError: unknown;
	while (Date.now() < deadline) {
		try {
			return await check();
		} catch (err) {
			lastError = err;
			await new Promise((r) => setTimeout(r, interval));
		}
	}
	throw lastError;
}

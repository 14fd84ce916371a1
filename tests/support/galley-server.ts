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

/**
 * For tests of what no database changes (the policy table, review moves, rendering, parsing, the OpenAPI
 * document): PGlite only, which every run has. What a database can change (storage, restarts, concurrent
 * requests, the two drivers' types) is proved on both by the tests that use `databaseKinds()`.
 */
export function oneDatabaseKind(): DatabaseKind[] {
	return ['pglite'];
}

export interface GalleyTestDatabase {
	kind: DatabaseKind;
	env: Record<string, string>;
	drop(): Promise<void>;
}

/** Memory-backed folders for the tests' embedded databases, when the machine has room in one. */
const RAM_DISK = '/dev/shm';
const RAM_DISK_ROOM = 2 * 1024 ** 3;

/**
 * Where the tests' PGlite folders go: `GALLEY_TEST_DATA_ROOT` when set, else the RAM disk (/dev/shm) when it
 * has 2 GiB free, else the system's temporary folder. A test database is a 40 MB copy of the template, made
 * about 140 times a run, and written to by a server that syncs its folder: on a disk that is 0.4 CPU-s of
 * the kernel's per copy and delete, on the RAM disk 0.05 (2026-12-08). The server runs the same either way;
 * what a test proves about kill -9 and restarts holds on both (the data outlives the process in either).
 */
export function testDataRoot(): string {
	if (process.env.GALLEY_TEST_DATA_ROOT) return process.env.GALLEY_TEST_DATA_ROOT;
	try {
		fs.accessSync(RAM_DISK, fs.constants.W_OK);
		const room = fs.statfsSync(RAM_DISK);
		if (room.bavail * room.bsize >= RAM_DISK_ROOM) return RAM_DISK;
	} catch {
		// no RAM disk here
	}
	return os.tmpdir();
}

/** A fresh, empty database of the given kind. */
export async function freshDatabase(kind: DatabaseKind): Promise<GalleyTestDatabase> {
	if (kind === 'pglite') {
		const dir = fs.mkdtempSync(path.join(testDataRoot(), 'galley-test-'));
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
	/** The server's own pid (with `unreaped`, not the pid of `process`, its parent). */
	pid: number;
}

const ENTRY = path.resolve('build/galley-server.js');

/**
 * A parent that starts the server and does not reap it, as a supervisor may not have yet when it restarts a
 * crashed server: after kill -9 the server stays a zombie (its pid still exists). SIGTERM makes the parent
 * reap it and exit.
 */
const NON_REAPING_PARENT = [
	'-e',
	'my $pid; $SIG{TERM} = sub { waitpid($pid, 0) if $pid; exit 0 }; $pid = fork() // die "fork: $!"; ' +
		'if (!$pid) { exec @ARGV or die "exec: $!" } print STDERR "GALLEY_PID $pid\\n"; sleep 60 while 1',
	'--'
];

/** The state letter of process `pid` (`Z` for a zombie), or null once it is gone. */
function processState(pid: number): string | null {
	try {
		return /^\d+ \(.*\) (\S)/.exec(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1] ?? null;
	} catch {
		return null;
	}
}

/**
 * Spawn the built server on port 0 and wait for it to listen. Run `npm run build` first.
 * `unreaped`: run it under NON_REAPING_PARENT; `kill()` then leaves a zombie, and `stop()` also ends the parent.
 * `onSpawn`: told the child process at once, before it listens (for a caller that must be able to kill it then).
 */
export async function startGalley(
	env: Record<string, string>,
	opts: { port?: number; unreaped?: boolean; onSpawn?: (child: ChildProcess) => void } = {}
): Promise<RunningGalley> {
	if (!fs.existsSync(ENTRY)) throw new Error('No build: run `npm run build` first (npm test does).');
	const [command, args] = opts.unreaped ? ['perl', [...NON_REAPING_PARENT, process.execPath, ENTRY]] : [process.execPath, [ENTRY]];
	const child = spawn(command, args, {
		env: { ...process.env, PORT: String(opts.port ?? 0), HOST: '127.0.0.1', ORIGIN: '', ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	opts.onSpawn?.(child);
	let out = '';
	child.stdout!.on('data', (d) => (out += d));
	child.stderr!.on('data', (d) => (out += d));
	const serverPid = () => (opts.unreaped ? Number(/GALLEY_PID (\d+)/.exec(out)?.[1] ?? 0) : child.pid!);
	const port = await new Promise<number>((resolve, reject) => {
		const fail = (message: string) => {
			clearTimeout(timer);
			clearInterval(watch);
			if (child.exitCode === null) child.kill(opts.unreaped ? 'SIGTERM' : 'SIGKILL');
			reject(new Error(message));
		};
		const timer = setTimeout(() => {
			if (opts.unreaped && serverPid()) process.kill(serverPid(), 'SIGKILL');
			fail(`Galley did not start in 60 s:\n${out}`);
		}, 60_000);
		// Under a non-reaping parent, a server that exits stays a zombie: watch for that.
		const watch = setInterval(() => {
			if (opts.unreaped && serverPid() && processState(serverPid()) === 'Z') fail(`Galley exited before listening:\n${out}`);
		}, 100);
		const onData = () => {
			const m = /GALLEY_LISTENING (\d+)/.exec(out);
			if (m) {
				clearTimeout(timer);
				clearInterval(watch);
				resolve(Number(m[1]));
			}
		};
		child.stdout!.on('data', onData);
		child.on('exit', (code) => fail(`Galley exited with ${code} before listening:\n${out}`));
	});
	const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
	if (opts.unreaped) {
		const pid = serverPid();
		return {
			port,
			pid,
			url: `http://127.0.0.1:${port}`,
			wsUrl: `ws://127.0.0.1:${port}/collab`,
			process: child,
			output: () => out,
			async kill() {
				process.kill(pid, 'SIGKILL');
				await untilTrue(() => processState(pid) === 'Z', `server ${pid} to be a zombie`);
			},
			/** SIGTERM to the server, then to its parent, which reaps it. Resolves with null (the code is the parent's to read). */
			async stop() {
				if (child.exitCode !== null) return null;
				const state = processState(pid);
				if (state !== null && state !== 'Z') {
					process.kill(pid, 'SIGTERM');
					await untilTrue(() => processState(pid) === 'Z', `server ${pid} to stop`, { timeout: 15_000 });
				}
				child.kill('SIGTERM');
				await exited;
				return null;
			}
		};
	}
	return {
		port,
		pid: child.pid!,
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

/**
 * Wait until an operating-system condition holds (a process's state, a file appearing): for the support code
 * both runners share, where neither `vi.waitFor` (vitest) nor `expect.poll` (Playwright) is available. Tests
 * themselves wait with their runner's own.
 */
export async function untilTrue(condition: () => boolean, what: string, { timeout = 10_000, interval = 50 } = {}): Promise<void> {
	const deadline = Date.now() + timeout;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`waited ${timeout / 1000} s for ${what}`);
		await new Promise((r) => setTimeout(r, interval));
	}
}

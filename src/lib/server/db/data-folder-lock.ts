// One process per embedded-database folder. PGlite has no lock of its own, and two processes on one folder
// silently lose data. The lock is a unix socket listening in the data folder: the kernel closes it the moment
// its holder dies (even while the dead process is still an unreaped zombie), so a connection that is refused
// means the lock is stale, and a restart right after kill -9 starts at once. A pid file cannot tell this:
// the pid of a killed process still exists until it is reaped, and after a container restart it may belong
// to another process for good.
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** The socket's name in the data folder. */
export const LOCK_SOCKET = 'galley.sock';
/** The pid file of the lock's earlier format: ignored, and removed once the folder is locked. */
export const LEGACY_LOCK_FILE = 'galley.lock';
/** sockaddr_un.sun_path holds 108 bytes on Linux (104 on macOS), with the terminating NUL. */
const MAX_SOCKET_PATH = process.platform === 'linux' ? 107 : 103;

export class DataFolderInUse extends Error {
	constructor(
		readonly dataDir: string,
		readonly holderPid: number | null
	) {
		super(
			`The data folder ${dataDir} is in use by ${holderPid ? `process ${holderPid}` : 'another process'}. ` +
				'Only one Galley process may use an embedded database; set DATABASE_URL to run several.'
		);
		this.name = 'DataFolderInUse';
	}
}

/**
 * Lock `dataDir` (which must exist) for this process, or throw DataFolderInUse naming the live holder.
 * Resolves with the release, which closes the socket and removes its file.
 */
export async function lockDataFolder(dataDir: string): Promise<() => Promise<void>> {
	const real = fs.realpathSync(dataDir);
	const file = path.join(real, LOCK_SOCKET);
	// A long folder path does not fit in a socket address: reach the same file through a short symlink
	// to the folder. Every process on the folder computes the same symlink, and the socket itself (the
	// lock) is still the file in the data folder.
	const shortcut = Buffer.byteLength(file) <= MAX_SOCKET_PATH ? null : shortcutFor(real);
	const address = shortcut ? path.join(shortcut, LOCK_SOCKET) : file;

	for (let attempt = 0; attempt < 200; attempt++) {
		if (shortcut) ensureSymlink(shortcut, real);
		const server = net.createServer((socket) => {
			// Tell whoever asks who holds the folder, for the message it shows.
			socket.on('error', () => {});
			socket.end(`${process.pid}\n`);
		});
		const listened = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
			server.once('error', resolve);
			server.listen(address, () => resolve(null));
		});
		if (!listened) {
			server.unref(); // the lock never keeps the process alive
			server.on('error', () => {});
			fs.rmSync(path.join(real, LEGACY_LOCK_FILE), { force: true });
			return () => release(server, shortcut, real);
		}
		if (listened.code === 'ENOENT') continue; // the shortcut was removed meanwhile: make it again
		if (listened.code !== 'EADDRINUSE') throw listened;

		const holder = await probe(address);
		if (holder.alive) throw new DataFolderInUse(dataDir, holder.pid);
		if (holder.stale) {
			// Remove the stale socket under a mutex, checking again inside it: two processes that both saw it
			// stale must not remove each other's fresh lock.
			const busy = !(await withRecoveryMutex(real, async () => {
				const again = await probe(address);
				if (again.alive) throw new DataFolderInUse(dataDir, again.pid);
				if (again.stale) fs.rmSync(file, { force: true });
			}));
			if (busy) await new Promise((r) => setTimeout(r, 25));
		}
	}
	throw new Error(`Could not lock the data folder ${dataDir}`);
}

type ProbeResult = { alive: true; pid: number | null; stale?: never } | { alive: false; stale: boolean };

/** Connect to the lock socket: a live holder accepts (and says its pid); a dead one's socket refuses. */
function probe(address: string): Promise<ProbeResult> {
	return new Promise((resolve) => {
		const socket = net.connect(address);
		let text = '';
		let connected = false;
		const done = (result: ProbeResult) => {
			clearTimeout(timer);
			socket.destroy();
			resolve(result);
		};
		// A holder whose event loop is busy accepts (the kernel queues the connection) but answers late.
		const timer = setTimeout(() => done(connected ? { alive: true, pid: null } : { alive: false, stale: false }), 2_000);
		socket.setEncoding('utf8');
		socket.on('connect', () => (connected = true));
		socket.on('data', (d) => (text += d));
		socket.on('end', () => done({ alive: true, pid: Number.parseInt(text, 10) || null }));
		socket.on('error', (err: NodeJS.ErrnoException) => {
			if (connected) return done({ alive: true, pid: Number.parseInt(text, 10) || null });
			// ECONNREFUSED: nobody listens (a socket left by a killed process, or not a socket at all).
			// ENOENT: the holder closed meanwhile; try to listen again.
			done({ alive: false, stale: err.code === 'ECONNREFUSED' });
		});
	});
}

/**
 * Run `fn` holding a mutex for stale-lock recovery: an abstract unix socket (Linux), which the kernel releases
 * with its holder and which leaves no file behind. Resolves false, without running `fn`, when another process
 * holds it. Elsewhere there is no abstract namespace, and `fn` just runs.
 */
async function withRecoveryMutex(real: string, fn: () => Promise<void>): Promise<boolean> {
	if (process.platform !== 'linux') {
		await fn();
		return true;
	}
	const mutex = net.createServer((s) => s.destroy());
	const err = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
		mutex.once('error', resolve);
		mutex.listen(`\0galley-lock-recovery-${hash(real)}`, () => resolve(null));
	});
	if (err) {
		if (err.code === 'EADDRINUSE') return false;
		throw err;
	}
	try {
		await fn();
		return true;
	} finally {
		await new Promise((r) => mutex.close(r));
	}
}

function release(server: net.Server, shortcut: string | null, real: string): Promise<void> {
	return new Promise((resolve) => {
		// Closing a listening unix socket removes its file (libuv unlinks it).
		server.close(() => {
			if (shortcut) {
				try {
					if (fs.readlinkSync(shortcut) === real) fs.unlinkSync(shortcut);
				} catch {
					/* gone already */
				}
			}
			resolve();
		});
	});
}

function hash(text: string): string {
	return crypto.createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** A short path for a symlink to `real`: in the temporary folder, or /tmp when that path is long too. */
function shortcutFor(real: string): string {
	const name = `galley-${hash(real)}`;
	const tmp = os.tmpdir();
	const base = Buffer.byteLength(path.join(tmp, name, LOCK_SOCKET)) <= MAX_SOCKET_PATH ? tmp : '/tmp';
	return path.join(base, name);
}

function ensureSymlink(link: string, target: string): void {
	try {
		fs.symlinkSync(target, link, 'dir');
		return;
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
	}
	let current: string | null = null;
	try {
		current = fs.readlinkSync(link);
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code === 'ENOENT') return ensureSymlink(link, target);
		throw new Error(`Cannot lock the data folder: ${link} exists and is not a symlink to ${target}`);
	}
	if (current === target) return;
	fs.rmSync(link, { force: true }); // points elsewhere (a folder since moved): make it point here
	ensureSymlink(link, target);
}

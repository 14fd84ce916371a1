import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataFolderInUse, LEGACY_LOCK_FILE, LOCK_SOCKET, lockDataFolder } from './data-folder-lock';

const folders: string[] = [];
const releases: (() => Promise<void>)[] = [];

function folder(): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'galley-lock-'));
	folders.push(dir);
	return dir;
}

/** A data folder whose socket path is longer than a unix socket address can hold (107 bytes). */
function longFolder(): string {
	const dir = path.join(folder(), 'a-data-folder-with-a-rather-long-name'.repeat(3), 'and-deeper-still');
	fs.mkdirSync(dir, { recursive: true });
	expect(Buffer.byteLength(path.join(dir, LOCK_SOCKET))).toBeGreaterThan(107);
	return dir;
}

async function lock(dir: string) {
	const release = await lockDataFolder(dir);
	releases.push(release);
	return release;
}

/** Lock `dir` in a child process, then kill -9 it: its socket file stays behind, stale. */
async function leaveStaleLock(dir: string): Promise<void> {
	const script = `
		const { lockDataFolder } = await import(${JSON.stringify(path.resolve('src/lib/server/db/data-folder-lock.ts'))});
		await lockDataFolder(${JSON.stringify(dir)});
		console.log('LOCKED');
		setInterval(() => {}, 1000);
	`;
	const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
	await new Promise<void>((resolve, reject) => {
		child.stdout!.on('data', (d) => String(d).includes('LOCKED') && resolve());
		child.on('exit', (code) => reject(new Error(`the locking child exited with ${code}`)));
	});
	const exited = new Promise((r) => child.on('exit', r));
	child.kill('SIGKILL');
	await exited;
}

afterEach(async () => {
	await Promise.all(releases.splice(0).map((release) => release().catch(() => {})));
	for (const dir of folders.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('lockDataFolder', () => {
	it('refuses a second holder with the clear message naming the holder, and is free again once released', async () => {
		const dir = folder();
		const release = await lock(dir);
		expect(fs.statSync(path.join(dir, LOCK_SOCKET)).isSocket()).toBe(true);
		const second = await lockDataFolder(dir).then(
			() => null,
			(err) => err
		);
		expect(second).toBeInstanceOf(DataFolderInUse);
		expect(second.message).toBe(
			`The data folder ${dir} is in use by process ${process.pid}. Only one Galley process may use an embedded database; set DATABASE_URL to run several.`
		);
		await release();
		expect(fs.existsSync(path.join(dir, LOCK_SOCKET))).toBe(false); // a clean close removes the socket
		await lock(dir);
	});

	it('takes over the socket left by a process killed with kill -9', async () => {
		const dir = folder();
		await leaveStaleLock(dir);
		expect(fs.statSync(path.join(dir, LOCK_SOCKET)).isSocket()).toBe(true); // left behind
		await lock(dir);
		await expect(lockDataFolder(dir)).rejects.toThrow(/is in use by process/);
	}, 30_000);

	it('is not blocked by a pid file of the old lock format, even one naming a live process, and removes it', async () => {
		const dir = folder();
		fs.writeFileSync(path.join(dir, LEGACY_LOCK_FILE), String(process.ppid)); // a live process, not a Galley
		await lock(dir);
		expect(fs.existsSync(path.join(dir, LEGACY_LOCK_FILE))).toBe(false);
	});

	it('locks a folder whose path is too long for a socket address, through a short symlink to it', async () => {
		const dir = longFolder();
		const release = await lock(dir);
		// The lock is still the socket in the data folder itself.
		expect(fs.statSync(path.join(dir, LOCK_SOCKET)).isSocket()).toBe(true);
		await expect(lockDataFolder(dir)).rejects.toThrow(`The data folder ${dir} is in use by process ${process.pid}.`);
		await release();
		expect(fs.existsSync(path.join(dir, LOCK_SOCKET))).toBe(false);
		await leaveStaleLock(dir);
		await lock(dir);
	}, 30_000);

	it('lets exactly one of several processes racing for a stale lock take it', async () => {
		const dir = folder();
		await leaveStaleLock(dir);
		const results = await Promise.allSettled([lockDataFolder(dir), lockDataFolder(dir), lockDataFolder(dir)]);
		for (const r of results) if (r.status === 'fulfilled') releases.push(r.value);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(DataFolderInUse);
	}, 30_000);
});

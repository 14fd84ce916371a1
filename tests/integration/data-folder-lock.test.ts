// The embedded database's folder lock against real Galley processes: a crash restarts at once (the lock goes
// with its holder, even while the killed process is an unreaped zombie), a second live process is refused with
// a clear message, and neither an old-format pid file nor a long folder path gets in the way.
// Each round is a kill -9 and a PGlite start (seconds each on a busy 2-core machine), and every round is the same
// deterministic case: round 1 takes over the socket of a server started on a clean folder, round 2 the socket of
// a server that had itself taken over a stale one; a third adds a repeat. (The lock module's own races, several
// processes at once on one stale socket, are in src/lib/server/db/data-folder-lock.test.ts.)
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startGalley, type GalleyTestDatabase, type RunningGalley } from '../support/galley-server';
import { freshTestDatabase, serverEnv } from '../support/test-database';

/** Starting a server on a 2-core machine busy with other test runs can take tens of seconds. */
const START_TIMEOUT = 120_000;

const running: RunningGalley[] = [];
const databases: GalleyTestDatabase[] = [];

async function start(env: Record<string, string>, opts: { unreaped?: boolean } = {}): Promise<RunningGalley> {
	const galley = await startGalley(env, opts);
	running.push(galley);
	return galley;
}

async function health(galley: RunningGalley): Promise<number> {
	return (await fetch(`${galley.url}/api/health`)).status;
}

/** A second server on the same folder: it must exit, refused, with the clear message naming the holder. */
async function expectRefused(env: Record<string, string>, holder: RunningGalley, dataDir: string) {
	const second = await startGalley(env).then(
		(g) => {
			running.push(g);
			return null;
		},
		(err: Error) => err
	);
	expect(second?.message).toContain(
		`The data folder ${dataDir} is in use by process ${holder.pid}. Only one Galley process may use an embedded database; set DATABASE_URL to run several.`
	);
}

/** `rounds` times: kill -9, then start again at once while the killed server is still an unreaped zombie. */
async function crashAndRestart(env: Record<string, string>, rounds: number): Promise<RunningGalley> {
	let galley = await start(env, { unreaped: true });
	expect(await health(galley)).toBe(200);
	for (let round = 1; round <= rounds; round++) {
		const killed = galley;
		await killed.kill();
		expect(() => process.kill(killed.pid, 0)).not.toThrow(); // the zombie's pid still exists
		galley = await start(env, { unreaped: true });
		expect({ round, health: await health(galley) }).toEqual({ round, health: 200 });
		await killed.stop(); // its parent goes; the zombie is reaped
	}
	return galley;
}

afterEach(async () => {
	for (const galley of running.splice(0)) await galley.stop().catch(() => {});
	for (const database of databases.splice(0)) await database.drop();
});

describe('the embedded database folder lock', () => {
	it('restarts at once after kill -9, three times in a row, and refuses a second live process with a clear message', async () => {
		const database = await freshTestDatabase('pglite');
		databases.push(database);
		const env = serverEnv(database);
		const dataDir = database.env.GALLEY_DATA_DIR;

		const galley = await crashAndRestart(env, 3);
		await expectRefused(env, galley, dataDir);
		expect(await health(galley)).toBe(200); // the refused process changed nothing for the holder

		await galley.stop();
		expect(fs.existsSync(path.join(dataDir, 'galley.sock'))).toBe(false); // a clean stop removes the socket
	}, 5 * START_TIMEOUT);

	it('restarts at once after kill -9, twice in a row, and refuses a second process in a folder whose path is too long for a unix socket address', async () => {
		const database = await freshTestDatabase('pglite');
		databases.push(database);
		const dataDir = path.join(database.env.GALLEY_DATA_DIR, 'a-rather-long-folder-name-for-the-embedded-database'.repeat(2));
		expect(Buffer.byteLength(path.join(dataDir, 'galley.sock'))).toBeGreaterThan(107);
		const env = { ...serverEnv(database), GALLEY_DATA_DIR: dataDir };

		const galley = await crashAndRestart(env, 2);
		await expectRefused(env, galley, dataDir);
		await galley.stop();
		expect(fs.existsSync(path.join(dataDir, 'galley.sock'))).toBe(false);
	}, 4 * START_TIMEOUT);

	it('starts over a pid file of the old lock format, even one naming a live process (a pid reused after a restart)', async () => {
		const database = await freshTestDatabase('pglite');
		databases.push(database);
		const dataDir = database.env.GALLEY_DATA_DIR;
		fs.writeFileSync(path.join(dataDir, 'galley.lock'), String(process.pid)); // alive, and no Galley
		const galley = await start(serverEnv(database));
		expect(await health(galley)).toBe(200);
		expect(fs.existsSync(path.join(dataDir, 'galley.lock'))).toBe(false);
	}, START_TIMEOUT);
});

// Two Galley processes on one fresh Postgres database, relaying through Redis (REDIS_URL): the scaffolding of
// the integration tests of what crosses processes. They need TEST_DATABASE_URL and TEST_REDIS_URL, and are
// skipped (saying which is unset) without them.
import { afterAll, describe } from 'vitest';
import { startGalley, type GalleyTestDatabase, type RunningGalley } from './galley-server';
import { freshTestDatabase, serverEnv } from './test-database';
import type { CollabClient } from './collab-client';

/** What the two-process tests need and this run does not have. */
const missing = [!process.env.TEST_REDIS_URL && 'TEST_REDIS_URL', !process.env.TEST_DATABASE_URL && 'TEST_DATABASE_URL'].filter(Boolean);

export class TwoProcesses {
	#database: GalleyTestDatabase | undefined;
	/** The two processes, once `start()` has run. */
	readonly processes: RunningGalley[] = [];
	/** Collaboration clients of the tests, destroyed after the describe block. */
	readonly clients: CollabClient[] = [];

	/** The shared database, once `start()` has run. */
	get database(): GalleyTestDatabase {
		if (!this.#database) throw new Error('The two processes have not been started.');
		return this.#database;
	}

	/** A fresh Postgres database and two processes on it (`env` added to theirs), both relaying through TEST_REDIS_URL. */
	async start(env: Record<string, string> = {}): Promise<[RunningGalley, RunningGalley]> {
		this.#database = await freshTestDatabase('postgres');
		const serverEnvironment = { ...serverEnv(this.#database), ...env, REDIS_URL: process.env.TEST_REDIS_URL! };
		// One after the other: the first applies the migrations (two processes migrating one fresh database at
		// once race on CREATE TABLE).
		this.processes.push(await startGalley(serverEnvironment));
		this.processes.push(await startGalley(serverEnvironment));
		return [this.processes[0], this.processes[1]];
	}

	async dispose(): Promise<void> {
		for (const c of this.clients) c.destroy();
		for (const p of this.processes) await p.kill();
		await this.#database?.drop();
	}
}

/**
 * A describe block whose tests run against two processes (`start()` them in the first test), skipped without
 * TEST_DATABASE_URL and TEST_REDIS_URL. After its last test the clients are destroyed, the processes killed and
 * the database dropped.
 */
export function describeTwoProcesses(title: string, body: (two: TwoProcesses) => void): void {
	describe.skipIf(missing.length > 0)(`${title}${missing.length ? ` (skipped: ${missing.join(' and ')} unset)` : ''}`, () => {
		const two = new TwoProcesses();
		afterAll(() => two.dispose());
		body(two);
	});
}

import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { GalleyConfig } from './config';
import { openDatabase, type Database, type DatabaseHandle } from './db/client';
import { CollabServer } from './collab/server';

/**
 * Everything one Galley process holds: configuration, the database handle, the collaboration server and
 * the rate limiters. Kept on globalThis because this module is loaded twice in one process (the custom
 * server bundle and SvelteKit's build; Vite's config and SSR in dev): one handle per process.
 */
export interface Galley {
	config: GalleyConfig;
	database: DatabaseHandle;
	db: Database;
	collab: CollabServer;
	loginLimiter: RateLimiterMemory;
}

const KEY = Symbol.for('galley.runtime');
type Holder = { [KEY]?: Promise<Galley> };

export function startGalley(config: GalleyConfig, log?: (msg: string, extra?: Record<string, unknown>) => void): Promise<Galley> {
	const holder = globalThis as Holder;
	holder[KEY] ??= (async () => {
		const database = await openDatabase(config);
		await database.migrate(config.migrationsDir);
		const collab = new CollabServer({ db: database.db, origin: config.origin, log, redisUrl: config.redisUrl });
		await collab.relay?.ready();
		collab.rebuildOutdatedProjections().catch((err) => (log ?? console.error)('rebuilding projections failed', { error: String(err) }));
		// 10 failed logins per e-mail+address in 15 minutes, then a wait.
		const loginLimiter = new RateLimiterMemory({ points: 10, duration: 15 * 60, blockDuration: 5 * 60 });
		return { config, database, db: database.db, collab, loginLimiter };
	})();
	holder[KEY].catch(() => delete holder[KEY]);
	return holder[KEY];
}

/** The process's Galley; throws when nothing started it (the server entry or the dev plugin does). */
export function galley(): Promise<Galley> {
	const g = (globalThis as Holder)[KEY];
	if (!g) throw new Error('Galley has not been started in this process');
	return g;
}

export async function stopGalley(): Promise<void> {
	const holder = globalThis as Holder;
	const g = await holder[KEY]?.catch(() => null);
	delete holder[KEY];
	if (!g) return;
	await g.collab.stop();
	await g.database.close();
}

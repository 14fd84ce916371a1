import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema';

export type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

export interface DatabaseHandle {
	db: Database;
	kind: 'pglite' | 'postgres';
	/** Run the committed drizzle-kit migrations. */
	migrate(migrationsDir: string): Promise<void>;
	close(): Promise<void>;
}

/**
 * Open Postgres (when a URL is given) or an embedded PGlite database in `dataDir`.
 * PGlite has no lock of its own and two processes on one folder silently lose data, so we take a lock file.
 */
export async function openDatabase(opts: { databaseUrl: string | null; dataDir: string }): Promise<DatabaseHandle> {
	if (opts.databaseUrl) {
		const { default: postgres } = await import('postgres');
		const { drizzle } = await import('drizzle-orm/postgres-js');
		const { migrate } = await import('drizzle-orm/postgres-js/migrator');
		const client = postgres(opts.databaseUrl, { max: 10, onnotice: () => {}, connect_timeout: 10 });
		const db = drizzle(client, { schema });
		return {
			db: db as unknown as Database,
			kind: 'postgres',
			// Several processes may start at once on one database: one migrates at a time.
			migrate: async (dir) => {
				const lock = await client.reserve();
				try {
					await lock`select pg_advisory_lock(7262001)`;
					await migrate(db, { migrationsFolder: dir });
				} finally {
					await lock`select pg_advisory_unlock(7262001)`.catch(() => {});
					lock.release();
				}
			},
			close: () => client.end({ timeout: 5 })
		};
	}
	fs.mkdirSync(opts.dataDir, { recursive: true });
	const releaseLock = takeLock(path.join(opts.dataDir, 'galley.lock'));
	try {
		const { PGlite } = await import('@electric-sql/pglite');
		const { drizzle } = await import('drizzle-orm/pglite');
		const { migrate } = await import('drizzle-orm/pglite/migrator');
		const client = await PGlite.create(path.join(opts.dataDir, 'pgdata'));
		const db = drizzle(client, { schema });
		return {
			db: db as unknown as Database,
			kind: 'pglite',
			migrate: (dir) => migrate(db, { migrationsFolder: dir }),
			close: async () => {
				await client.close();
				releaseLock();
			}
		};
	} catch (err) {
		releaseLock();
		throw err;
	}
}

function takeLock(file: string): () => void {
	for (let attempt = 0; attempt < 2; attempt++) {
		try {
			fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
			return () => fs.rmSync(file, { force: true });
		} catch (err) {
			if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
			const holder = Number(fs.readFileSync(file, 'utf8'));
			if (holder && holder !== process.pid && isAlive(holder)) {
				throw new Error(
					`The data folder ${path.dirname(file)} is in use by process ${holder}. ` +
						'Only one Galley process may use an embedded database; set DATABASE_URL to run several.'
				);
			}
			fs.rmSync(file, { force: true }); // a stale lock from a killed process
		}
	}
	throw new Error(`Could not lock ${file}`);
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (err) {
		return (err as NodeJS.ErrnoException).code === 'EPERM';
	}
}

export async function ping(db: Database): Promise<void> {
	await db.execute(sql`select 1`);
}

/**
 * PGlite's transaction() may resolve before its filesystem sync (pglite issue 1065); a top-level query
 * afterwards crosses a sync boundary. Call after a transaction whose result is acknowledged to a user.
 */
export async function syncAfterTransaction(db: Database): Promise<void> {
	await db.execute(sql`select 1`);
}

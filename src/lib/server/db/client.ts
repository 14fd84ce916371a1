import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema';
import { lockDataFolder } from './data-folder-lock';

export type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

export interface DatabaseHandle {
	db: Database;
	kind: 'pglite' | 'postgres';
	/** Run the committed drizzle-kit migrations. */
	migrate(migrationsDir: string): Promise<void>;
	close(): Promise<void>;
}

/** The PGlite instance behind each embedded database opened here. */
const embedded = new WeakMap<object, { exec(query: string): Promise<unknown> }>();

/**
 * The embedded PGlite behind `db`, or null when `db` is Postgres (or a transaction). For the one statement
 * that runs at every keystroke's commit (see DocumentStore.append): PGlite runs a simple query in one
 * protocol round, where drizzle's parameterised query costs four rounds and merges its type parsers anew.
 */
export function embeddedClient(db: Database): { exec(query: string): Promise<unknown> } | null {
	return embedded.get(db) ?? null;
}

/**
 * Open Postgres (when a URL is given) or an embedded PGlite database in `dataDir`.
 * PGlite has no lock of its own and two processes on one folder silently lose data, so we lock the folder
 * (see data-folder-lock.ts).
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
	const releaseLock = await lockDataFolder(opts.dataDir);
	try {
		const { PGlite } = await import('@electric-sql/pglite');
		const { drizzle } = await import('drizzle-orm/pglite');
		const { migrate } = await import('drizzle-orm/pglite/migrator');
		const client = await PGlite.create(path.join(opts.dataDir, 'pgdata'), {
			parsers: PGLITE_BYTEA_PARSERS,
			serializers: PGLITE_BYTEA_SERIALIZERS,
			startParams: [...PGlite.defaultStartParams, ...PGLITE_MEMORY_SETTINGS.flatMap((s) => ['-c', s])]
		});
		const db = drizzle(client, { schema });
		embedded.set(db, client);
		return {
			db: db as unknown as Database,
			kind: 'pglite',
			migrate: (dir) => migrate(db, { migrationsFolder: dir }),
			close: async () => {
				await client.close();
				await releaseLock();
			}
		};
	} catch (err) {
		await releaseLock();
		throw err;
	}
}

/**
 * Memory settings of the embedded Postgres, after PGlite's own start parameters (kept as they are, its
 * durability included). PGlite starts with Postgres's initdb defaults, sized for a server: 128 MB of shared
 * buffers, held in its WebAssembly memory from the start (about 120 MB of the process's RSS), and 100
 * connections' worth of shared state for its one backend. An embedded database of pieces and their
 * documents works in far less; what is not in the buffers is read from the data folder (the OS caches it).
 */
const PGLITE_MEMORY_SETTINGS = ['shared_buffers=16MB', 'max_connections=8'];

/**
 * PGlite's own bytea conversions run in JavaScript on the main thread and are very slow for large values:
 * its parser calls parseInt once per byte (about 130 ms for a 1 MB document state) and its serializer builds
 * one string per byte (300-500 ms to write a 1 MB state at compaction), blocking the event loop meanwhile.
 * Parse the hex text with Buffer (about 2 ms per MB) and send bytea parameters in the binary format, which
 * PGlite's protocol layer supports for any Uint8Array parameter (Postgres's bytearecv copies the bytes as they are).
 */
const BYTEA_OID = 17;
const PGLITE_BYTEA_PARSERS = {
	[BYTEA_OID]: (text: string): Uint8Array => {
		// bytea_output is 'hex' by default: "\x" then two hex digits per byte.
		if (!text.startsWith('\\x')) throw new Error('unexpected bytea text format (bytea_output must be hex)');
		const buf = Buffer.from(text.slice(2), 'hex');
		if (buf.length * 2 !== text.length - 2) throw new Error('malformed bytea hex text');
		return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
	}
};
// PGlite's type says a serializer returns a string; its bind step sends any ArrayBuffer view in the binary format.
const PGLITE_BYTEA_SERIALIZERS = {
	[BYTEA_OID]: (value: unknown): Uint8Array | string => {
		if (value instanceof Uint8Array) return value;
		if (typeof value === 'string') return value; // already in a text form Postgres accepts
		throw new Error('bytea parameter must be a Uint8Array');
	}
} as unknown as Record<number, (value: unknown) => string>;

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

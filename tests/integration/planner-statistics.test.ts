// The embedded database's planner statistics on a real PGlite (in memory): PGlite runs no autovacuum, so
// Galley ANALYZEs the tables that need it (src/lib/server/db/statistics.ts), seeing changes PGlite only
// reports when asked.
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/lib/server/db/client';
import { analyzeStaleTables } from '../../src/lib/server/db/statistics';

describe('planner statistics on PGlite', () => {
	it('are gathered for the tables that need them, and not again until enough of a table changes', async () => {
		const client = await PGlite.create(); // in memory (creating it takes seconds)
		const db = drizzle(client) as unknown as Database;
		try {
			await client.exec(`create table rivers (id int primary key, name text); create table dams (id int primary key)`);
			await client.exec(`insert into rivers select i, 'River ' || i from generate_series(1, 2000) i`);
			expect(await analyzeStaleTables(db)).toEqual(['rivers']); // dams is empty
			const gathered = await client.query<{ n: number }>(`select count(*)::int as n from pg_stats where tablename = 'rivers'`);
			expect(gathered.rows[0].n).toBeGreaterThan(0);
			expect(await analyzeStaleTables(db)).toEqual([]);
			await client.exec(`update rivers set name = name || ' (upper)' where id <= 300`);
			expect(await analyzeStaleTables(db)).toEqual(['rivers']);
		} finally {
			await client.close();
		}
	}, 120_000);
});

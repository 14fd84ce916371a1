// The planner's statistics on the embedded database. Postgres's autovacuum ANALYZEs a table once enough of
// it has changed; PGlite runs no autovacuum, so its tables were never analyzed and the planner guessed:
// on 10,000 pieces it sorted every piece matching a common word before taking a page, and a search for
// "reservoir" took 280 ms instead of 20 (bench/pieces/explain.ts with EXPLAIN_ANALYZE=0 against a database
// analyzed once; the overdue filter 81 ms instead of 36). So the embedded database does what autovacuum
// would: at start (in the background) and every few minutes, ANALYZE the tables that changed enough.
import { sql } from 'drizzle-orm';
import type { Database } from './client';
import type { Logger } from '../log';

/** A table as the check sees it: planner statistics from pg_class, current size, changes counted since start. */
export interface TableState {
	name: string;
	/** Rows the planner believes the table has: -1 when it was never analyzed (or vacuumed). */
	reltuples: number;
	/** Its size in pages at the last analyze (or vacuum, or index build). */
	relpages: number;
	/** Its size in pages now. */
	pages: number;
	/** Rows inserted, updated or deleted since the last analyze, as far as this process saw (counts start at 0 when PGlite opens). */
	changed: number;
}

/** autovacuum's defaults: analyze after 50 rows plus a tenth of the table changed. */
const THRESHOLD = 50;
const SCALE = 0.1;

/**
 * The tables whose statistics are missing or stale: never analyzed yet holding rows, grown or shrunk by
 * more than half since (changes made while another process had the database open are seen only this
 * way), or changed by more than autovacuum's threshold in this process.
 */
export function staleTables(tables: readonly TableState[]): string[] {
	return tables
		.filter((t) => {
			if (t.pages === 0) return false;
			if (t.reltuples < 0) return true;
			if (t.pages > 2 * t.relpages + 8 || 2 * t.pages + 8 < t.relpages) return true;
			return t.changed > THRESHOLD + SCALE * Math.max(t.reltuples, 0);
		})
		.map((t) => t.name);
}

/** ANALYZE the application's tables that need it (staleTables); returns their names. */
export async function analyzeStaleTables(db: Database): Promise<string[]> {
	// PGlite reports its changes to the cumulative statistics only when asked (no idle backend flushes them)
	await db.execute(sql`select pg_stat_force_next_flush()`);
	const result = await db.execute(sql`
		select c.relname as name, c.reltuples::float8 as reltuples, c.relpages, (pg_relation_size(c.oid) / current_setting('block_size')::int)::int as pages,
			coalesce(s.n_mod_since_analyze, 0)::int as changed
		from pg_class c left join pg_stat_user_tables s on s.relid = c.oid
		where c.relkind = 'r' and c.relnamespace = 'public'::regnamespace`);
	const rows = ((result as unknown as { rows?: TableState[] }).rows ?? (result as unknown as TableState[])).map((r) => ({ ...r, reltuples: Number(r.reltuples), relpages: Number(r.relpages), pages: Number(r.pages), changed: Number(r.changed) }));
	const stale = staleTables(rows);
	for (const name of stale) await db.execute(sql`analyze ${sql.identifier(name)}`);
	return stale;
}

/** How often the embedded database's tables are checked. */
export const STATISTICS_CHECK_MS = 5 * 60 * 1000;

/**
 * Keep the embedded database's planner statistics current: a check now (not awaited: a large database
 * takes a second or so, and queries wait for it meanwhile) and every `intervalMs`.
 */
export function keepStatistics(db: Database, log: Logger, intervalMs = STATISTICS_CHECK_MS) {
	let running: Promise<unknown> = Promise.resolve();
	const check = () => {
		running = analyzeStaleTables(db).then(
			(tables) => tables.length && log.info({ tables }, 'planner statistics updated'),
			(err) => log.warn({ err }, 'updating planner statistics failed')
		);
	};
	check();
	const timer = setInterval(check, intervalMs);
	timer.unref();
	return {
		stop: async () => {
			clearInterval(timer);
			await running;
		}
	};
}

import type { GalleyConfig } from './config';
import { openDatabase, type Database, type DatabaseHandle } from './db/client';
import { CollabServer } from './collab/server';
import { createRateLimits, type RateLimits } from './auth/rate-limits';
import { deleteExpiredSessions, sessionCookieName } from './auth/sessions';
import { LiveFeed } from './live/feed';
import { Notifier } from './notifications';
import { Mailer } from './notifications/mail';
import { startReminders } from './notifications/reminders';
import { keepStatistics } from './db/statistics';
import { closePdfPrinter } from './export/printer';
import { logger, type Logger } from './log';

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
	/** Sign-in, invite and websocket upgrade limits (auth/rate-limits.ts). */
	limits: RateLimits;
	/** Nudges for pages that show many pieces: boards, lists, the unread count (live/feed.ts). */
	feed: LiveFeed;
	/** Sends notifications (notifications/index.ts). */
	notifier: Notifier;
	/** Stops what runs beside the collab server: the expired-session and due-reminder sweeps, the planner statistics' upkeep, the mailer, the limits' and the feed's Redis clients. */
	stopHousekeeping(): Promise<void>;
}

/** Expired sessions are deleted at start and this often. */
const SESSION_SWEEP_MS = 60 * 60 * 1000;

const KEY = Symbol.for('galley.runtime');
type Holder = { [KEY]?: Promise<Galley> };

export function startGalley(config: GalleyConfig, log: Logger = logger): Promise<Galley> {
	const holder = globalThis as Holder;
	holder[KEY] ??= (async () => {
		const database = await openDatabase(config);
		await database.migrate(config.migrationsDir);
		// PGlite has no autovacuum to keep the planner's statistics (db/statistics.ts); Postgres has
		const statistics = database.kind === 'pglite' ? keepStatistics(database.db, log) : null;
		const limiting = createRateLimits(config, log);
		const feed = new LiveFeed(config.redisUrl, log);
		const collab = new CollabServer({
			db: database.db,
			origin: config.origin,
			log,
			redisUrl: config.redisUrl,
			limits: limiting.limits,
			sessionCookie: sessionCookieName(config.secureCookies),
			feed
		});
		const mailer = config.smtpUrl ? new Mailer(database.db, { smtpUrl: config.smtpUrl, from: config.mailFrom, origin: config.origin, log }) : null;
		const notifier = new Notifier(database.db, feed, log, mailer);
		await Promise.all([collab.relay?.ready(), limiting.ready(), feed.ready()]);
		const sweep = () =>
			deleteExpiredSessions(database.db).catch((err) => log.error({ err }, 'deleting expired sessions failed'));
		await sweep();
		const sweeper = setInterval(sweep, SESSION_SWEEP_MS);
		sweeper.unref();
		const reminders = startReminders({ db: database.db, notifier, timeZone: config.timeZone, log });
		const stopHousekeeping = async () => {
			clearInterval(sweeper);
			await statistics?.stop();
			await reminders.stop();
			await mailer?.close();
			await limiting.close();
			await feed.close();
		};
		return { config, database, db: database.db, collab, limits: limiting.limits, feed, notifier, stopHousekeeping };
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
	await g.stopHousekeeping();
	await closePdfPrinter();
	await g.database.close();
}

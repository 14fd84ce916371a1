import path from 'node:path';
import { isTimeZone } from '../domain/due-dates';
import { DEFAULT_CHROMIUM_PATH } from './export/chromium-args';

/** Galley's configuration, read from the environment once at start. See README "Configuration". */
export interface GalleyConfig {
	port: number;
	host: string;
	/** Postgres connection string; when absent, an embedded PGlite database in `dataDir`. */
	databaseUrl: string | null;
	dataDir: string;
	migrationsDir: string;
	/** The app's own origin (scheme://host:port), for CSRF and websocket Origin checks. Null: derived from Host. */
	origin: string | null;
	redisUrl: string | null;
	/** Load demo accounts and a demo issue at start (npm run demo). */
	demo: boolean;
	/** Cookie `Secure` flag and the `__Host-` session cookie name; on when the origin is https. */
	secureCookies: boolean;
	/** adapter-node's ADDRESS_HEADER / XFF_DEPTH: where the client address is read behind a proxy. */
	addressHeader: string | null;
	xffDepth: number;
	/** Rate limits on (GALLEY_RATE_LIMITS=off turns them off, for benchmarks and load tests). */
	rateLimits: boolean;
	/** The publication's time zone (GALLEY_TIMEZONE, an IANA name; default UTC): due and overdue are its calendar days. */
	timeZone: string;
	/** Where notifications are e-mailed (SMTP_URL, e.g. smtp://user:pass@mail.example.org:587); null: in-app only. */
	smtpUrl: string | null;
	/** The From address of those e-mails (MAIL_FROM; default "Galley <galley@localhost>"). */
	mailFrom: string;
	/** The Chromium that prints PDF exports (GALLEY_CHROMIUM_PATH; default /usr/bin/chromium). Not there: PDF exports answer 503. */
	chromiumPath: string;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): GalleyConfig {
	const port = Number(env.PORT ?? 3000);
	if (!Number.isInteger(port) || port < 0 || port > 65535) {
		throw new Error(`PORT must be a whole number from 0 to 65535, got "${env.PORT}"`);
	}
	const origin = env.ORIGIN ? env.ORIGIN.replace(/\/$/, '') : null;
	if (origin && !/^https?:\/\/[^/]+$/.test(origin)) {
		throw new Error(`ORIGIN must look like https://galley.example.org, got "${env.ORIGIN}"`);
	}
	const databaseUrl = env.DATABASE_URL?.trim() || null;
	if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
		throw new Error('DATABASE_URL must be a postgres:// URL (leave it unset for the embedded database)');
	}
	const xffDepth = Number(env.XFF_DEPTH ?? 1);
	if (!Number.isInteger(xffDepth) || xffDepth < 1) throw new Error(`XFF_DEPTH must be a positive integer, got "${env.XFF_DEPTH}"`);
	if (env.GALLEY_RATE_LIMITS && env.GALLEY_RATE_LIMITS !== 'off' && env.GALLEY_RATE_LIMITS !== 'on') {
		throw new Error(`GALLEY_RATE_LIMITS must be "on" or "off", got "${env.GALLEY_RATE_LIMITS}"`);
	}
	const timeZone = env.GALLEY_TIMEZONE?.trim() || 'UTC';
	if (!isTimeZone(timeZone)) throw new Error(`GALLEY_TIMEZONE must be an IANA time zone such as Europe/Berlin, got "${env.GALLEY_TIMEZONE}"`);
	const smtpUrl = env.SMTP_URL?.trim() || null;
	if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) throw new Error('SMTP_URL must be an smtp:// or smtps:// URL');
	return {
		port,
		host: env.HOST ?? '127.0.0.1',
		databaseUrl,
		dataDir: path.resolve(env.GALLEY_DATA_DIR ?? 'data'),
		migrationsDir: path.resolve(env.GALLEY_MIGRATIONS_DIR ?? 'migrations'),
		origin,
		redisUrl: env.REDIS_URL?.trim() || null,
		demo: env.GALLEY_DEMO === '1',
		secureCookies: origin ? origin.startsWith('https:') : false,
		addressHeader: env.ADDRESS_HEADER?.trim().toLowerCase() || null,
		xffDepth,
		rateLimits: env.GALLEY_RATE_LIMITS !== 'off',
		timeZone,
		smtpUrl,
		mailFrom: env.MAIL_FROM?.trim() || 'Galley <galley@localhost>',
		chromiumPath: env.GALLEY_CHROMIUM_PATH?.trim() || DEFAULT_CHROMIUM_PATH
	};
}

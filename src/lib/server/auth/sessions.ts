import { and, eq, gt, isNull, lte, or } from 'drizzle-orm';
import { parseCookie } from 'cookie';
import type { Database } from '../db/client';
import { apiTokens, sessions, users } from '../db/schema';
import { generateToken, hashToken, newId } from './tokens';
import type { Role } from '../../domain/pieces';

/** The session cookie on http; see sessionCookieName. */
export const SESSION_COOKIE = 'galley_session';
/** The session cookie on https: `__Host-` makes browsers insist on Secure, Path=/ and no Domain. */
export const SECURE_SESSION_COOKIE = '__Host-galley_session';
const DAY_MS = 24 * 3600 * 1000;
/** A session not used for this long expires… */
export const SESSION_IDLE_DAYS = 14;
/** …and every session expires this long after sign-in, used or not. */
export const SESSION_MAX_DAYS = 90;
/** Using a session pushes its expiry forward at most this often (not a write per request). */
export const SESSION_REFRESH_MS = 3600 * 1000;
export const API_TOKEN_PREFIX = 'glly_';

/** The signed-in person as every policy and route sees them. */
export interface Actor {
	id: string;
	email: string;
	name: string;
	role: Role;
	color: string;
	via: 'session' | 'token';
	/** Which sign-in this is (`session:<hash>` or `token:<id>`): revoking it closes its live connections. */
	credential?: string;
}

/** The credential key of a session, from its secret (as the cookie holds it). */
export function sessionCredential(token: string): string {
	return `session:${hashToken(token)}`;
}

/** The credential key of an API token, from its id. */
export function apiTokenCredential(tokenId: string): string {
	return `token:${tokenId}`;
}

/** The session cookie this server sets and accepts: `__Host-galley_session` when its origin is https. */
export function sessionCookieName(secure: boolean): string {
	return secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
}

/** A session's expiry when used at `now`: idle time from now, never past the cap from its creation. */
function slidExpiry(createdAt: Date, now: number): Date {
	return new Date(Math.min(now + SESSION_IDLE_DAYS * DAY_MS, createdAt.getTime() + SESSION_MAX_DAYS * DAY_MS));
}

export async function createSession(db: Database, userId: string): Promise<{ token: string; expiresAt: Date }> {
	const token = generateToken();
	const now = new Date();
	const expiresAt = slidExpiry(now, now.getTime());
	await db.insert(sessions).values({ id: hashToken(token), userId, expiresAt, createdAt: now });
	return { token, expiresAt };
}

/** Delete every expired session (at start and periodically; `sessions_expires_idx` keeps it cheap). */
export async function deleteExpiredSessions(db: Database): Promise<number> {
	const rows = await db.delete(sessions).where(lte(sessions.expiresAt, new Date())).returning({ id: sessions.id });
	return rows.length;
}

export async function deleteSession(db: Database, token: string): Promise<void> {
	await db.delete(sessions).where(eq(sessions.id, hashToken(token)));
}

const actorColumns = { id: users.id, email: users.email, name: users.name, role: users.role, color: users.color };

export interface SessionActor extends Actor {
	/** Set when this use pushed the session's expiry forward: the cookie should be renewed to match. */
	renewedUntil?: Date;
}

/**
 * The actor of a session cookie. Sliding expiry: a use more than SESSION_REFRESH_MS after the last renewal
 * moves the expiry to SESSION_IDLE_DAYS from now, capped at SESSION_MAX_DAYS after sign-in. An expired
 * session found here is deleted.
 */
export async function actorFromSession(db: Database, token: string): Promise<SessionActor | null> {
	const id = hashToken(token);
	const rows = await db
		.select({ ...actorColumns, expiresAt: sessions.expiresAt, createdAt: sessions.createdAt })
		.from(sessions)
		.innerJoin(users, eq(users.id, sessions.userId))
		.where(and(eq(sessions.id, id), isNull(users.disabledAt)))
		.limit(1);
	const row = rows[0];
	if (!row) return null;
	const now = Date.now();
	if (row.expiresAt.getTime() <= now) {
		await db.delete(sessions).where(and(eq(sessions.id, id), lte(sessions.expiresAt, new Date(now))));
		return null;
	}
	const { expiresAt, createdAt, ...actor } = row;
	const result: SessionActor = { ...actor, via: 'session', credential: sessionCredential(token) };
	const next = slidExpiry(createdAt, now);
	if (next.getTime() - expiresAt.getTime() >= SESSION_REFRESH_MS) {
		await db.update(sessions).set({ expiresAt: next }).where(eq(sessions.id, id));
		result.renewedUntil = next;
	}
	return result;
}

/** A new API token; with `expiresAt`, it is refused (401) from then on. */
export async function createApiToken(db: Database, userId: string, name: string, expiresAt: Date | null = null) {
	const token = generateToken(API_TOKEN_PREFIX);
	const id = newId();
	const [row] = await db
		.insert(apiTokens)
		.values({ id, userId, name, tokenHash: hashToken(token), expiresAt })
		.returning({ id: apiTokens.id, name: apiTokens.name, createdAt: apiTokens.createdAt, expiresAt: apiTokens.expiresAt });
	return { ...row, token };
}

export async function actorFromApiToken(db: Database, token: string): Promise<Actor | null> {
	const rows = await db
		.select({ ...actorColumns, tokenId: apiTokens.id, lastUsedAt: apiTokens.lastUsedAt })
		.from(apiTokens)
		.innerJoin(users, eq(users.id, apiTokens.userId))
		.where(
			and(
				eq(apiTokens.tokenHash, hashToken(token)),
				isNull(apiTokens.revokedAt),
				or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, new Date())),
				isNull(users.disabledAt)
			)
		)
		.limit(1);
	const row = rows[0];
	if (!row) return null;
	// "Last used" to the minute: no write on every request or websocket reconnection.
	if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
		await db.update(apiTokens).set({ lastUsedAt: new Date() }).where(eq(apiTokens.id, row.tokenId));
	}
	const { tokenId, lastUsedAt: _lastUsedAt, ...actor } = row;
	return { ...actor, via: 'token', credential: apiTokenCredential(tokenId) };
}

/** Read a cookie from a raw Cookie header (for the websocket upgrade, outside SvelteKit): the first of that name. */
export function readCookie(header: string | undefined, name: string): string | null {
	if (!header) return null;
	return parseCookie(header)[name] ?? null;
}

/** Resolve who is asking: `Authorization: Bearer …` first, then `?token=`, then the session cookie. */
export async function authenticate(
	db: Database,
	req: {
		authorization?: string | null;
		cookie?: string | null;
		queryToken?: string | null;
		/** The session cookie's name for the server's scheme (sessionCookieName); `galley_session` when absent. */
		sessionCookie?: string;
	}
): Promise<SessionActor | null> {
	const bearer = req.authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1] ?? req.queryToken ?? null;
	if (bearer) return actorFromApiToken(db, bearer);
	const cookie = readCookie(req.cookie ?? undefined, req.sessionCookie ?? SESSION_COOKIE);
	if (cookie) return actorFromSession(db, cookie);
	return null;
}

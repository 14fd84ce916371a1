import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Database } from '../db/client';
import { apiTokens, sessions, users } from '../db/schema';
import { generateToken, hashToken, newId } from './tokens';
import type { Role } from '../../domain/pieces';

export const SESSION_COOKIE = 'galley_session';
const SESSION_DAYS = 30;
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

export async function createSession(db: Database, userId: string): Promise<{ token: string; expiresAt: Date }> {
	const token = generateToken();
	const expiresAt = new Date(Date.now() + SESSION_DAYS * 24 * 3600 * 1000);
	await db.insert(sessions).values({ id: hashToken(token), userId, expiresAt });
	return { token, expiresAt };
}

export async function deleteSession(db: Database, token: string): Promise<void> {
	await db.delete(sessions).where(eq(sessions.id, hashToken(token)));
}

const actorColumns = { id: users.id, email: users.email, name: users.name, role: users.role, color: users.color };

export async function actorFromSession(db: Database, token: string): Promise<Actor | null> {
	const rows = await db
		.select(actorColumns)
		.from(sessions)
		.innerJoin(users, eq(users.id, sessions.userId))
		.where(and(eq(sessions.id, hashToken(token)), gt(sessions.expiresAt, new Date()), isNull(users.disabledAt)))
		.limit(1);
	return rows[0] ? { ...rows[0], via: 'session', credential: sessionCredential(token) } : null;
}

export async function createApiToken(db: Database, userId: string, name: string) {
	const token = generateToken(API_TOKEN_PREFIX);
	const id = newId();
	const [row] = await db
		.insert(apiTokens)
		.values({ id, userId, name, tokenHash: hashToken(token) })
		.returning({ id: apiTokens.id, name: apiTokens.name, createdAt: apiTokens.createdAt });
	return { ...row, token };
}

export async function actorFromApiToken(db: Database, token: string): Promise<Actor | null> {
	const rows = await db
		.select({ ...actorColumns, tokenId: apiTokens.id, lastUsedAt: apiTokens.lastUsedAt })
		.from(apiTokens)
		.innerJoin(users, eq(users.id, apiTokens.userId))
		.where(and(eq(apiTokens.tokenHash, hashToken(token)), isNull(apiTokens.revokedAt), isNull(users.disabledAt)))
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

/** Read a cookie from a raw Cookie header (for the websocket upgrade, outside SvelteKit). */
export function readCookie(header: string | undefined, name: string): string | null {
	if (!header) return null;
	for (const part of header.split(';')) {
		const eqAt = part.indexOf('=');
		if (eqAt < 0) continue;
		if (part.slice(0, eqAt).trim() === name) {
			try {
				return decodeURIComponent(part.slice(eqAt + 1).trim());
			} catch {
				return null;
			}
		}
	}
	return null;
}

/** Resolve who is asking: `Authorization: Bearer …` first, then `?token=`, then the session cookie. */
export async function authenticate(
	db: Database,
	req: { authorization?: string | null; cookie?: string | null; queryToken?: string | null }
): Promise<Actor | null> {
	const bearer = req.authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1] ?? req.queryToken ?? null;
	if (bearer) return actorFromApiToken(db, bearer);
	const cookie = readCookie(req.cookie ?? undefined, SESSION_COOKIE);
	if (cookie) return actorFromSession(db, cookie);
	return null;
}

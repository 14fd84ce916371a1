// Ending a person's sign-ins in bulk (a password change, a reset link, a removal). Each function returns the
// credential keys it ended, for CollabServer.credentialRevoked to close their live connections once the
// transaction has committed (the same path as signing out and revoking a token).
import { and, eq, isNull, ne } from 'drizzle-orm';
import type { Database } from '../db/client';
import { apiTokens, sessions } from '../db/schema';
import { apiTokenCredential } from './sessions';

/** The session id (the hash its cookie's token) behind a `session:<hash>` credential key, else null. */
export function sessionIdOf(credential: string | undefined): string | null {
	return credential?.startsWith('session:') ? credential.slice('session:'.length) : null;
}

/** Delete every session of a person, but `keepSessionId` when given; returns their credential keys. */
export async function endSessionsOf(db: Database, userId: string, keepSessionId: string | null = null): Promise<string[]> {
	const rows = await db
		.delete(sessions)
		.where(keepSessionId ? and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId)) : eq(sessions.userId, userId))
		.returning({ id: sessions.id });
	return rows.map((r) => `session:${r.id}`);
}

/** Revoke every live API token of a person; returns their credential keys. */
export async function revokeTokensOf(db: Database, userId: string): Promise<string[]> {
	const rows = await db
		.update(apiTokens)
		.set({ revokedAt: new Date() })
		.where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
		.returning({ id: apiTokens.id });
	return rows.map((r) => apiTokenCredential(r.id));
}

import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '../db/client';
import { apiTokens } from '../db/schema';
import type { Actor } from '../auth/sessions';
import { manageableTokens } from '../policies';

/** Revoke a live token the actor may manage; null when there is none of that id (or not theirs to revoke). */
export async function revokeApiToken(db: Database, actor: Actor, tokenId: string): Promise<string | null> {
	const rows = await db
		.update(apiTokens)
		.set({ revokedAt: new Date() })
		.where(and(eq(apiTokens.id, tokenId), manageableTokens(actor), isNull(apiTokens.revokedAt)))
		.returning({ id: apiTokens.id });
	return rows[0]?.id ?? null;
}

import { and, desc, isNull } from 'drizzle-orm';
import type { Database } from '../db/client';
import { apiTokens } from '../db/schema';
import type { Actor } from '../auth/sessions';
import { manageableTokens } from '../policies';

/** The API tokens the actor may manage (the policies decide: their own), not revoked, newest first, expired
 * ones marked; never with the secret. */
export async function listApiTokens(db: Database, actor: Actor) {
	const rows = await db
		.select({ id: apiTokens.id, name: apiTokens.name, createdAt: apiTokens.createdAt, lastUsedAt: apiTokens.lastUsedAt, expiresAt: apiTokens.expiresAt })
		.from(apiTokens)
		.where(and(manageableTokens(actor), isNull(apiTokens.revokedAt)))
		.orderBy(desc(apiTokens.createdAt));
	const now = Date.now();
	return rows.map((row) => ({ ...row, expired: row.expiresAt !== null && row.expiresAt.getTime() <= now }));
}


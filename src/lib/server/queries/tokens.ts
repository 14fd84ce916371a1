import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Database } from '../db/client';
import { apiTokens } from '../db/schema';

/** A user's live API tokens, newest first, never with the secret. */
export function listApiTokens(db: Database, userId: string) {
	return db
		.select({ id: apiTokens.id, name: apiTokens.name, createdAt: apiTokens.createdAt, lastUsedAt: apiTokens.lastUsedAt })
		.from(apiTokens)
		.where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
		.orderBy(desc(apiTokens.createdAt));
}

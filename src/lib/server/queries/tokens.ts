import { and, desc, isNull } from 'drizzle-orm';
import type { Database } from '../db/client';
import { apiTokens } from '../db/schema';
import type { Actor } from '../auth/sessions';
import { manageableTokens } from '../policies';

/** The live API tokens the actor may manage (the policies decide: their own), newest first, never with the secret. */
export function listApiTokens(db: Database, actor: Actor) {
	return db
		.select({ id: apiTokens.id, name: apiTokens.name, createdAt: apiTokens.createdAt, lastUsedAt: apiTokens.lastUsedAt })
		.from(apiTokens)
		.where(and(manageableTokens(actor), isNull(apiTokens.revokedAt)))
		.orderBy(desc(apiTokens.createdAt));
}


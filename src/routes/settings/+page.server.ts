import { and, desc, eq, isNull } from 'drizzle-orm';
import { galley } from '$lib/server/runtime';
import { requireUser } from '$lib/server/guards';
import { apiTokens } from '$lib/server/db/schema';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireUser(locals, url);
	const { db } = await galley();
	const tokens = await db
		.select({ id: apiTokens.id, name: apiTokens.name, createdAt: apiTokens.createdAt, lastUsedAt: apiTokens.lastUsedAt })
		.from(apiTokens)
		.where(and(eq(apiTokens.userId, actor.id), isNull(apiTokens.revokedAt)))
		.orderBy(desc(apiTokens.createdAt));
	return { tokens };
};

import { and, desc, eq, isNull } from 'drizzle-orm';
import { galley } from '$lib/server/runtime';
import { requireUser } from '$lib/server/guards';
import { apiTokens, contributors } from '$lib/server/db/schema';
import { bioToText } from '$lib/server/queries/contributors';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireUser(locals, url);
	const { db } = await galley();
	const tokens = await db
		.select({ id: apiTokens.id, name: apiTokens.name, createdAt: apiTokens.createdAt, lastUsedAt: apiTokens.lastUsedAt })
		.from(apiTokens)
		.where(and(eq(apiTokens.userId, actor.id), isNull(apiTokens.revokedAt)))
		.orderBy(desc(apiTokens.createdAt));
	const [profile] = await db.select().from(contributors).where(eq(contributors.userId, actor.id)).limit(1);
	return { tokens, profile: profile ? { id: profile.id, name: profile.name, affiliation: profile.affiliation, bio: bioToText(profile.bio) } : null };
};

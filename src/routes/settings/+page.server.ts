import { eq } from 'drizzle-orm';
import { galley } from '$lib/server/runtime';
import { requireUser } from '$lib/server/guards';
import { contributors, users } from '$lib/server/db/schema';
import { listApiTokens } from '$lib/server/queries/tokens';
import { bioToText } from '$lib/server/queries/contributors';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireUser(locals, url);
	const { db } = await galley();
	const tokens = await listApiTokens(db, actor);
	const [profile] = await db.select().from(contributors).where(eq(contributors.userId, actor.id)).limit(1);
	const [me] = await db.select({ emailNotifications: users.emailNotifications }).from(users).where(eq(users.id, actor.id));
	return { tokens, emailNotifications: me?.emailNotifications ?? true, profile: profile ? { id: profile.id, name: profile.name, affiliation: profile.affiliation, bio: bioToText(profile.bio) } : null };
};

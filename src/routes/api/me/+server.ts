import { json } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import { galley } from '$lib/server/runtime';
import { readJson, requireActor, route } from '$lib/server/api/http';
import { publicUser } from '$lib/server/api/session-cookie';
import { UpdateMeBody } from '$lib/server/api/contract';
import { users } from '$lib/server/db/schema';
import type { RequestHandler } from './$types';

/** The caller, with their own settings (`emailNotifications`). */
async function me(actor: ReturnType<typeof requireActor>) {
	const { db } = await galley();
	const [row] = await db.select({ emailNotifications: users.emailNotifications }).from(users).where(eq(users.id, actor.id));
	return { user: { ...publicUser(actor), emailNotifications: row?.emailNotifications ?? true } };
}

export const GET: RequestHandler = route(async ({ locals }) => json(await me(requireActor(locals))));

/** Change the caller's own settings: `emailNotifications` (e-mail me my notifications). */
export const PATCH: RequestHandler = route(async ({ locals, request }) => {
	const actor = requireActor(locals);
	const body = await readJson(request, UpdateMeBody);
	const { db } = await galley();
	await db.update(users).set({ emailNotifications: body.emailNotifications }).where(eq(users.id, actor.id));
	return json(await me(actor));
});

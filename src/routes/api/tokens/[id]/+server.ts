import { json } from '@sveltejs/kit';
import { and, eq, isNull } from 'drizzle-orm';
import { galley } from '$lib/server/runtime';
import { apiError, requireActor, route } from '$lib/server/api/http';
import { apiTokens } from '$lib/server/db/schema';
import { apiTokenCredential } from '$lib/server/auth/sessions';
import type { RequestHandler } from './$types';

/** Revoke one of the caller's own tokens. */
export const DELETE: RequestHandler = route(async ({ locals, params }) => {
	const actor = requireActor(locals);
	const { db, collab } = await galley();
	const rows = await db
		.update(apiTokens)
		.set({ revokedAt: new Date() })
		.where(and(eq(apiTokens.id, params.id), eq(apiTokens.userId, actor.id), isNull(apiTokens.revokedAt)))
		.returning({ id: apiTokens.id });
	if (rows.length === 0) return apiError(404, 'No such token');
	await collab.credentialRevoked(apiTokenCredential(rows[0].id));
	return json({ ok: true });
});

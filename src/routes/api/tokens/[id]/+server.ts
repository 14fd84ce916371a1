import { json } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { apiError, requireActor, route } from '$lib/server/api/http';
import { apiTokenCredential } from '$lib/server/auth/sessions';
import { revokeApiToken } from '$lib/server/commands/tokens';
import type { RequestHandler } from './$types';

/** Revoke a token the caller may manage (the policies: their own); another's answers 404 like a missing one. */
export const DELETE: RequestHandler = route(async ({ locals, params }) => {
	const actor = requireActor(locals);
	const { db, collab } = await galley();
	const revoked = await revokeApiToken(db, actor, params.id);
	if (!revoked) return apiError(404, 'No such token');
	await collab.credentialRevoked(apiTokenCredential(revoked));
	return json({ ok: true });
});

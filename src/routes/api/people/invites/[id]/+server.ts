import { json } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { apiError, requireActor, route } from '$lib/server/api/http';
import { canGlobal } from '$lib/server/policies';
import { revokeInvite } from '$lib/server/commands/accounts';
import type { RequestHandler } from './$types';

/** Revoke an open invite (the editor): its link then says it was revoked. */
export const DELETE: RequestHandler = route(async ({ locals, params }) => {
	const actor = requireActor(locals);
	if (!canGlobal(actor, 'invite_people')) return apiError(403, 'Only the editor revokes invites');
	const { db } = await galley();
	if (!(await revokeInvite(db, params.id, { id: actor.id, name: actor.name }))) return apiError(404, 'No such open invite');
	return json({ ok: true });
});

import { json } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { apiError, readJson, requireActor, route } from '$lib/server/api/http';
import { InviteBody } from '$lib/server/api/contract';
import { canGlobal } from '$lib/server/policies';
import { createAccount, createInvite, EmailTaken, listOpenInvites } from '$lib/server/commands/accounts';
import { listPeopleFor } from '$lib/server/queries/people';
import { publicUser } from '$lib/server/api/session-cookie';
import { colorFor } from '$lib/domain/people';
import { publicOrigin } from '$lib/server/origin';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = route(async ({ locals }) => {
	const actor = requireActor(locals);
	if (!canGlobal(actor, 'list_people')) return apiError(403, 'You may not list people');
	const { db } = await galley();
	const people = await listPeopleFor(db, actor);
	const invites = canGlobal(actor, 'invite_people') ? await listOpenInvites(db) : [];
	return json({ people, invites });
});

/** Invite someone: an invite link by default, or an account with an initial password. */
export const POST: RequestHandler = route(async ({ locals, request }) => {
	const actor = requireActor(locals);
	if (!canGlobal(actor, 'invite_people')) return apiError(403, 'Only the editor invites people');
	const body = await readJson(request, InviteBody);
	const { db, config } = await galley();
	try {
		if (body.password) {
			const id = await createAccount(db, { email: body.email, name: body.name, password: body.password, role: body.role, by: { id: actor.id, name: actor.name } });
			return json({ user: publicUser({ id, email: body.email.toLowerCase(), name: body.name, role: body.role, color: colorFor(id) }) }, { status: 201 });
		}
		// replaces an open invite for the same address (one open invite per e-mail)
		const { token } = await createInvite(db, { email: body.email, name: body.name, role: body.role, by: { id: actor.id, name: actor.name } });
		return json({ inviteUrl: `${publicOrigin(config.origin, request.headers.get('host'))}/invite/${token}` }, { status: 201 });
	} catch (err) {
		if (err instanceof EmailTaken) return apiError(409, err.message, 'email');
		throw err;
	}
});

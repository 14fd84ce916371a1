import { json } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { apiError, requireActor, route } from '$lib/server/api/http';
import { canPerson } from '$lib/server/policies';
import { issueResetLink, PersonNotFound } from '$lib/server/commands/people';
import { publicOrigin } from '$lib/server/origin';
import type { RequestHandler } from './$types';

/** A one-time link (24 h) for the person to set a new password; it replaces their open one. Shown once. */
export const POST: RequestHandler = route(async ({ locals, params, request }) => {
	const actor = requireActor(locals);
	if (!canPerson(actor, 'issue_reset_link', { id: params.id })) return apiError(403, 'Only the editor issues reset links');
	const { db, config } = await galley();
	try {
		const { token, expiresAt } = await issueResetLink(db, params.id, { id: actor.id, name: actor.name });
		return json({ url: `${publicOrigin(config.origin, request.headers.get('host'))}/reset/${token}`, expiresAt }, { status: 201 });
	} catch (err) {
		if (err instanceof PersonNotFound) return apiError(404, 'No such person');
		throw err;
	}
});

import { json } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { apiError, readJson, requireActor, route } from '$lib/server/api/http';
import { ChangeRoleBody } from '$lib/server/api/contract';
import { canPerson } from '$lib/server/policies';
import { changeRole, LastEditor, PersonNotFound, removePerson } from '$lib/server/commands/people';
import { listPeople } from '$lib/server/commands/accounts';
import type { RequestHandler } from './$types';

/** Change a person's role (the editor). The last editor cannot step down: 409. */
export const PATCH: RequestHandler = route(async ({ locals, params, request }) => {
	const actor = requireActor(locals);
	if (!canPerson(actor, 'change_role', { id: params.id })) return apiError(403, 'Only the editor changes roles');
	const body = await readJson(request, ChangeRoleBody);
	const { db, collab } = await galley();
	try {
		const change = await changeRole(db, params.id, body.role, { id: actor.id, name: actor.name });
		// their open editors reconnect with the rights of the new role
		if (change.from !== change.to) collab.accountChanged(params.id);
	} catch (err) {
		if (err instanceof PersonNotFound) return apiError(404, 'No such person');
		if (err instanceof LastEditor) return apiError(409, err.message, 'role');
		throw err;
	}
	const person = (await listPeople(db)).find((p) => p.id === params.id);
	if (!person) return apiError(404, 'No such person');
	return json({ user: { id: person.id, email: person.email, name: person.name, role: person.role, color: person.color } });
});

/**
 * Remove a person (the editor; not oneself): they can no longer sign in, their sessions end, their API tokens
 * are revoked and their live connections closed at once (4003). Their pieces and contributor profile stay.
 */
export const DELETE: RequestHandler = route(async ({ locals, params }) => {
	const actor = requireActor(locals);
	if (!canPerson(actor, 'remove', { id: params.id })) {
		return apiError(403, actor.role === 'editor' ? 'You cannot remove yourself' : 'Only the editor removes people');
	}
	const { db, collab } = await galley();
	try {
		const ended = await removePerson(db, params.id, { id: actor.id, name: actor.name });
		for (const credential of ended) await collab.credentialRevoked(credential);
	} catch (err) {
		if (err instanceof PersonNotFound) return apiError(404, 'No such person');
		if (err instanceof LastEditor) return apiError(409, err.message);
		throw err;
	}
	return json({ ok: true });
});

import { json } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { apiError, readJson, requireActor, route } from '$lib/server/api/http';
import { ChangePasswordBody } from '$lib/server/api/contract';
import { changeOwnPassword, WrongPassword } from '$lib/server/commands/people';
import { sessionIdOf } from '$lib/server/auth/sign-ins';
import type { RequestHandler } from './$types';

/** Change one's own password. Every other session ends (their live connections close); this one stays. */
export const POST: RequestHandler = route(async ({ locals, request }) => {
	const actor = requireActor(locals);
	const body = await readJson(request, ChangePasswordBody);
	const { db, collab } = await galley();
	try {
		const ended = await changeOwnPassword(db, actor.id, { ...body, keepSessionId: sessionIdOf(actor.credential) });
		for (const credential of ended) await collab.credentialRevoked(credential);
		return json({ ok: true, sessionsEnded: ended.length });
	} catch (err) {
		if (err instanceof WrongPassword) return apiError(403, 'The current password is wrong', 'currentPassword');
		throw err;
	}
});

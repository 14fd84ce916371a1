import { json } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { apiError, readJson, requireActor, route } from '$lib/server/api/http';
import { ChangePasswordBody } from '$lib/server/api/contract';
import { changeOwnPassword, WrongPassword } from '$lib/server/commands/people';
import { sessionIdOf } from '$lib/server/auth/sign-ins';
import { tooManyRequests } from '$lib/server/api/too-many';
import type { RequestHandler } from './$types';

/**
 * Change one's own password. Every other session ends (their live connections close); this one stays.
 * A wrong current password counts as a failed sign-in (rate limits): a stolen session cannot guess it.
 */
export const POST: RequestHandler = route(async ({ locals, request, getClientAddress }) => {
	const actor = requireActor(locals);
	const body = await readJson(request, ChangePasswordBody);
	const { db, collab, limits } = await galley();
	const address = getClientAddress();
	const limited = await limits.loginAttempt(address, actor.email);
	if (limited) return tooManyRequests(limited);
	try {
		const ended = await changeOwnPassword(db, actor.id, { ...body, keepSessionId: sessionIdOf(actor.credential) });
		await limits.loginSucceeded(address, actor.email);
		for (const credential of ended) await collab.credentialRevoked(credential);
		return json({ ok: true, sessionsEnded: ended.length });
	} catch (err) {
		if (err instanceof WrongPassword) {
			await limits.loginFailed(address, actor.email);
			return apiError(403, 'The current password is wrong', 'currentPassword');
		}
		throw err;
	}
});

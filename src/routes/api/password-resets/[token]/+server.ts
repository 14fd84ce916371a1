import { json } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { apiError, readJson, route } from '$lib/server/api/http';
import { ResetPasswordBody } from '$lib/server/api/contract';
import { CLOSED_RESET_LINK_MESSAGES, findResetLink, ResetLinkClosed, useResetLink } from '$lib/server/commands/people';
import { publicUser, startSession } from '$lib/server/api/session-cookie';
import type { RequestHandler } from './$types';

/** Whose reset link this is, while it can be used; 404 with the reason otherwise (used, replaced, expired). */
export const GET: RequestHandler = route(async ({ params }) => {
	const { db } = await galley();
	const { state, user } = await findResetLink(db, params.token);
	if (state !== 'open' || !user) return apiError(404, CLOSED_RESET_LINK_MESSAGES[state === 'open' ? 'unknown' : state]);
	return json({ email: user.email, name: user.name });
});

/** Set a new password with the link (once): every session of the person ends, and this browser is signed in. */
export const POST: RequestHandler = route(async ({ params, request, cookies }) => {
	const body = await readJson(request, ResetPasswordBody);
	const { db, config, collab } = await galley();
	try {
		const { user, ended } = await useResetLink(db, params.token, body.newPassword);
		for (const credential of ended) await collab.credentialRevoked(credential);
		await startSession(db, cookies, user.id, config.secureCookies);
		return json({ user: publicUser(user) });
	} catch (err) {
		// used already (a second use, or the loser of two at once): 409; replaced, expired, unknown: 404
		if (err instanceof ResetLinkClosed) return apiError(err.state === 'used' ? 409 : 404, err.message);
		throw err;
	}
});

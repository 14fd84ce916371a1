import { json } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { deleteSession, sessionCredential, SESSION_COOKIE } from '$lib/server/auth/sessions';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ locals, cookies }) => {
	const { db, collab } = await galley();
	if (locals.sessionToken) {
		await deleteSession(db, locals.sessionToken);
		await collab.credentialRevoked(sessionCredential(locals.sessionToken));
	}
	cookies.delete(SESSION_COOKIE, { path: '/' });
	return json({ ok: true });
};

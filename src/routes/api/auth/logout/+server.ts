import { json } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { deleteSession, sessionCredential } from '$lib/server/auth/sessions';
import { clearSessionCookie } from '$lib/server/api/session-cookie';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ locals, cookies }) => {
	const { db, collab, config } = await galley();
	if (locals.sessionToken) {
		await deleteSession(db, locals.sessionToken);
		await collab.credentialRevoked(sessionCredential(locals.sessionToken), 'signed_out');
	}
	clearSessionCookie(cookies, config.secureCookies);
	return json({ ok: true });
};

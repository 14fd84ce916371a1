import type { Cookies } from '@sveltejs/kit';
import { createSession, sessionCookieName } from '../auth/sessions';
import type { Database } from '../db/client';

/** Start a browser session: httpOnly, SameSite=Lax cookie holding a random token. */
export async function startSession(db: Database, cookies: Cookies, userId: string, secure: boolean): Promise<void> {
	const { token, expiresAt } = await createSession(db, userId);
	setSessionCookie(cookies, token, expiresAt, secure);
}

/**
 * The session cookie, expiring with the session: on https `__Host-galley_session` (Secure, Path=/, no
 * Domain, as the prefix requires), on http `galley_session`.
 */
export function setSessionCookie(cookies: Cookies, token: string, expiresAt: Date, secure: boolean): void {
	cookies.set(sessionCookieName(secure), token, { path: '/', httpOnly: true, sameSite: 'lax', secure, expires: expiresAt });
}

/** Remove the session cookie (signing out). */
export function clearSessionCookie(cookies: Cookies, secure: boolean): void {
	cookies.delete(sessionCookieName(secure), { path: '/', httpOnly: true, sameSite: 'lax', secure });
}

export function publicUser(u: { id: string; email: string; name: string; role: 'editor' | 'contributor'; color: string }) {
	return { id: u.id, email: u.email, name: u.name, role: u.role, color: u.color };
}

import type { Cookies } from '@sveltejs/kit';
import { SESSION_COOKIE, createSession } from '../auth/sessions';
import type { Database } from '../db/client';

/** Start a browser session: httpOnly, SameSite=Lax cookie holding a random token. */
export async function startSession(db: Database, cookies: Cookies, userId: string, secure: boolean): Promise<void> {
	const { token, expiresAt } = await createSession(db, userId);
	cookies.set(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure, expires: expiresAt });
}

export function publicUser(u: { id: string; email: string; name: string; role: 'editor' | 'contributor'; color: string }) {
	return { id: u.id, email: u.email, name: u.name, role: u.role, color: u.color };
}

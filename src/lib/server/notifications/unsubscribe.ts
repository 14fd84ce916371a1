// One-click unsubscribe from notification e-mails: each e-mail links to /unsubscribe?u=<user id>&t=<token>,
// and names the same URL in `List-Unsubscribe` (RFC 8058: mail clients POST `List-Unsubscribe=One-Click`).
// The token is an HMAC-SHA256 of the user's id keyed by their password hash: only the server can make one,
// it needs no stored state, and a password change retires the old links. A GET only shows what a POST does.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '../db/client';
import { users } from '../db/schema';

export function unsubscribeToken(userId: string, passwordHash: string): string {
	return createHmac('sha256', passwordHash).update(`galley:unsubscribe:${userId}`).digest('base64url');
}

export function unsubscribeUrl(origin: string, userId: string, passwordHash: string): string {
	return `${origin}/unsubscribe?u=${encodeURIComponent(userId)}&t=${unsubscribeToken(userId, passwordHash)}`;
}

/** The person a link is for, when its token is right (and the account not removed); null otherwise. */
export async function unsubscribeSubject(db: Database, userId: string | null, token: string | null): Promise<{ id: string; email: string; emailNotifications: boolean } | null> {
	if (!userId || !token || userId.length > 64 || token.length > 64) return null;
	const [user] = await db
		.select({ id: users.id, email: users.email, passwordHash: users.passwordHash, emailNotifications: users.emailNotifications })
		.from(users)
		.where(and(eq(users.id, userId), isNull(users.disabledAt)));
	if (!user) return null;
	const expected = Buffer.from(unsubscribeToken(user.id, user.passwordHash));
	const given = Buffer.from(token);
	if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
	return { id: user.id, email: user.email, emailNotifications: user.emailNotifications };
}

/** Turn the person's notification e-mails off. */
export async function unsubscribe(db: Database, userId: string): Promise<void> {
	await db.update(users).set({ emailNotifications: false }).where(eq(users.id, userId));
}

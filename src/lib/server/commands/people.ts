// What the editor does to a person (role, removal, reset links) and what everyone does to their own
// password. Each returns the credential keys it ended; the route closes their live connections with
// CollabServer.credentialRevoked once the transaction has committed.
import { and, count, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { syncAfterTransaction } from '../db/client';
import { passwordResets, users } from '../db/schema';
import { hashPassword, verifyPassword } from '../auth/passwords';
import { generateToken, hashToken, newId } from '../auth/tokens';
import { endSessionsOf, revokeTokensOf } from '../auth/sign-ins';
import type { Role } from '../../domain/pieces';
import { recordPeopleEvent } from './people-audit';
import type { AuditActor } from './accounts';

export const RESET_LINK_HOURS = 24;

/** No such person (or removed already). */
export class PersonNotFound extends Error {}
/** The change would leave Galley without an editor. */
export class LastEditor extends Error {}
export class WrongPassword extends Error {}

/** Serialize the changes that can take away an editor, so two at once cannot leave none (transaction-scoped). */
async function lockEditors(tx: Database): Promise<void> {
	await tx.execute(sql`select pg_advisory_xact_lock(4244)`);
}

async function activeEditors(tx: Database): Promise<number> {
	const [row] = await tx.select({ n: count() }).from(users).where(and(eq(users.role, 'editor'), isNull(users.disabledAt)));
	return row.n;
}

async function activeUser(tx: Database, userId: string) {
	const [user] = await tx.select().from(users).where(and(eq(users.id, userId), isNull(users.disabledAt))).limit(1);
	return user ?? null;
}

/** Change a person's role. Refused (LastEditor) when it would demote the last editor. Returns the old role. */
export async function changeRole(db: Database, userId: string, role: Role, by: AuditActor): Promise<{ from: Role; to: Role }> {
	const result = await db.transaction(async (t) => {
		const tx = t as unknown as Database;
		await lockEditors(tx);
		const user = await activeUser(tx, userId);
		if (!user) throw new PersonNotFound('No such person');
		if (user.role === role) return { from: user.role, to: role };
		await tx.update(users).set({ role }).where(eq(users.id, userId));
		if (user.role === 'editor' && (await activeEditors(tx)) === 0) throw new LastEditor('Galley needs at least one editor: make someone else an editor first');
		await recordPeopleEvent(tx, { action: 'role_changed', actor: by, subject: { userId, email: user.email, name: user.name }, detail: { from: user.role, to: role } });
		return { from: user.role, to: role };
	});
	await syncAfterTransaction(db);
	return result;
}

/**
 * Remove a person: the account is disabled (it can no longer sign in), their sessions are deleted, their API
 * tokens and open reset links revoked. Their pieces and contributor profile stay. Returns the credentials ended.
 */
export async function removePerson(db: Database, userId: string, by: AuditActor): Promise<string[]> {
	const credentials = await db.transaction(async (t) => {
		const tx = t as unknown as Database;
		await lockEditors(tx);
		const [user] = await tx
			.update(users)
			.set({ disabledAt: new Date() })
			.where(and(eq(users.id, userId), isNull(users.disabledAt)))
			.returning();
		if (!user) throw new PersonNotFound('No such person');
		if (user.role === 'editor' && (await activeEditors(tx)) === 0) throw new LastEditor('Galley needs at least one editor');
		const ended = [...(await endSessionsOf(tx, userId)), ...(await revokeTokensOf(tx, userId))];
		await revokeResetLinksOf(tx, userId);
		await recordPeopleEvent(tx, { action: 'removed', actor: by, subject: { userId, email: user.email, name: user.name } });
		return ended;
	});
	await syncAfterTransaction(db);
	return credentials;
}

async function revokeResetLinksOf(tx: Database, userId: string) {
	await tx
		.update(passwordResets)
		.set({ revokedAt: new Date() })
		.where(and(eq(passwordResets.userId, userId), isNull(passwordResets.usedAt), isNull(passwordResets.revokedAt)));
}

/** Issue a one-time link for a person to set a new password; it replaces (revokes) their open one. */
export async function issueResetLink(db: Database, userId: string, by: AuditActor): Promise<{ token: string; expiresAt: Date }> {
	const token = generateToken();
	const expiresAt = new Date(Date.now() + RESET_LINK_HOURS * 3600 * 1000);
	await db.transaction(async (t) => {
		const tx = t as unknown as Database;
		// one issuer at a time per person, so exactly one link stays open
		const [user] = await tx.select().from(users).where(and(eq(users.id, userId), isNull(users.disabledAt))).for('update').limit(1);
		if (!user) throw new PersonNotFound('No such person');
		await revokeResetLinksOf(tx, userId);
		await tx.insert(passwordResets).values({ id: newId(), userId, tokenHash: hashToken(token), createdBy: by.id, expiresAt });
		await recordPeopleEvent(tx, { action: 'reset_link_issued', actor: by, subject: { userId, email: user.email, name: user.name }, detail: { expiresAt: expiresAt.toISOString() } });
	});
	await syncAfterTransaction(db);
	return { token, expiresAt };
}

export type ResetLinkState = 'open' | 'used' | 'revoked' | 'expired' | 'unknown';

export const CLOSED_RESET_LINK_MESSAGES: Record<Exclude<ResetLinkState, 'open'>, string> = {
	used: 'This reset link was already used: ask the editor for a new one, or sign in',
	revoked: 'This reset link was replaced by a newer one or withdrawn: ask the editor for a new one',
	expired: 'This reset link has expired: ask the editor for a new one',
	unknown: 'This reset link is not valid: ask the editor for a new one'
};

/** A reset link by its token: its state, and whose it is (when open). */
export async function findResetLink(db: Database, token: string) {
	const [row] = await db
		.select({ link: passwordResets, user: { id: users.id, email: users.email, name: users.name, disabledAt: users.disabledAt } })
		.from(passwordResets)
		.innerJoin(users, eq(users.id, passwordResets.userId))
		.where(eq(passwordResets.tokenHash, hashToken(token)))
		.limit(1);
	if (!row) return { state: 'unknown' as ResetLinkState, user: null };
	const { link, user } = row;
	const state: ResetLinkState = link.usedAt ? 'used' : link.revokedAt || user.disabledAt ? 'revoked' : link.expiresAt.getTime() <= Date.now() ? 'expired' : 'open';
	return { state, user: state === 'open' ? { id: user.id, email: user.email, name: user.name } : null };
}

export class ResetLinkClosed extends Error {
	constructor(readonly state: Exclude<ResetLinkState, 'open'>) {
		super(CLOSED_RESET_LINK_MESSAGES[state]);
	}
}

/**
 * Use a reset link: sets the new password and ends every session of the person. Atomic: the link is taken
 * by a conditional UPDATE (still open), so a second use fails. Returns the person and the credentials ended.
 */
export async function useResetLink(db: Database, token: string, newPassword: string) {
	const passwordHash = await hashPassword(newPassword);
	const result = await db.transaction(async (t) => {
		const tx = t as unknown as Database;
		const now = new Date();
		const [link] = await tx
			.update(passwordResets)
			.set({ usedAt: now })
			.where(and(eq(passwordResets.tokenHash, hashToken(token)), isNull(passwordResets.usedAt), isNull(passwordResets.revokedAt), gt(passwordResets.expiresAt, now)))
			.returning({ userId: passwordResets.userId });
		if (!link) return null;
		const [user] = await tx
			.update(users)
			.set({ passwordHash })
			.where(and(eq(users.id, link.userId), isNull(users.disabledAt)))
			.returning({ id: users.id, email: users.email, name: users.name, role: users.role, color: users.color });
		if (!user) throw new ResetLinkClosed('revoked'); // removed meanwhile: roll the use back
		const ended = await endSessionsOf(tx, user.id);
		await recordPeopleEvent(tx, { action: 'reset_link_used', actor: { id: user.id, name: user.name }, subject: { userId: user.id, email: user.email, name: user.name } });
		return { user, ended };
	});
	if (!result) {
		const { state } = await findResetLink(db, token);
		throw new ResetLinkClosed(state === 'open' ? 'expired' : state);
	}
	await syncAfterTransaction(db);
	return result;
}

/**
 * Change one's own password, given the current one. Every other session of the person ends; the one making
 * the request (`keepSessionId`, null for an API token) stays. Returns the credentials ended.
 */
export async function changeOwnPassword(
	db: Database,
	userId: string,
	input: { currentPassword: string; newPassword: string; keepSessionId: string | null }
): Promise<string[]> {
	const user = await activeUser(db, userId);
	if (!user) throw new PersonNotFound('No such person');
	if (!(await verifyPassword(user.passwordHash, input.currentPassword))) throw new WrongPassword('The current password is wrong');
	const passwordHash = await hashPassword(input.newPassword);
	const ended = await db.transaction(async (t) => {
		const tx = t as unknown as Database;
		await tx.update(users).set({ passwordHash }).where(eq(users.id, userId));
		const sessionsEnded = await endSessionsOf(tx, userId, input.keepSessionId);
		await recordPeopleEvent(tx, { action: 'password_changed', actor: { id: user.id, name: user.name }, subject: { userId, email: user.email, name: user.name } });
		return sessionsEnded;
	});
	await syncAfterTransaction(db);
	return ended;
}

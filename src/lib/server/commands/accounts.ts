import { and, count, eq, gt, isNull, notExists, sql, isNotNull } from 'drizzle-orm';
import type { Database } from '../db/client';
import { syncAfterTransaction } from '../db/client';
import { contributors, invites, users } from '../db/schema';
import { hashPassword, verifyPassword } from '../auth/passwords';
import { generateToken, hashToken, newId } from '../auth/tokens';
import type { Role } from '../../domain/pieces';
import { colorFor } from '../../domain/people';
import { recordPeopleEvent } from './people-audit';

export class SetupAlreadyDone extends Error {}

/** Who did something to a person, as the audit list names them. */
export type AuditActor = { id: string; name: string };

export async function hasAnyAccount(db: Database): Promise<boolean> {
	const [row] = await db.select({ n: count() }).from(users);
	return row.n > 0;
}

/** Insert an account and its contributor profile. Hash the password before the transaction (argon2 takes a while). */
async function insertUser(db: Database, input: { email: string; name: string; passwordHash: string; role: Role }) {
	const id = newId();
	await db.insert(users).values({
		id,
		email: input.email.toLowerCase(),
		name: input.name,
		passwordHash: input.passwordHash,
		role: input.role,
		color: colorFor(id)
	});
	await db.insert(contributors).values({ id: newId(), userId: id, name: input.name });
	return id;
}

/**
 * A new account, or, when a removed person had this address, their account restored: the same id, so their
 * pieces and profile are theirs again, with the name, password and role given now.
 */
async function insertOrRestoreUser(db: Database, input: { email: string; name: string; passwordHash: string; role: Role }): Promise<{ id: string; restored: boolean }> {
	const [restored] = await db
		.update(users)
		.set({ name: input.name, passwordHash: input.passwordHash, role: input.role, disabledAt: null })
		.where(and(eq(users.email, input.email.toLowerCase()), isNotNull(users.disabledAt)))
		.returning({ id: users.id });
	if (restored) return { id: restored.id, restored: true };
	return { id: await insertUser(db, input), restored: false };
}

/** Whether an address belongs to an account that can sign in (a removed person's address can be invited again). */
async function hasActiveAccount(db: Database, email: string): Promise<boolean> {
	const user = await findUserByEmail(db, email);
	return !!user && !user.disabledAt;
}

/** The first account of an instance becomes its editor. Refused once any account exists. */
export async function createFirstAccount(db: Database, input: { email: string; name: string; password: string }) {
	const passwordHash = await hashPassword(input.password);
	// Serialize concurrent set-ups with a transaction-scoped advisory lock.
	const id = await db.transaction(async (tx) => {
		await tx.execute(sql`select pg_advisory_xact_lock(4242)`);
		if (await hasAnyAccount(tx as unknown as Database)) throw new SetupAlreadyDone('Galley is already set up');
		const userId = await insertUser(tx as unknown as Database, { email: input.email, name: input.name, passwordHash, role: 'editor' });
		const subject = { userId, email: input.email.toLowerCase(), name: input.name };
		await recordPeopleEvent(tx as unknown as Database, { action: 'account_created', actor: { id: userId, name: input.name }, subject, detail: { role: 'editor', firstAccount: true } });
		return userId;
	});
	await syncAfterTransaction(db);
	return id;
}

export async function findUserByEmail(db: Database, email: string) {
	const [row] = await db.select().from(users).where(eq(users.email, email.toLowerCase())).limit(1);
	return row ?? null;
}

/** Check a password. Always spends the hashing time, so a missing account is not faster than a wrong password. */
export async function checkCredentials(db: Database, email: string, password: string) {
	const user = await findUserByEmail(db, email);
	const ok = await verifyPassword(user?.passwordHash ?? (await dummyHash()), password);
	if (!user || !ok || user.disabledAt) return null;
	return user;
}
let dummy: Promise<string> | null = null;
const dummyHash = () => (dummy ??= hashPassword('no account has this password'));

export class EmailTaken extends Error {}

const INVITE_DAYS = 14;

/** Serialize, per e-mail address, what opens an invite for it (transaction-scoped advisory lock). */
async function lockInvitesOf(tx: Database, email: string): Promise<void> {
	await tx.execute(sql`select pg_advisory_xact_lock(4243, hashtext(${email}))`);
}

/** Close every open invite for an e-mail address (replaced, revoked, or joined); returns the ones closed. */
async function closeOpenInvites(tx: Database, email: string, at: Date) {
	return tx
		.update(invites)
		.set({ revokedAt: at })
		.where(and(eq(invites.email, email), isNull(invites.acceptedAt), isNull(invites.revokedAt)))
		.returning({ id: invites.id, name: invites.name, email: invites.email });
}

/**
 * Invite someone: returns the one-time token for the invite link (/invite/<token>). There is one open invite
 * per e-mail address: a new one replaces (revokes) the one before. Refused when the address has an account.
 */
export async function createInvite(db: Database, input: { email: string; name: string; role: Role; by: AuditActor }) {
	const email = input.email.toLowerCase();
	const token = generateToken();
	const id = newId();
	const expiresAt = new Date(Date.now() + INVITE_DAYS * 24 * 3600 * 1000);
	await db.transaction(async (t) => {
		const tx = t as unknown as Database;
		await lockInvitesOf(tx, email);
		if (await hasActiveAccount(tx, email)) throw new EmailTaken(`${email} already has an account`);
		for (const old of await closeOpenInvites(tx, email, new Date())) {
			await recordPeopleEvent(tx, { action: 'invite_replaced', actor: input.by, subject: { userId: null, email, name: old.name } });
		}
		await tx.insert(invites).values({ id, tokenHash: hashToken(token), email, name: input.name, role: input.role, invitedBy: input.by.id, expiresAt });
		await recordPeopleEvent(tx, { action: 'invited', actor: input.by, subject: { userId: null, email, name: input.name }, detail: { role: input.role } });
	});
	await syncAfterTransaction(db);
	return { id, token, expiresAt };
}

/** Where an invite link stands. `joined`: someone has an account with its e-mail address (it cannot be used). */
export type InviteState = 'open' | 'accepted' | 'joined' | 'revoked' | 'expired';

/** What an invite link that cannot be used says, by why (`unknown`: no such link). */
export const CLOSED_INVITE_MESSAGES: Record<Exclude<InviteState, 'open'> | 'unknown', string> = {
	accepted: 'This invite link was already used: sign in instead',
	joined: 'Someone already joined with this e-mail address: sign in instead',
	revoked: 'This invite was revoked (or replaced by a newer one): ask the editor for a new link',
	expired: 'This invite link has expired: ask the editor for a new one',
	unknown: 'This invite link is not valid: ask the editor for a new one'
};

/** An invite by the token of its link, in whatever state, or null when there is none. */
export async function findInvite(db: Database, token: string) {
	const [invite] = await db.select().from(invites).where(eq(invites.tokenHash, hashToken(token))).limit(1);
	if (!invite) return null;
	let state: InviteState = 'open';
	if (invite.acceptedAt) state = 'accepted';
	else if (await hasActiveAccount(db, invite.email)) state = 'joined';
	else if (invite.revokedAt) state = 'revoked';
	else if (invite.expiresAt.getTime() <= Date.now()) state = 'expired';
	return { invite, state };
}

export async function findOpenInvite(db: Database, token: string) {
	const found = await findInvite(db, token);
	return found?.state === 'open' ? found.invite : null;
}

/** An invite could not be accepted: why (see CLOSED_INVITE_MESSAGES). */
export class InviteClosed extends Error {
	constructor(readonly state: Exclude<InviteState, 'open'> | 'unknown') {
		super(CLOSED_INVITE_MESSAGES[state]);
	}
}

/**
 * Accept an invite: creates the account with the password the invitee chose. Atomic: the invite is taken by
 * a conditional UPDATE (still open) in the transaction that creates the account, so of concurrent accepts
 * exactly one succeeds and the others find it accepted. Joining closes every other open invite for the address.
 */
export async function acceptInvite(db: Database, token: string, input: { name: string; password: string }) {
	const passwordHash = await hashPassword(input.password);
	const result = await db.transaction(async (t) => {
		const tx = t as unknown as Database;
		const now = new Date();
		const [invite] = await tx
			.update(invites)
			.set({ acceptedAt: now })
			.where(and(eq(invites.tokenHash, hashToken(token)), isNull(invites.acceptedAt), isNull(invites.revokedAt), gt(invites.expiresAt, now)))
			.returning();
		if (!invite) return null;
		// An account with this address already (a unique violation): the transaction rolls back, the API answers 409.
		const { id: userId, restored } = await insertOrRestoreUser(tx, { email: invite.email, name: input.name, passwordHash, role: invite.role });
		await closeOpenInvites(tx, invite.email, now);
		await recordPeopleEvent(tx, { action: 'joined', actor: { id: userId, name: input.name }, subject: { userId, email: invite.email, name: input.name }, detail: { role: invite.role, ...(restored ? { restored } : {}) } });
		return { userId, invite };
	});
	if (!result) {
		const found = await findInvite(db, token);
		throw new InviteClosed(!found ? 'unknown' : found.state === 'open' ? 'expired' : found.state);
	}
	await syncAfterTransaction(db);
	return result;
}

/** Create an account directly with an initial password (the editor's alternative to an invite link). */
export async function createAccount(db: Database, input: { email: string; name: string; password: string; role: Role; by?: AuditActor }) {
	const email = input.email.toLowerCase();
	if (await hasActiveAccount(db, email)) throw new EmailTaken(`${email} already has an account`);
	const passwordHash = await hashPassword(input.password);
	// Two requests for one address at once: the second insert violates users_email_idx (a 409 from the API).
	const id = await db.transaction(async (t) => {
		const tx = t as unknown as Database;
		const { id: userId, restored } = await insertOrRestoreUser(tx, { email, name: input.name, passwordHash, role: input.role });
		await closeOpenInvites(tx, email, new Date());
		await recordPeopleEvent(tx, { action: 'account_created', actor: input.by ?? null, subject: { userId, email, name: input.name }, detail: { role: input.role, ...(restored ? { restored } : {}) } });
		return userId;
	});
	await syncAfterTransaction(db);
	return id;
}

/** Everyone with an account that was not removed. */
export async function listPeople(db: Database) {
	return db
		.select({ id: users.id, name: users.name, email: users.email, role: users.role, color: users.color, createdAt: users.createdAt })
		.from(users)
		.where(isNull(users.disabledAt))
		.orderBy(users.createdAt);
}

/** Invites that can still be accepted (not used, revoked or expired, and nobody joined with the address since). */
export async function listOpenInvites(db: Database) {
	return db
		.select({ id: invites.id, email: invites.email, name: invites.name, role: invites.role, expiresAt: invites.expiresAt, createdAt: invites.createdAt })
		.from(invites)
		.where(
			and(
				isNull(invites.acceptedAt),
				isNull(invites.revokedAt),
				gt(invites.expiresAt, new Date()),
				notExists(db.select({ one: sql`1` }).from(users).where(eq(users.email, invites.email)))
			)
		)
		.orderBy(invites.createdAt);
}

/** Revoke an open invite (its link then says so). Returns false when there is no such open invite. */
export async function revokeInvite(db: Database, inviteId: string, by: AuditActor): Promise<boolean> {
	const revoked = await db.transaction(async (t) => {
		const tx = t as unknown as Database;
		const [invite] = await tx
			.update(invites)
			.set({ revokedAt: new Date() })
			.where(and(eq(invites.id, inviteId), isNull(invites.acceptedAt), isNull(invites.revokedAt)))
			.returning({ email: invites.email, name: invites.name });
		if (!invite) return false;
		await recordPeopleEvent(tx, { action: 'invite_revoked', actor: by, subject: { userId: null, email: invite.email, name: invite.name } });
		return true;
	});
	await syncAfterTransaction(db);
	return revoked;
}

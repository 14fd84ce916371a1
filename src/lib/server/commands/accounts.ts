import { and, count, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { syncAfterTransaction } from '../db/client';
import { contributors, invites, users } from '../db/schema';
import { hashPassword, verifyPassword } from '../auth/passwords';
import { generateToken, hashToken, newId } from '../auth/tokens';
import type { Role } from '../../domain/pieces';
import { colorFor } from '../../domain/people';

export class SetupAlreadyDone extends Error {}

export async function hasAnyAccount(db: Database): Promise<boolean> {
	const [row] = await db.select({ n: count() }).from(users);
	return row.n > 0;
}

async function insertUser(db: Database, input: { email: string; name: string; password: string; role: Role }) {
	const id = newId();
	const passwordHash = await hashPassword(input.password);
	await db.insert(users).values({
		id,
		email: input.email.toLowerCase(),
		name: input.name,
		passwordHash,
		role: input.role,
		color: colorFor(id)
	});
	await db.insert(contributors).values({ id: newId(), userId: id, name: input.name });
	return id;
}

/** The first account of an instance becomes its editor. Refused once any account exists. */
export async function createFirstAccount(db: Database, input: { email: string; name: string; password: string }) {
	// Serialize concurrent set-ups with a transaction-scoped advisory lock.
	const id = await db.transaction(async (tx) => {
		await tx.execute(sql`select pg_advisory_xact_lock(4242)`);
		if (await hasAnyAccount(tx as unknown as Database)) throw new SetupAlreadyDone('Galley is already set up');
		return insertUser(tx as unknown as Database, { ...input, role: 'editor' });
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

/** Invite someone: returns the one-time token for the invite link (/invite/<token>). */
export async function createInvite(db: Database, input: { email: string; name: string; role: Role; invitedBy: string }) {
	if (await findUserByEmail(db, input.email)) throw new EmailTaken(`${input.email} already has an account`);
	const token = generateToken();
	const id = newId();
	await db.insert(invites).values({
		id,
		tokenHash: hashToken(token),
		email: input.email.toLowerCase(),
		name: input.name,
		role: input.role,
		invitedBy: input.invitedBy,
		expiresAt: new Date(Date.now() + INVITE_DAYS * 24 * 3600 * 1000)
	});
	return { id, token };
}

export async function findOpenInvite(db: Database, token: string) {
	const [row] = await db
		.select()
		.from(invites)
		.where(and(eq(invites.tokenHash, hashToken(token)), isNull(invites.acceptedAt), gt(invites.expiresAt, new Date())))
		.limit(1);
	return row ?? null;
}

/** Accept an invite: creates the account with the password the invitee chose. */
export async function acceptInvite(db: Database, token: string, input: { name: string; password: string }) {
	const invite = await findOpenInvite(db, token);
	if (!invite) return null;
	if (await findUserByEmail(db, invite.email)) throw new EmailTaken(`${invite.email} already has an account`);
	const id = await db.transaction(async (tx) => {
		const userId = await insertUser(tx as unknown as Database, { email: invite.email, name: input.name, password: input.password, role: invite.role });
		await tx.update(invites).set({ acceptedAt: new Date() }).where(eq(invites.id, invite.id));
		return userId;
	});
	await syncAfterTransaction(db);
	return id;
}

/** Create an account directly with an initial password (the editor's alternative to an invite link). */
export async function createAccount(db: Database, input: { email: string; name: string; password: string; role: Role }) {
	if (await findUserByEmail(db, input.email)) throw new EmailTaken(`${input.email} already has an account`);
	return insertUser(db, input);
}

export async function listPeople(db: Database) {
	return db
		.select({ id: users.id, name: users.name, email: users.email, role: users.role, color: users.color, createdAt: users.createdAt })
		.from(users)
		.orderBy(users.createdAt);
}

export async function listOpenInvites(db: Database) {
	return db
		.select({ id: invites.id, email: invites.email, name: invites.name, role: invites.role, expiresAt: invites.expiresAt })
		.from(invites)
		.where(and(isNull(invites.acceptedAt), gt(invites.expiresAt, new Date())));
}

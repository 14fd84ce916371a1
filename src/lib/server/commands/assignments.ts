// Assigning people to pieces and sections (the editor only: the routes ask the policies first). A person
// holds at most one assignment per scope of a piece: the whole piece, or one section (its heading's id).
// A second one for the same scope is refused (AssignmentConflict, 409): change the first instead.
import { and, eq, isNull, sql } from 'drizzle-orm';
import { syncAfterTransaction, type Database } from '../db/client';
import { assignments, pieces, users } from '../db/schema';
import { newId } from '../auth/tokens';
import { assignmentForScope, findAssignment } from '../queries/assignments';
import type { Assignment, AssignmentRole } from '../../domain/assignments';

/** The person already holds an assignment for this scope of the piece. */
export class AssignmentConflict extends Error {
	constructor(readonly existing: Assignment) {
		super(
			existing.sectionId
				? `${existing.name} is already assigned to this section (as ${existing.role}); change that assignment instead`
				: `${existing.name} is already assigned to this piece (as ${existing.role}); change that assignment instead`
		);
	}
}

export interface AssignmentTerms {
	role: AssignmentRole;
	sectionId: string | null;
	dueOn: string | null;
	wordTarget: number | null;
}

/** Serialize, per piece and person, the writes that check the one-assignment-per-scope rule. */
async function lockScopesOf(tx: Database, pieceId: string, userId: string): Promise<void> {
	await tx.execute(sql`select pg_advisory_xact_lock(4251, hashtext(${pieceId + ':' + userId}))`);
}

/** A person who may be assigned: has an account that was not removed. Null otherwise. */
export async function assignablePerson(db: Database, userId: string): Promise<{ id: string; name: string } | null> {
	const [person] = await db
		.select({ id: users.id, name: users.name })
		.from(users)
		.where(and(eq(users.id, userId), isNull(users.disabledAt)))
		.limit(1);
	return person ?? null;
}

export async function createAssignment(db: Database, input: AssignmentTerms & { pieceId: string; userId: string; assignedBy: string }): Promise<Assignment> {
	const id = newId();
	await db.transaction(async (t) => {
		const tx = t as unknown as Database;
		await lockScopesOf(tx, input.pieceId, input.userId);
		const existing = await assignmentForScope(tx, input.pieceId, input.userId, input.sectionId);
		if (existing) throw new AssignmentConflict(existing);
		await tx.insert(assignments).values({
			id,
			pieceId: input.pieceId,
			userId: input.userId,
			role: input.role,
			sectionId: input.sectionId,
			dueOn: input.dueOn,
			wordTarget: input.wordTarget,
			assignedBy: input.assignedBy
		});
	});
	await syncAfterTransaction(db);
	return (await findAssignment(db, input.pieceId, id))!;
}

/** Change an assignment's terms; null when the piece has no such assignment. */
export async function updateAssignment(
	db: Database,
	pieceId: string,
	assignmentId: string,
	patch: Partial<AssignmentTerms>
): Promise<{ before: Assignment; after: Assignment } | null> {
	const before = await findAssignment(db, pieceId, assignmentId);
	if (!before) return null;
	const changed = await db.transaction(async (t) => {
		const tx = t as unknown as Database;
		await lockScopesOf(tx, pieceId, before.userId);
		if (patch.sectionId !== undefined && patch.sectionId !== before.sectionId) {
			const other = await assignmentForScope(tx, pieceId, before.userId, patch.sectionId);
			if (other && other.id !== assignmentId) throw new AssignmentConflict(other);
		}
		const rows = await tx
			.update(assignments)
			.set({
				...(patch.role !== undefined ? { role: patch.role } : {}),
				...(patch.sectionId !== undefined ? { sectionId: patch.sectionId } : {}),
				...(patch.dueOn !== undefined ? { dueOn: patch.dueOn } : {}),
				...(patch.wordTarget !== undefined ? { wordTarget: patch.wordTarget } : {})
			})
			.where(and(eq(assignments.id, assignmentId), eq(assignments.pieceId, pieceId)))
			.returning({ id: assignments.id });
		return rows.length > 0;
	});
	if (!changed) return null; // removed meanwhile
	await syncAfterTransaction(db);
	const after = await findAssignment(db, pieceId, assignmentId);
	return after ? { before, after } : null;
}

/** Remove an assignment; returns it, or null when the piece has no such assignment (removed meanwhile too). */
export async function removeAssignment(db: Database, pieceId: string, assignmentId: string): Promise<Assignment | null> {
	const before = await findAssignment(db, pieceId, assignmentId);
	if (!before) return null;
	const rows = await db
		.delete(assignments)
		.where(and(eq(assignments.id, assignmentId), eq(assignments.pieceId, pieceId)))
		.returning({ id: assignments.id });
	return rows.length ? before : null;
}

/** What notifications and the board need of the piece. */
export async function pieceForAssignments(db: Database, pieceId: string): Promise<{ id: string; title: string; issueId: string | null } | null> {
	const [piece] = await db.select({ id: pieces.id, title: pieces.title, issueId: pieces.issueId }).from(pieces).where(eq(pieces.id, pieceId)).limit(1);
	return piece ?? null;
}

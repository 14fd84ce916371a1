import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Database } from '../db/client';
import { assignments, pieces, users } from '../db/schema';
import type { PieceSubject } from '../policies';
import { listedPieces, pieceActions } from '../policies';
import type { Actor } from '../auth/sessions';
import { collabSections, reviewCapacity } from '../policies';
import { availableTransitions } from '../../domain/review';
import { isLocked } from '../../domain/pieces';
import type { LivePiece } from '../../domain/collab';
import { pieceAuthorsOf } from './contributors';

/** What the policies need to decide about `actorId` and this piece; null when the piece does not exist. */
export async function loadPieceSubject(db: Database, pieceId: string, actorId: string): Promise<PieceSubject | null> {
	const [piece] = await db
		.select({ id: pieces.id, createdBy: pieces.createdBy, reviewState: pieces.reviewState, archivedAt: pieces.archivedAt })
		.from(pieces)
		.where(eq(pieces.id, pieceId))
		.limit(1);
	if (!piece) return null;
	const rows = await db
		.select({ role: assignments.role, sectionId: assignments.sectionId })
		.from(assignments)
		.where(and(eq(assignments.pieceId, pieceId), eq(assignments.userId, actorId)));
	const { archivedAt, ...rest } = piece;
	return { ...rest, archived: archivedAt !== null, ...rightsOf(rows) };
}

type AssignmentRole = PieceSubject['assignmentRoles'][number];

/**
 * A person's assignments on one piece as the policies read them: whole-piece roles, and the sections they
 * write in (section author or reviewer). A section viewer reads the whole piece, as a viewer does.
 */
export function rightsOf(rows: readonly { role: AssignmentRole; sectionId: string | null }[]): Pick<PieceSubject, 'assignmentRoles' | 'sectionIds'> {
	const assignmentRoles: AssignmentRole[] = [];
	const sectionIds: string[] = [];
	for (const { role, sectionId } of rows) {
		if (sectionId === null || role === 'viewer') assignmentRoles.push(role);
		else sectionIds.push(sectionId);
	}
	return { assignmentRoles, sectionIds };
}

/** The columns of a piece every list shows (with `users` joined on its creator). */
export const pieceColumns = {
	id: pieces.id,
	kind: pieces.kind,
	title: pieces.title,
	reviewState: pieces.reviewState,
	detailsVersion: pieces.detailsVersion,
	issueId: pieces.issueId,
	sectionId: pieces.sectionId,
	createdBy: pieces.createdBy,
	createdByName: users.name,
	createdAt: pieces.createdAt,
	updatedAt: pieces.updatedAt,
	archivedAt: pieces.archivedAt,
	wordCount: pieces.wordCount
};

export type PieceRow = Awaited<ReturnType<typeof selectPieces>>[number];

function selectPieces(db: Database) {
	return db.select(pieceColumns).from(pieces).innerJoin(users, eq(users.id, pieces.createdBy)).$dynamic();
}

/**
 * Every piece this actor may see that is not archived, newest first, with the actions they may take on
 * each. (The pieces list searches, filters and pages: queries/piece-list.ts.)
 */
export async function listPiecesFor(db: Database, actor: Actor) {
	const rows = await selectPieces(db).where(listedPieces(actor)).orderBy(desc(pieces.updatedAt));
	return withActions(db, actor, rows);
}

export async function getPieceFor(db: Database, actor: Actor, pieceId: string) {
	const rows = await selectPieces(db).where(eq(pieces.id, pieceId)).limit(1);
	const [piece] = await withActions(db, actor, rows);
	return piece ?? null;
}

async function withActions(db: Database, actor: Actor, rows: PieceRow[]) {
	if (rows.length === 0) return [];
	const mine = await db
		.select({ pieceId: assignments.pieceId, role: assignments.role, sectionId: assignments.sectionId })
		.from(assignments)
		.where(and(eq(assignments.userId, actor.id), inArray(assignments.pieceId, rows.map((r) => r.id))));
	return rows.map((row) => {
		const subject: PieceSubject = {
			id: row.id,
			createdBy: row.createdBy,
			reviewState: row.reviewState,
			archived: row.archivedAt !== null,
			...rightsOf(mine.filter((a) => a.pieceId === row.id))
		};
		return { ...row, actions: pieceActions(actor, subject) };
	});
}

/** The review moves this person may make on the piece now (labels for buttons). */
export function transitionsFor(actor: Actor, subject: PieceSubject) {
	return availableTransitions(subject.reviewState, reviewCapacity(actor, subject)).map(({ to, label }) => ({ to, label }));
}

/** A piece's authors and the details version they belong to (read together), or null without the piece. */
export async function pieceAuthorsWithVersion(db: Database, pieceId: string) {
	return db.transaction(async (tx) => {
		const [piece] = await tx.select({ version: pieces.detailsVersion }).from(pieces).where(eq(pieces.id, pieceId));
		if (!piece) return null;
		return { authors: await pieceAuthorsOf(tx as unknown as Database, pieceId), version: piece.version };
	});
}

/** The piece as this person's open page shows it (the `piece` notice, docs/protocol.md); null when they may not see it. */
export async function livePieceFor(db: Database, actor: Actor, pieceId: string): Promise<LivePiece | null> {
	const [piece, subject, details] = await Promise.all([getPieceFor(db, actor, pieceId), loadPieceSubject(db, pieceId, actor.id), pieceAuthorsWithVersion(db, pieceId)]);
	if (!piece || !subject || !details || !piece.actions.view) return null;
	return {
		id: piece.id,
		kind: piece.kind,
		title: piece.title,
		reviewState: piece.reviewState,
		locked: isLocked(piece.reviewState),
		// read with the authors, so the version matches the list a stale writer is compared against
		detailsVersion: details.version,
		actions: piece.actions,
		transitions: transitionsFor(actor, subject),
		sections: collabSections(actor, subject),
		authors: details.authors
	};
}

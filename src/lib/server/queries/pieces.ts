import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Database } from '../db/client';
import { assignments, pieces, users } from '../db/schema';
import type { PieceSubject } from '../policies';
import { pieceActions, visiblePieces } from '../policies';
import type { Actor } from '../auth/sessions';

/** What the policies need to decide about `actorId` and this piece; null when the piece does not exist. */
export async function loadPieceSubject(db: Database, pieceId: string, actorId: string): Promise<PieceSubject | null> {
	const [piece] = await db
		.select({ id: pieces.id, createdBy: pieces.createdBy, reviewState: pieces.reviewState })
		.from(pieces)
		.where(eq(pieces.id, pieceId))
		.limit(1);
	if (!piece) return null;
	const roles = await db
		.select({ role: assignments.role })
		.from(assignments)
		.where(and(eq(assignments.pieceId, pieceId), eq(assignments.userId, actorId)));
	return { ...piece, assignmentRoles: roles.map((r) => r.role) };
}

const pieceColumns = {
	id: pieces.id,
	kind: pieces.kind,
	title: pieces.title,
	reviewState: pieces.reviewState,
	issueId: pieces.issueId,
	sectionId: pieces.sectionId,
	createdBy: pieces.createdBy,
	createdByName: users.name,
	createdAt: pieces.createdAt,
	updatedAt: pieces.updatedAt
};

export type PieceRow = Awaited<ReturnType<typeof selectPieces>>[number];

function selectPieces(db: Database) {
	return db.select(pieceColumns).from(pieces).innerJoin(users, eq(users.id, pieces.createdBy)).$dynamic();
}

/** The pieces this actor may see, newest first, with the actions they may take on each. */
export async function listPiecesFor(db: Database, actor: Actor) {
	const rows = await selectPieces(db).where(visiblePieces(actor)).orderBy(desc(pieces.updatedAt));
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
		.select({ pieceId: assignments.pieceId, role: assignments.role })
		.from(assignments)
		.where(and(eq(assignments.userId, actor.id), inArray(assignments.pieceId, rows.map((r) => r.id))));
	return rows.map((row) => {
		const subject: PieceSubject = {
			id: row.id,
			createdBy: row.createdBy,
			reviewState: row.reviewState,
			assignmentRoles: mine.filter((a) => a.pieceId === row.id).map((a) => a.role)
		};
		return { ...row, actions: pieceActions(actor, subject) };
	});
}

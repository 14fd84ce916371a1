import { and, asc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client';
import { assignments, citations, pieces, qaBlocks } from '../db/schema';
import type { Actor } from '../auth/sessions';
import { canPiece, type PieceSubject } from '../policies';

// Reads of the relational projections (Q&A turns, citations) across the pieces a caller may read. The
// policies module decides which pieces those are; these queries only narrow by the caller's filters.

export interface PieceScope {
	pieceId?: string;
	issueId?: string;
}

/** Ids of the pieces in `scope` the actor may view, decided by the policies module. */
export async function readablePieceIds(db: Database, actor: Actor, scope: PieceScope): Promise<string[]> {
	const where: SQL[] = [];
	if (scope.pieceId) where.push(eq(pieces.id, scope.pieceId));
	if (scope.issueId) where.push(eq(pieces.issueId, scope.issueId));
	const rows = await db
		.select({ id: pieces.id, createdBy: pieces.createdBy, reviewState: pieces.reviewState })
		.from(pieces)
		.where(where.length ? and(...where) : undefined);
	if (rows.length === 0) return [];
	const mine = await db
		.select({ pieceId: assignments.pieceId, role: assignments.role })
		.from(assignments)
		.where(and(eq(assignments.userId, actor.id), inArray(assignments.pieceId, rows.map((r) => r.id))));
	return rows
		.filter((row) => {
			const subject: PieceSubject = { ...row, assignmentRoles: mine.filter((a) => a.pieceId === row.id).map((a) => a.role) };
			return canPiece(actor, 'view', subject);
		})
		.map((row) => row.id);
}

/** Citations as they stand in the given pieces, optionally of one source (its name, case-insensitive). */
export async function listCitations(db: Database, pieceIds: string[], filter: { source?: string }) {
	if (pieceIds.length === 0) return [];
	const where: SQL[] = [inArray(citations.pieceId, pieceIds)];
	if (filter.source) where.push(sql`lower(${citations.sourceName}) = lower(${filter.source})`);
	return db
		.select({
			pieceId: citations.pieceId,
			pieceTitle: pieces.title,
			issueId: pieces.issueId,
			position: citations.position,
			source: citations.sourceName,
			url: citations.url,
			date: citations.dateText
		})
		.from(citations)
		.innerJoin(pieces, eq(pieces.id, citations.pieceId))
		.where(and(...where))
		.orderBy(asc(pieces.issueId), asc(pieces.position), asc(pieces.createdAt), asc(pieces.id), asc(citations.position));
}

/** Q&A turns of the given pieces in document order, optionally of one speaker (label or name) or role. */
export async function listQaBlocks(db: Database, pieceIds: string[], filter: { speaker?: string; role?: 'question' | 'answer' }) {
	if (pieceIds.length === 0) return [];
	const where: (SQL | undefined)[] = [inArray(qaBlocks.pieceId, pieceIds)];
	if (filter.speaker) {
		const speaker = filter.speaker;
		where.push(or(sql`lower(${qaBlocks.speaker}) = lower(${speaker})`, sql`lower(${qaBlocks.speakerName}) = lower(${speaker})`));
	}
	if (filter.role) where.push(eq(qaBlocks.kind, filter.role));
	return db
		.select({
			pieceId: qaBlocks.pieceId,
			pieceTitle: pieces.title,
			issueId: pieces.issueId,
			position: qaBlocks.position,
			blockId: qaBlocks.blockId,
			role: qaBlocks.kind,
			speaker: qaBlocks.speaker,
			speakerName: qaBlocks.speakerName,
			text: qaBlocks.text,
			timestamp: qaBlocks.timestamp
		})
		.from(qaBlocks)
		.innerJoin(pieces, eq(pieces.id, qaBlocks.pieceId))
		.where(and(...where))
		.orderBy(asc(pieces.issueId), asc(pieces.position), asc(pieces.createdAt), asc(pieces.id), asc(qaBlocks.position));
}

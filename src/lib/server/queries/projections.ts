import { and, asc, eq, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client';
import { citations, pieces, qaBlocks } from '../db/schema';
import type { Actor } from '../auth/sessions';
import { visiblePieces } from '../policies';

// Reads of the relational projections (Q&A turns, citations) across the pieces a caller may read: one
// query each, narrowed by the policies module's SQL condition (visiblePieces) and the caller's filters.

export interface PieceScope {
	pieceId?: string;
	issueId?: string;
}

/** The pieces of `scope` the actor may view, as a condition on `pieces`. */
function readablePieces(actor: Actor, scope: PieceScope): SQL {
	const where: SQL[] = [visiblePieces(actor)];
	if (scope.pieceId) where.push(eq(pieces.id, scope.pieceId));
	if (scope.issueId) where.push(eq(pieces.issueId, scope.issueId));
	return and(...where)!;
}

/** Citations as they stand in the pieces of `scope` the actor may view, optionally of one source (its name, case-insensitive). */
export async function listCitations(db: Database, actor: Actor, scope: PieceScope, filter: { source?: string }) {
	const where: SQL[] = [readablePieces(actor, scope)];
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

/** Q&A turns of the pieces of `scope` the actor may view, in document order, optionally of one speaker (label or name) or role. */
export async function listQaBlocks(db: Database, actor: Actor, scope: PieceScope, filter: { speaker?: string; role?: 'question' | 'answer' }) {
	const where: (SQL | undefined)[] = [readablePieces(actor, scope)];
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

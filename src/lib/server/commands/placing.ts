// Placing a piece in an issue's table of contents: which issue, which section (or none), which position.
// Positions count within one group (an issue's section, or the issue's pieces in no section) and stay dense
// (0..n-1) in both the group the piece leaves and the one it joins. Archived pieces are in no group.
import { and, asc, eq, isNull, ne } from 'drizzle-orm';
import { syncAfterTransaction, type Database } from '../db/client';
import { pieces, sections } from '../db/schema';
import { lockIssue, moveInOrder } from './issues';

export interface Placing {
	/** The issue; null takes the piece out of any issue; absent: the issue it is in now. */
	issueId?: string | null;
	/** A section of that issue; null (or absent when the issue changes): in the issue, in no section. */
	sectionId?: string | null;
	/** From 0 within the section (or the issue's unplaced pieces); absent or past the end: last. */
	position?: number;
}

export type PlacingOutcome =
	| { outcome: 'placed'; from: string | null; to: string | null }
	| { outcome: 'missing_piece' }
	| { outcome: 'invalid'; field: 'issueId' | 'sectionId'; message: string };

/** What the group of a piece is: its issue and section. */
type Group = { issueId: string; sectionId: string | null };

async function groupIds(tx: Database, group: Group, except: string): Promise<string[]> {
	const rows = await tx
		.select({ id: pieces.id })
		.from(pieces)
		.where(
			and(
				eq(pieces.issueId, group.issueId),
				group.sectionId ? eq(pieces.sectionId, group.sectionId) : isNull(pieces.sectionId),
				isNull(pieces.archivedAt),
				ne(pieces.id, except)
			)
		)
		.orderBy(asc(pieces.position), asc(pieces.id));
	return rows.map((r) => r.id);
}

async function renumber(tx: Database, ids: string[]) {
	for (const [position, id] of ids.entries()) await tx.update(pieces).set({ position }).where(eq(pieces.id, id));
}

/**
 * Place a piece (see Placing). Refused as `invalid` when the issue does not exist, or the section is not
 * one of the issue's (or is named without an issue). Reads and writes under the locks of both issues.
 */
export async function placePiece(db: Database, pieceId: string, placing: Placing): Promise<PlacingOutcome> {
	// the piece's issue is read before the locks are taken: if it moved to another issue meanwhile, try again
	for (let attempt = 0; ; attempt++) {
		const outcome = await placeOnce(db, pieceId, placing);
		if (outcome !== 'moved meanwhile' || attempt === 5) {
			await syncAfterTransaction(db);
			return outcome === 'moved meanwhile' ? { outcome: 'missing_piece' } : outcome;
		}
	}
}

async function placeOnce(db: Database, pieceId: string, placing: Placing): Promise<PlacingOutcome | 'moved meanwhile'> {
	const [before] = await db.select({ issueId: pieces.issueId, sectionId: pieces.sectionId }).from(pieces).where(eq(pieces.id, pieceId));
	if (!before) return { outcome: 'missing_piece' };
	const target = placing.issueId === undefined ? before.issueId : placing.issueId;
	return db.transaction(async (txn): Promise<PlacingOutcome | 'moved meanwhile'> => {
		const tx = txn as unknown as Database;
		for (const id of [...new Set([before.issueId, target].filter((x): x is string => Boolean(x)))].sort()) {
			if (!(await lockIssue(tx, id)) && id === target) return { outcome: 'invalid', field: 'issueId', message: 'issueId: no such issue' };
		}
		const [piece] = await tx.select({ issueId: pieces.issueId, sectionId: pieces.sectionId, archivedAt: pieces.archivedAt }).from(pieces).where(eq(pieces.id, pieceId)).for('update');
		if (!piece) return { outcome: 'missing_piece' };
		if (piece.issueId !== before.issueId) return 'moved meanwhile';
		const sectionId = placing.sectionId !== undefined ? placing.sectionId : target === piece.issueId ? piece.sectionId : null;
		if (!target) {
			if (sectionId) return { outcome: 'invalid', field: 'sectionId', message: 'sectionId: a piece in no issue is in no section (send an issueId)' };
		} else if (sectionId) {
			const [section] = await tx.select({ issueId: sections.issueId }).from(sections).where(eq(sections.id, sectionId));
			if (!section || section.issueId !== target) return { outcome: 'invalid', field: 'sectionId', message: 'sectionId: not a section of this issue' };
		}
		if (piece.issueId && !piece.archivedAt) await renumber(tx, await groupIds(tx, { issueId: piece.issueId, sectionId: piece.sectionId }, pieceId));
		if (!target) {
			await tx.update(pieces).set({ issueId: null, sectionId: null, position: 0 }).where(eq(pieces.id, pieceId));
		} else {
			await tx.update(pieces).set({ issueId: target, sectionId }).where(eq(pieces.id, pieceId));
			const others = await groupIds(tx, { issueId: target, sectionId }, pieceId);
			await renumber(tx, moveInOrder([...others, pieceId], pieceId, placing.position ?? others.length));
		}
		return { outcome: 'placed', from: piece.issueId, to: target };
	});
}

import { and, eq, notInArray, sql } from 'drizzle-orm';
import { syncAfterTransaction, type Database } from '../db/client';
import { contributors, pieceAuthors, pieces, reviewEvents } from '../db/schema';
import { bioFromText } from '../queries/contributors';
import { newId } from '../auth/tokens';
import { REVIEW_STATES, isLocked, type PieceKind, type ReviewState } from '../../domain/pieces';

const LOCKED_STATES = REVIEW_STATES.filter(isLocked);
import { pieceTemplate } from '../../domain/templates';
import { yjsStateFromJSON } from '../content/document';
import { DocumentStore } from '../collab/persistence';
import type { JSONContent } from '@tiptap/core';
import { writeProjections } from '../content/projections';

/**
 * Create a piece and seed its Yjs document once, here on the server, from the kind's template (or given
 * content). Clients never seed: that would duplicate content.
 */
export async function createPiece(
	db: Database,
	input: { kind: PieceKind; title: string; createdBy: string; content?: JSONContent; issueId?: string | null; sectionId?: string | null }
) {
	const id = newId();
	const state = yjsStateFromJSON(input.content ?? pieceTemplate(input.kind));
	await db.transaction(async (tx) => {
		await tx.insert(pieces).values({
			id,
			kind: input.kind,
			title: input.title,
			createdBy: input.createdBy,
			issueId: input.issueId ?? null,
			sectionId: input.sectionId ?? null
		});
		await new DocumentStore(tx as unknown as Database).seed(id, state);
		const [author] = await tx.select({ id: contributors.id }).from(contributors).where(eq(contributors.userId, input.createdBy)).limit(1);
		if (author) await tx.insert(pieceAuthors).values({ pieceId: id, contributorId: author.id, position: 0 });
	});
	await writeProjections(db, id, input.content ?? pieceTemplate(input.kind));
	await syncAfterTransaction(db);
	return id;
}

/**
 * Change a piece's title or kind, unless it is locked (approved or published) by now: the update is
 * conditional on an unlocked state, so a piece approved since the caller's check is left as it is.
 * Returns whether it changed.
 */
export async function updatePieceDetails(
	db: Database,
	pieceId: string,
	patch: { title?: string; kind?: PieceKind }
): Promise<boolean> {
	const rows = await db
		.update(pieces)
		.set({ ...patch, updatedAt: sql`now()` })
		.where(and(eq(pieces.id, pieceId), notInArray(pieces.reviewState, LOCKED_STATES)))
		.returning({ id: pieces.id });
	return rows.length > 0;
}

/**
 * Move a piece through review, recording who did it. The update is conditional on the state the caller
 * saw, so two people moving the same piece at once cannot both succeed.
 */
export async function changeReviewState(
	db: Database,
	input: { pieceId: string; from: ReviewState; to: ReviewState; actorId: string; comment?: string | null }
): Promise<boolean> {
	const moved = await db.transaction(async (tx) => {
		const rows = await tx
			.update(pieces)
			.set({ reviewState: input.to, updatedAt: sql`now()` })
			.where(and(eq(pieces.id, input.pieceId), eq(pieces.reviewState, input.from)))
			.returning({ id: pieces.id });
		if (rows.length === 0) return false;
		await tx.insert(reviewEvents).values({
			pieceId: input.pieceId,
			fromState: input.from,
			toState: input.to,
			actorId: input.actorId,
			comment: input.comment ?? null
		});
		return true;
	});
	await syncAfterTransaction(db);
	return moved;
}

/**
 * Set a piece's authors, in order; a bio override replaces the profile's bio for this piece only. Not on
 * a piece locked (approved, published) by now: the piece's row is locked for the transaction and its
 * state checked, so a piece approved since the caller's check keeps its authors. Returns whether it set them.
 */
export async function setPieceAuthors(db: Database, pieceId: string, authors: { contributorId: string; bioOverride?: string | null }[]): Promise<boolean> {
	const done = await db.transaction(async (tx) => {
		const [piece] = await tx.select({ reviewState: pieces.reviewState }).from(pieces).where(eq(pieces.id, pieceId)).for('update');
		if (!piece || isLocked(piece.reviewState)) return false;
		await tx.delete(pieceAuthors).where(eq(pieceAuthors.pieceId, pieceId));
		if (authors.length) {
			await tx.insert(pieceAuthors).values(
				authors.map((a, position) => ({ pieceId, contributorId: a.contributorId, position, bioOverride: a.bioOverride ? bioFromText(a.bioOverride) : null }))
			);
		}
		return true;
	});
	await syncAfterTransaction(db);
	return done;
}

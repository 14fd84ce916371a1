import { and, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { syncAfterTransaction, type Database } from '../db/client';
import { contributors, pieceAuthors, pieces, reviewEvents } from '../db/schema';
import { bioFromText } from '../queries/contributors';
import { newId } from '../auth/tokens';
import { isLocked, type PieceKind, type ReviewState } from '../../domain/pieces';
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
 * How a change of a piece's details (title, kind, authors, bio overrides) went: `changed` with the new
 * details version; `unchanged` (nothing to do: an author added twice, one removed who was not there);
 * refused because the piece is `locked` (approved or published) by now, because the caller named an older
 * version than the current one (`stale`: someone changed the details since the caller read them), or
 * because the piece or the author named is `missing`.
 */
export type DetailsOutcome =
	| { outcome: 'changed' | 'unchanged'; version: number }
	| { outcome: 'locked'; state: ReviewState }
	| { outcome: 'stale'; version: number }
	| { outcome: 'missing' };

/**
 * Change a piece's details in one transaction that holds the piece's row: refused when the piece is locked
 * or `expectedVersion` (when given) is not the current details version; otherwise `change` runs, and when
 * it changed something the version goes up by one. So two writers who read the same version cannot both
 * write blind: the second is told its view is stale, and nothing the first did is overwritten.
 */
async function changeDetails(
	db: Database,
	pieceId: string,
	expectedVersion: number | undefined,
	change: (tx: Database) => Promise<boolean | 'missing'>
): Promise<DetailsOutcome> {
	const result = await db.transaction(async (txn): Promise<DetailsOutcome> => {
		const tx = txn as unknown as Database;
		const [piece] = await tx.select({ reviewState: pieces.reviewState, version: pieces.detailsVersion }).from(pieces).where(eq(pieces.id, pieceId)).for('update');
		if (!piece) return { outcome: 'missing' };
		if (isLocked(piece.reviewState)) return { outcome: 'locked', state: piece.reviewState };
		if (expectedVersion !== undefined && expectedVersion !== piece.version) return { outcome: 'stale', version: piece.version };
		const changed = await change(tx);
		if (changed === 'missing') return { outcome: 'missing' };
		if (!changed) return { outcome: 'unchanged', version: piece.version };
		await tx.update(pieces).set({ detailsVersion: piece.version + 1, updatedAt: sql`now()` }).where(eq(pieces.id, pieceId));
		return { outcome: 'changed', version: piece.version + 1 };
	});
	await syncAfterTransaction(db);
	return result;
}

/** Change a piece's title or kind (see changeDetails). */
export function updatePieceDetails(db: Database, pieceId: string, patch: { title?: string; kind?: PieceKind }, expectedVersion?: number): Promise<DetailsOutcome> {
	return changeDetails(db, pieceId, expectedVersion, async (tx) => {
		await tx.update(pieces).set(patch).where(eq(pieces.id, pieceId));
		return true;
	});
}

/**
 * Move a piece through review, recording who did it. The update is conditional on the state the caller
 * saw, so two people moving the same piece at once cannot both succeed. Returns the id of the move's
 * review event (the version saved at the move points at it), or null when the state had changed meanwhile.
 */
export async function changeReviewState(
	db: Database,
	input: { pieceId: string; from: ReviewState; to: ReviewState; actorId: string; comment?: string | null }
): Promise<number | null> {
	const moved = await db.transaction(async (tx) => {
		const rows = await tx
			.update(pieces)
			.set({ reviewState: input.to, updatedAt: sql`now()` })
			.where(and(eq(pieces.id, input.pieceId), eq(pieces.reviewState, input.from)))
			.returning({ id: pieces.id });
		if (rows.length === 0) return null;
		const [event] = await tx
			.insert(reviewEvents)
			.values({
				pieceId: input.pieceId,
				fromState: input.from,
				toState: input.to,
				actorId: input.actorId,
				comment: input.comment ?? null
			})
			.returning({ id: reviewEvents.id });
		return event.id;
	});
	await syncAfterTransaction(db);
	return moved;
}

/**
 * Set a piece's authors, in order, replacing the list; a bio override replaces the profile's bio for this
 * piece only (see changeDetails). To add, remove or re-word one author without touching the others, use
 * the per-author commands below.
 */
export function setPieceAuthors(
	db: Database,
	pieceId: string,
	authors: { contributorId: string; bioOverride?: string | null }[],
	expectedVersion?: number
): Promise<DetailsOutcome> {
	return changeDetails(db, pieceId, expectedVersion, async (tx) => {
		await tx.delete(pieceAuthors).where(eq(pieceAuthors.pieceId, pieceId));
		if (authors.length) {
			await tx.insert(pieceAuthors).values(
				authors.map((a, position) => ({ pieceId, contributorId: a.contributorId, position, bioOverride: a.bioOverride ? bioFromText(a.bioOverride) : null }))
			);
		}
		return true;
	});
}

/** Add one author after the others; one who is an author already stays where they are (`unchanged`). */
export function addPieceAuthor(db: Database, pieceId: string, author: { contributorId: string; bioOverride?: string | null }, expectedVersion?: number): Promise<DetailsOutcome> {
	return changeDetails(db, pieceId, expectedVersion, async (tx) => {
		const present = await tx.select({ contributorId: pieceAuthors.contributorId, position: pieceAuthors.position }).from(pieceAuthors).where(eq(pieceAuthors.pieceId, pieceId));
		if (present.some((p) => p.contributorId === author.contributorId)) return false;
		const position = present.reduce((max, p) => Math.max(max, p.position + 1), 0);
		await tx.insert(pieceAuthors).values({ pieceId, contributorId: author.contributorId, position, bioOverride: author.bioOverride ? bioFromText(author.bioOverride) : null });
		return true;
	});
}

/** Remove one author; the others keep their order. One who is not an author: `unchanged`. */
export function removePieceAuthor(db: Database, pieceId: string, contributorId: string, expectedVersion?: number): Promise<DetailsOutcome> {
	return changeDetails(db, pieceId, expectedVersion, async (tx) => {
		const gone = await tx
			.delete(pieceAuthors)
			.where(and(eq(pieceAuthors.pieceId, pieceId), eq(pieceAuthors.contributorId, contributorId)))
			.returning({ contributorId: pieceAuthors.contributorId });
		return gone.length > 0;
	});
}

/** Write one author's bio for this piece (null: the profile's bio again). Not an author of the piece: `missing`. */
export function setAuthorBio(db: Database, pieceId: string, contributorId: string, bioOverride: string | null, expectedVersion?: number): Promise<DetailsOutcome> {
	return changeDetails(db, pieceId, expectedVersion, async (tx) => {
		const set = await tx
			.update(pieceAuthors)
			.set({ bioOverride: bioOverride?.trim() ? bioFromText(bioOverride) : null })
			.where(and(eq(pieceAuthors.pieceId, pieceId), eq(pieceAuthors.contributorId, contributorId)))
			.returning({ contributorId: pieceAuthors.contributorId });
		return set.length > 0 ? true : 'missing';
	});
}

/**
 * Archive (`archived: true`) or restore a piece. `changed` is false when it already was so (nothing
 * happens twice); null without the piece. Its text and details are untouched, and so is `updated_at`.
 */
export async function setPieceArchived(db: Database, pieceId: string, archived: boolean): Promise<{ changed: boolean; issueId: string | null } | null> {
	const rows = await db
		.update(pieces)
		.set({ archivedAt: archived ? sql`now()` : null })
		.where(and(eq(pieces.id, pieceId), archived ? isNull(pieces.archivedAt) : isNotNull(pieces.archivedAt)))
		.returning({ issueId: pieces.issueId });
	if (rows.length) return { changed: true, issueId: rows[0].issueId };
	const [piece] = await db.select({ issueId: pieces.issueId }).from(pieces).where(eq(pieces.id, pieceId));
	return piece ? { changed: false, issueId: piece.issueId } : null;
}

/**
 * Delete an archived piece with everything of it (its document's state and updates, versions, projections,
 * comments, assignments, authors, review events and notifications go with it: their foreign keys cascade).
 * `live` when the piece is not archived (restored meanwhile): nothing is deleted.
 */
export async function deleteArchivedPiece(db: Database, pieceId: string): Promise<{ outcome: 'deleted'; issueId: string | null } | { outcome: 'live' | 'missing' }> {
	const rows = await db
		.delete(pieces)
		.where(and(eq(pieces.id, pieceId), isNotNull(pieces.archivedAt)))
		.returning({ issueId: pieces.issueId });
	if (rows.length) {
		await syncAfterTransaction(db);
		return { outcome: 'deleted', issueId: rows[0].issueId };
	}
	const [piece] = await db.select({ id: pieces.id }).from(pieces).where(eq(pieces.id, pieceId));
	return { outcome: piece ? 'live' : 'missing' };
}

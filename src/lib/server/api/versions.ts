// What the versions routes share (docs/api.md, "Versions").
import type { Actor } from '../auth/sessions';
import type { Database } from '../db/client';
import type { CollabServer } from '../collab/server';
import { pieceRefusal } from '../policies';
import { ApiFailure, apiError } from './http';
import { authorizePiece } from './pieces';
import { REVIEW_STATE_LABELS, type ReviewState } from '../../domain/pieces';
import { reviewVersionLabel } from '../../domain/versions';
import { saveVersion } from '../commands/versions';
import { logger } from '../log';

/**
 * Check that the actor may restore a version of the piece: 404 when they may not see it, 403 when their
 * role never restores (only the editor and the piece's authors do), 409 while it is locked or archived.
 */
export async function authorizeRestore(db: Database, actor: Actor, pieceId: string) {
	const subject = await authorizePiece(db, actor, pieceId, 'view');
	const refusal = pieceRefusal(actor, 'restore_version', subject);
	if (refusal === 'role') throw new ApiFailure(apiError(403, 'Only the editor and the piece’s authors restore a version'));
	if (refusal === 'locked') throw new ApiFailure(apiError(409, `This piece is ${REVIEW_STATE_LABELS[subject.reviewState].toLowerCase()} and locked: reopen it first, then restore`));
	if (refusal === 'archived') throw new ApiFailure(apiError(409, 'This piece is archived: the editor restores the piece first'));
	return subject;
}

/**
 * The version saved at a review move (kind `review`, labelled with the move, pointing at its review event).
 * The review route tells the piece's open pages their history changed once the move is done. The move is
 * made already: a failure here is logged, never turned into a failed move.
 */
export async function saveReviewVersion(
	live: { db: Database; collab: CollabServer },
	move: { pieceId: string; from: ReviewState; to: ReviewState; actor: Actor; reviewEventId: number }
): Promise<void> {
	try {
		await saveVersion(live.db, live.collab, {
			pieceId: move.pieceId,
			kind: 'review',
			label: reviewVersionLabel(move.from, move.to),
			createdBy: { id: move.actor.id, name: move.actor.name },
			reviewEventId: move.reviewEventId
		});
	} catch (err) {
		logger.error({ pieceId: move.pieceId, err }, 'saving the version of a review move failed');
	}
}

import type { Actor } from '../auth/sessions';
import type { Database } from '../db/client';
import { pieceRefusal, type PieceAction } from '../policies';
import { REVIEW_STATE_LABELS, type ReviewState } from '../../domain/pieces';
import { loadPieceSubject } from '../queries/pieces';
import { ApiFailure, apiError } from './http';

/**
 * Load a piece's policy subject and check `action`. A piece the actor may not even view answers 404,
 * so ids of others' pieces are not confirmed; an action their role never allows, 403; one the piece's
 * lock (approved, published) forbids, 409 for everyone, the editor included (the editor reopens it first).
 */
export async function authorizePiece(db: Database, actor: Actor, pieceId: string, action: PieceAction) {
	const subject = await loadPieceSubject(db, pieceId, actor.id);
	const refusal = subject ? pieceRefusal(actor, action, subject) : 'hidden';
	if (!subject || refusal === 'hidden') throw new ApiFailure(apiError(404, 'No such piece'));
	if (refusal === 'role') throw new ApiFailure(apiError(403, `You may not ${action.replace(/_/g, ' ')} on this piece`));
	if (refusal === 'locked') throw new ApiFailure(lockedPiece(subject.reviewState));
	return subject;
}

/** 409 for a change to a locked (approved or published) piece; `state` when known. */
export function lockedPiece(state?: ReviewState): Response {
	const what = state ? `${REVIEW_STATE_LABELS[state].toLowerCase()} and locked` : 'locked';
	return apiError(409, `This piece is ${what}: its text, details and authors stay as they are until the editor reopens it (moves it back to draft)`);
}

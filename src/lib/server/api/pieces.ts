import type { Actor } from '../auth/sessions';
import type { Database } from '../db/client';
import { canPiece, type PieceAction } from '../policies';
import { loadPieceSubject } from '../queries/pieces';
import { ApiFailure, apiError } from './http';

/**
 * Load a piece's policy subject and check `action`. A piece the actor may not even view answers 404,
 * so ids of others' pieces are not confirmed.
 */
export async function authorizePiece(db: Database, actor: Actor, pieceId: string, action: PieceAction) {
	const subject = await loadPieceSubject(db, pieceId, actor.id);
	if (!subject || !canPiece(actor, 'view', subject)) throw new ApiFailure(apiError(404, 'No such piece'));
	if (!canPiece(actor, action, subject)) throw new ApiFailure(apiError(403, `You may not ${action.replace(/_/g, ' ')} on this piece`));
	return subject;
}

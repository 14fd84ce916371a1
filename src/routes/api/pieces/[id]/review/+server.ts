import { json } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { apiError, readJson, requireActor, route } from '$lib/server/api/http';
import { ReviewBody } from '$lib/server/api/contract';
import { authorizePiece } from '$lib/server/api/pieces';
import { reviewMove } from '$lib/server/policies';
import { changeReviewState } from '$lib/server/commands/pieces';
import { getPieceFor } from '$lib/server/queries/pieces';
import { announcePieceActivity, announcePieceChanged } from '$lib/server/live/announce';
import { moveComment, needsReason } from '$lib/domain/history';
import { reviewMoveNotifications } from '$lib/server/notifications/review';
import { saveReviewVersion } from '$lib/server/api/versions';
import type { RequestHandler } from './$types';
import { logger } from '$lib/server/log';

/**
 * Move a piece through review. Locking (approve/publish) and reopening change who may edit the text, so
 * open collaboration connections are re-checked and closed with 4001 when their rights changed. The move
 * notifies the editors (submitted) or the piece's authors (changes requested, approved, published, reopened),
 * and tells the pages open on the piece that its history changed. Requesting changes needs a comment, the
 * reason the author reads (422 without one, checked once the move itself is allowed).
 */
export const POST: RequestHandler = route(async ({ locals, params, request }) => {
	const actor = requireActor(locals);
	const { db, collab, feed, notifier } = await galley();
	const subject = await authorizePiece(db, actor, params.id, 'change_review_state');
	const body = await readJson(request, ReviewBody);
	// 403: a move their role never makes (an author approving their own piece); 409: not from this state
	const move = reviewMove(actor, subject, body.to);
	if (!move.ok) {
		if (move.refusal === 'role') return apiError(403, move.message, 'to');
		return json({ error: { message: move.message, field: 'to', allowed: move.allowed } }, { status: 409 });
	}
	const comment = moveComment(body.comment);
	if (!comment && needsReason(body.to)) return apiError(422, 'Say what should change: requesting changes needs a comment, which the author reads', 'comment');
	const moved = await changeReviewState(db, { pieceId: params.id, from: subject.reviewState, to: body.to, actorId: actor.id, comment });
	if (!moved) return apiError(409, 'Someone else changed the review state meanwhile; reload and try again', 'to');
	await saveReviewVersion({ db, collab }, { pieceId: params.id, from: subject.reviewState, to: body.to, actor, reviewEventId: moved });
	await collab.rightsChanged(params.id);
	await announcePieceChanged(feed, db, params.id);
	announcePieceActivity(feed, params.id, 'history');
	// the move is made: a failure to notify is logged, never turned into a failed move
	await reviewMoveNotifications(db, { pieceId: params.id, from: subject.reviewState, to: body.to, actor, comment })
		.then((list) => notifier.send(list))
		.catch((err) => logger.error({ pieceId: params.id, err }, 'notifying a review move failed'));
	return json({ piece: await getPieceFor(db, actor, params.id) });
});

// What the comment routes share: the context the commands need, the answer of one thread or comment, the
// refusal of a comment of a piece the caller may not see (404) or may not change (403).
import { json } from '@sveltejs/kit';
import type { Actor } from '../auth/sessions';
import type { Galley } from '../runtime';
import { canComment, type CommentAction } from '../policies';
import { CommentRefused, type CommentContext } from '../commands/comments';
import { findComment, listThreads, type CommentRow } from '../queries/comments';
import { ApiFailure, apiError } from './http';
import { authorizePiece } from './pieces';

export function commentContext(g: Galley): CommentContext {
	return { db: g.db, feed: g.feed, notifier: g.notifier, readState: (pieceId) => g.collab.readState(pieceId) };
}

/** The comment and its piece's subject: 404 when there is no such comment or its piece is hidden from the caller. */
export async function authorizeComment(g: Galley, actor: Actor, commentId: string) {
	const comment = await findComment(g.db, commentId);
	if (!comment) throw new ApiFailure(apiError(404, 'No such comment'));
	let subject;
	try {
		subject = await authorizePiece(g.db, actor, comment.pieceId, 'comment');
	} catch (err) {
		if (err instanceof ApiFailure && err.response.status === 404) throw new ApiFailure(apiError(404, 'No such comment'));
		throw err;
	}
	return { comment, subject };
}

const REFUSALS: Record<CommentAction, string> = {
	edit: 'Only its author may change a comment',
	delete: 'Only its author (or the editor) may delete a comment',
	resolve: 'Only a thread (its first comment) is resolved or reopened',
	reply: 'Replies are to a thread (its first comment)'
};

export function requireCommentRight(actor: Actor, action: CommentAction, subject: Parameters<typeof canComment>[2], comment: CommentRow): void {
	if (canComment(actor, action, subject, comment)) return;
	// resolving a reply is a request that cannot be, not a right missing
	throw new ApiFailure(apiError(action === 'resolve' ? 422 : 403, REFUSALS[action], action === 'resolve' ? 'resolved' : undefined));
}

/** The answer for one comment after a change: `{ thread }` for a thread, `{ comment }` for a reply. */
export async function commentAnswer(g: Galley, actor: Actor, subject: Awaited<ReturnType<typeof authorizePiece>>, id: string, status = 200): Promise<Response> {
	const threads = await listThreads(g.db, actor, subject, await g.collab.readState(subject.id));
	for (const thread of threads) {
		if (thread.id === id) return json({ thread }, { status });
		const comment = thread.replies.find((r) => r.id === id);
		if (comment) return json({ comment }, { status });
	}
	return apiError(404, 'No such comment');
}

/** A CommentRefused as its 422 answer. */
export async function refusedAs422<T>(work: () => Promise<T>): Promise<T> {
	try {
		return await work();
	} catch (err) {
		if (err instanceof CommentRefused) throw new ApiFailure(apiError(422, err.message, err.field));
		throw err;
	}
}

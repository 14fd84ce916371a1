import { json } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { readJson, requireActor, route } from '$lib/server/api/http';
import { CommentPatchBody } from '$lib/server/api/contract';
import { authorizeComment, commentAnswer, commentContext, refusedAs422, requireCommentRight } from '$lib/server/api/comments';
import { deleteComment, updateComment } from '$lib/server/commands/comments';
import type { RequestHandler } from './$types';

/** Change a comment's body (its author) and/or resolve or reopen its thread (anyone who may comment). */
export const PATCH: RequestHandler = route(async ({ locals, params, request }) => {
	const actor = requireActor(locals);
	const g = await galley();
	const { comment, subject } = await authorizeComment(g, actor, params.id);
	const patch = await readJson(request, CommentPatchBody);
	if (patch.body !== undefined) requireCommentRight(actor, 'edit', subject, comment);
	if (patch.resolved !== undefined) requireCommentRight(actor, 'resolve', subject, comment);
	await refusedAs422(() => updateComment(commentContext(g), comment, actor, patch));
	return commentAnswer(g, actor, subject, comment.id);
});

/** Delete a comment (one's own; the editor anyone's). A thread's first comment takes the thread with it. */
export const DELETE: RequestHandler = route(async ({ locals, params }) => {
	const actor = requireActor(locals);
	const g = await galley();
	const { comment, subject } = await authorizeComment(g, actor, params.id);
	requireCommentRight(actor, 'delete', subject, comment);
	await deleteComment(commentContext(g), comment);
	return json({ ok: true });
});

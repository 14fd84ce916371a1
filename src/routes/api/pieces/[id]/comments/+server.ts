import { json } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { readJson, requireActor, route } from '$lib/server/api/http';
import { CommentBody } from '$lib/server/api/contract';
import { authorizePiece } from '$lib/server/api/pieces';
import { commentAnswer, commentContext, refusedAs422 } from '$lib/server/api/comments';
import { createReply, createThread } from '$lib/server/commands/comments';
import { listThreads, pieceReadersOf } from '$lib/server/queries/comments';
import type { RequestHandler } from './$types';

/** The piece's comment threads in text order, with their replies, and whom a comment may mention (anyone who may see the piece). */
export const GET: RequestHandler = route(async ({ locals, params }) => {
	const actor = requireActor(locals);
	const g = await galley();
	const subject = await authorizePiece(g.db, actor, params.id, 'view');
	const [threads, mentionable] = await Promise.all([listThreads(g.db, actor, subject, await g.collab.readState(params.id)), pieceReadersOf(g.db, params.id)]);
	return json({ threads, mentionable });
});

/** A new thread (on the quoted text, or on the whole piece), or with `parentId` a reply. */
export const POST: RequestHandler = route(async ({ locals, params, request }) => {
	const actor = requireActor(locals);
	const g = await galley();
	const subject = await authorizePiece(g.db, actor, params.id, 'comment');
	const body = await readJson(request, CommentBody);
	const ctx = commentContext(g);
	const id = await refusedAs422(() => ('parentId' in body ? createReply(ctx, params.id, actor, body) : createThread(ctx, params.id, actor, body)));
	return commentAnswer(g, actor, subject, id, 201);
});

// Writing comments: a thread on quoted text (anchored to Yjs relative positions of the piece's current text)
// or on the whole piece, a reply, an edit, resolving, deleting. Each change notifies (notifications/comments.ts)
// and tells the piece's open pages (announcePieceActivity 'comments'). Authorization is the caller's
// (policies canComment): these only check what the data says.
import { and, eq, isNull } from 'drizzle-orm';
import * as Y from 'yjs';
import type { Database } from '../db/client';
import { comments } from '../db/schema';
import { newId } from '../auth/tokens';
import type { LiveFeed } from '../live/feed';
import type { Notifier } from '../notifications';
import { announcePieceActivity } from '../live/announce';
import { commentNotifications } from '../notifications/comments';
import { BODY_FRAGMENT } from '../content/document';
import { anchorAt, findQuote, pieceText, type TextQuote } from '../../editor/comment-anchors';
import { findMentions } from '../../domain/mentions';
import { COMMENT_MAX_CHARS } from '../../domain/limits';
import { pieceReadersOf, type CommentRow } from '../queries/comments';

/** A comment refused for what it says (422), with the field at fault. */
export class CommentRefused extends Error {
	constructor(
		message: string,
		readonly field: string
	) {
		super(message);
	}
}

export interface CommentContext {
	db: Database;
	feed: LiveFeed;
	notifier: Notifier;
	/** The piece's current Yjs state, live or stored (collab.readState). */
	readState(pieceId: string): Promise<Uint8Array | null>;
}

type Writer = { id: string; name: string };

/** A body as stored: as typed, 1–5000 characters once trimmed. */
function checkBody(body: string): string {
	const trimmed = body.trim();
	if (!trimmed) throw new CommentRefused('body: write something', 'body');
	if (trimmed.length > COMMENT_MAX_CHARS) throw new CommentRefused(`body: at most ${COMMENT_MAX_CHARS} characters`, 'body');
	return body;
}

async function mentionsIn(db: Database, pieceId: string, body: string) {
	const readers = await pieceReadersOf(db, pieceId);
	return { mentions: findMentions(body, readers).map((p) => p.id), readers: new Set(readers.map((p) => p.id)) };
}

/** The quote's place in the piece's current text, as relative positions; refused (422) when it is not there once. */
export async function anchorQuote(ctx: Pick<CommentContext, 'readState'>, pieceId: string, quote: TextQuote): Promise<{ start: Uint8Array; end: Uint8Array; quote: string }> {
	const doc = new Y.Doc();
	try {
		const state = await ctx.readState(pieceId);
		if (state) Y.applyUpdate(doc, state);
		const model = pieceText(doc.getXmlFragment(BODY_FRAGMENT));
		const found = findQuote(model.text, quote);
		if ('error' in found) {
			throw new CommentRefused(
				found.error === 'missing'
					? 'anchor.exact: this text is not in the piece (it may have changed meanwhile)'
					: `anchor.exact: this text is in the piece ${found.count} times; add anchor.prefix or anchor.suffix (the text just before or after it) to say which`,
				found.error === 'missing' ? 'anchor.exact' : 'anchor.prefix'
			);
		}
		const anchor = anchorAt(model, found.start, found.start + quote.exact.length);
		if (!anchor) throw new CommentRefused('anchor.exact: the quote holds no text of the piece (only line breaks)', 'anchor.exact');
		return { start: Y.encodeRelativePosition(anchor.start), end: Y.encodeRelativePosition(anchor.end), quote: quote.exact };
	} finally {
		doc.destroy();
	}
}

/** Start a thread, on the quoted text or (without a quote) on the whole piece. Returns its id. */
export async function createThread(ctx: CommentContext, pieceId: string, actor: Writer, input: { body: string; anchor?: TextQuote }): Promise<string> {
	const body = checkBody(input.body);
	const anchor = input.anchor ? await anchorQuote(ctx, pieceId, input.anchor) : null;
	const { mentions, readers } = await mentionsIn(ctx.db, pieceId, body);
	const id = newId();
	await ctx.db.insert(comments).values({ id, pieceId, authorId: actor.id, body, mentions, anchorStart: anchor?.start ?? null, anchorEnd: anchor?.end ?? null, quote: anchor?.quote ?? null });
	await ctx.notifier.send(await commentNotifications(ctx.db, { pieceId, commentId: id, parentId: null, mentions, actor, body, readers }));
	announcePieceActivity(ctx.feed, pieceId, 'comments');
	return id;
}

/** Reply to a thread of the piece (replies are one level deep). Returns the reply's id. */
export async function createReply(ctx: CommentContext, pieceId: string, actor: Writer, input: { body: string; parentId: string }): Promise<string> {
	const body = checkBody(input.body);
	const [thread] = await ctx.db
		.select({ id: comments.id })
		.from(comments)
		.where(and(eq(comments.id, input.parentId), eq(comments.pieceId, pieceId), isNull(comments.parentId)));
	if (!thread) throw new CommentRefused('parentId: no thread of this piece has this id (replies are to a thread’s first comment)', 'parentId');
	const { mentions, readers } = await mentionsIn(ctx.db, pieceId, body);
	const id = newId();
	await ctx.db.insert(comments).values({ id, pieceId, parentId: thread.id, authorId: actor.id, body, mentions });
	await ctx.notifier.send(await commentNotifications(ctx.db, { pieceId, commentId: id, parentId: thread.id, mentions, actor, body, readers }));
	announcePieceActivity(ctx.feed, pieceId, 'comments');
	return id;
}

/** Change a comment's body (mentions follow it; only the newly mentioned are notified) and/or resolve or reopen its thread. */
export async function updateComment(ctx: CommentContext, comment: CommentRow, actor: Writer, patch: { body?: string; resolved?: boolean }): Promise<void> {
	const set: Partial<typeof comments.$inferInsert> = {};
	let notify: { mentions: string[]; readers: Set<string>; body: string } | null = null;
	if (patch.body !== undefined && patch.body !== comment.body) {
		const body = checkBody(patch.body);
		const { mentions, readers } = await mentionsIn(ctx.db, comment.pieceId, body);
		Object.assign(set, { body, mentions, editedAt: new Date() });
		const added = mentions.filter((m) => !comment.mentions.includes(m));
		if (added.length) notify = { mentions: added, readers, body };
	}
	if (patch.resolved !== undefined && patch.resolved !== (comment.resolvedAt !== null)) {
		Object.assign(set, patch.resolved ? { resolvedAt: new Date(), resolvedBy: actor.id } : { resolvedAt: null, resolvedBy: null });
	}
	if (!Object.keys(set).length) return;
	await ctx.db.update(comments).set(set).where(eq(comments.id, comment.id));
	if (notify) {
		await ctx.notifier.send(
			await commentNotifications(ctx.db, { pieceId: comment.pieceId, commentId: comment.id, parentId: comment.parentId, actor, mentionsOnly: true, ...notify })
		);
	}
	announcePieceActivity(ctx.feed, comment.pieceId, 'comments');
}

/** Delete a comment (a thread's first comment: the whole thread, its replies with it). */
export async function deleteComment(ctx: CommentContext, comment: CommentRow): Promise<void> {
	await ctx.db.delete(comments).where(eq(comments.id, comment.id));
	announcePieceActivity(ctx.feed, comment.pieceId, 'comments');
}

// Reading a piece's comment threads: each with its replies, its quote, and where its anchor is in the text
// now (resolved against the piece's current Yjs state, live or stored), in text order.
import { asc, eq, inArray } from 'drizzle-orm';
import * as Y from 'yjs';
import type { Database } from '../db/client';
import { comments, users } from '../db/schema';
import type { Actor } from '../auth/sessions';
import { commentActions, pieceReaders, type PieceSubject } from '../policies';
import { BODY_FRAGMENT } from '../content/document';
import type { CommentPerson as Person, CommentReply, CommentThread, ThreadAnchor } from '../../domain/comments';
import { encodePosition, pieceText, resolveAnchor } from '../../editor/comment-anchors';

export type CommentRow = typeof comments.$inferSelect;

/** One comment of any piece (null when there is none). */
export async function findComment(db: Database, id: string): Promise<CommentRow | null> {
	const [row] = await db.select().from(comments).where(eq(comments.id, id)).limit(1);
	return row ?? null;
}

/** The people who may see the piece (whom a comment may mention), by name. */
export async function pieceReadersOf(db: Database, pieceId: string): Promise<Person[]> {
	return db.select({ id: users.id, name: users.name }).from(users).where(pieceReaders(pieceId)).orderBy(asc(users.name));
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * The piece's threads as the actor sees them, in text order: whole-piece threads first, then threads on
 * text by where their text is now, then threads whose text is deleted, by date. `state` is the piece's
 * current Yjs state (collab.readState).
 */
export async function listThreads(db: Database, actor: Actor, piece: PieceSubject, state: Uint8Array | null): Promise<CommentThread[]> {
	const rows = await db.select().from(comments).where(eq(comments.pieceId, piece.id)).orderBy(asc(comments.createdAt), asc(comments.id));
	if (!rows.length) return [];
	const ids = new Set<string>();
	for (const r of rows) {
		if (r.authorId) ids.add(r.authorId);
		if (r.resolvedBy) ids.add(r.resolvedBy);
		for (const m of r.mentions) ids.add(m);
	}
	const people = new Map((ids.size ? await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, [...ids])) : []).map((p) => [p.id, p]));
	const person = (id: string | null) => (id ? (people.get(id) ?? null) : null);
	const mentioned = (list: string[]) => list.map((id) => people.get(id)).filter((p): p is Person => !!p);

	const doc = new Y.Doc();
	if (state) Y.applyUpdate(doc, state);
	const model = pieceText(doc.getXmlFragment(BODY_FRAGMENT));

	const replies = new Map<string, CommentReply[]>();
	for (const r of rows) {
		if (!r.parentId) continue;
		const list = replies.get(r.parentId) ?? [];
		const { edit, delete: del } = commentActions(actor, piece, r);
		list.push({ id: r.id, parentId: r.parentId, body: r.body, author: person(r.authorId), mentions: mentioned(r.mentions), createdAt: r.createdAt.toISOString(), editedAt: iso(r.editedAt), actions: { edit, delete: del } });
		replies.set(r.parentId, list);
	}
	const threads: { thread: CommentThread; order: [number, number] }[] = [];
	for (const r of rows) {
		if (r.parentId) continue;
		let anchor: ThreadAnchor | null = null;
		let onDeletedText = false;
		let order: [number, number] = [0, 0];
		if (r.anchorStart && r.anchorEnd) {
			const start = Y.decodeRelativePosition(r.anchorStart);
			const end = Y.decodeRelativePosition(r.anchorEnd);
			const at = resolveAnchor(doc, model, start, end);
			const positions = { start: encodePosition(start), end: encodePosition(end) };
			if (at) {
				anchor = { exact: at.exact, prefix: at.prefix, suffix: at.suffix, ...positions };
				order = [1, at.from];
			} else {
				anchor = { exact: '', prefix: '', suffix: '', ...positions };
				onDeletedText = true;
				order = [2, 0];
			}
		}
		threads.push({
			order,
			thread: {
				id: r.id,
				body: r.body,
				author: person(r.authorId),
				mentions: mentioned(r.mentions),
				createdAt: r.createdAt.toISOString(),
				editedAt: iso(r.editedAt),
				quote: r.quote,
				anchor,
				onDeletedText,
				resolved: r.resolvedAt !== null,
				resolvedAt: iso(r.resolvedAt),
				resolvedBy: person(r.resolvedBy),
				replies: replies.get(r.id) ?? [],
				actions: commentActions(actor, piece, r)
			}
		});
	}
	doc.destroy();
	// rows come by date, and the sort is stable: equal places stay by date
	threads.sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1]);
	return threads.map((t) => t.thread);
}

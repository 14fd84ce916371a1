// Who hears of a comment, and what they read: the people it @mentions (`mentioned`); for a reply, the
// thread's other participants (`replied`); for a new thread, the piece's authors (its creator and whole-piece
// `author` assignees: `commented`). One notification per person per comment, a mention first; only people
// who may still see the piece; the writer is never notified (Notifier.send drops it).
import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '../db/client';
import { assignments, comments, pieces } from '../db/schema';
import type { NewNotification, NotificationType } from './index';

export interface CommentNotice {
	pieceId: string;
	commentId: string;
	/** The thread replied to; null for a new thread. */
	parentId: string | null;
	/** Newly mentioned people (user ids). */
	mentions: string[];
	actor: { id: string; name: string };
	body: string;
	/** Whom the piece is visible to (user ids): nobody else is notified. */
	readers: Set<string>;
	/** Only the mentions (an edit that mentions someone new). */
	mentionsOnly?: boolean;
}

/** A comment's body shortened for a notification line. */
export function excerpt(body: string, max = 140): string {
	const line = body.replace(/\s+/g, ' ').trim();
	return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export function commentText(type: NotificationType, who: string, title: string, body: string): string {
	const piece = `“${title}”`;
	const line = type === 'mentioned' ? `${who} mentioned you in a comment on ${piece}` : type === 'replied' ? `${who} replied to a comment on ${piece}` : `${who} commented on ${piece}`;
	return `${line}: “${excerpt(body)}”`;
}

/** The notifications a new (or edited) comment sends. */
export async function commentNotifications(db: Database, notice: CommentNotice): Promise<NewNotification[]> {
	const [piece] = await db.select({ title: pieces.title, issueId: pieces.issueId, createdBy: pieces.createdBy }).from(pieces).where(eq(pieces.id, notice.pieceId));
	if (!piece) return [];
	const recipients = new Map<string, NotificationType>();
	for (const id of notice.mentions) recipients.set(id, 'mentioned');
	if (!notice.mentionsOnly) {
		let others: string[];
		let type: NotificationType;
		if (notice.parentId) {
			type = 'replied';
			const thread = await db.select({ authorId: comments.authorId }).from(comments).where(eq(comments.id, notice.parentId));
			const replies = await db.select({ authorId: comments.authorId }).from(comments).where(eq(comments.parentId, notice.parentId));
			others = [...thread, ...replies].map((r) => r.authorId).filter((id): id is string => !!id);
		} else {
			type = 'commented';
			const assigned = await db
				.select({ id: assignments.userId })
				.from(assignments)
				.where(and(eq(assignments.pieceId, notice.pieceId), eq(assignments.role, 'author'), isNull(assignments.sectionId)));
			others = [piece.createdBy, ...assigned.map((a) => a.id)];
		}
		for (const id of others) if (!recipients.has(id)) recipients.set(id, type);
	}
	return [...recipients]
		.filter(([userId]) => userId !== notice.actor.id && notice.readers.has(userId))
		.map(([userId, type]) => ({ userId, type, pieceId: notice.pieceId, issueId: piece.issueId, actorId: notice.actor.id, text: commentText(type, notice.actor.name, piece.title, notice.body) }));
}

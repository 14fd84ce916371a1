// Who hears of a review move, and what they read: submitted for review → the editors (`review_requested`);
// changes requested, approved, published → the piece's authors (its creator and whole-piece `author`
// assignees); moved back to draft by an editor → the authors (`reopened`). An author withdrawing their own
// piece notifies nobody. The mover is never notified (Notifier.send drops it).
import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '../db/client';
import { assignments, pieces, users } from '../db/schema';
import type { ReviewState } from '../../domain/pieces';
import type { NewNotification, NotificationType } from './index';

export interface ReviewMove {
	pieceId: string;
	from: ReviewState;
	to: ReviewState;
	actor: { id: string; name: string; role: 'editor' | 'contributor' };
	comment?: string | null;
}

/** The notification type a move gives, and to whom; null: nobody is notified. */
export function reviewNotice(move: Pick<ReviewMove, 'from' | 'to' | 'actor'>): { type: NotificationType; to: 'editors' | 'authors' } | null {
	switch (move.to) {
		case 'in_review':
			return { type: 'review_requested', to: 'editors' };
		case 'changes_requested':
		case 'approved':
		case 'published':
			return { type: move.to, to: 'authors' };
		case 'draft':
			return move.actor.role === 'editor' ? { type: 'reopened', to: 'authors' } : null;
	}
}

/** The line a person reads, naming the piece, who moved it and their comment. */
export function reviewText(type: NotificationType, move: Pick<ReviewMove, 'from' | 'actor' | 'comment'>, title: string): string {
	const who = move.actor.name;
	const piece = `“${title}”`;
	const line =
		type === 'review_requested'
			? move.from === 'changes_requested'
				? `${who} resubmitted ${piece} for review`
				: `${who} submitted ${piece} for review`
			: type === 'changes_requested'
				? `${who} requested changes to ${piece}`
				: type === 'approved'
					? `${who} approved ${piece}`
					: type === 'published'
						? `${who} published ${piece}`
						: move.from === 'in_review'
							? `${who} moved ${piece} back to draft`
							: `${who} reopened ${piece}`;
	const comment = move.comment?.trim();
	return comment ? `${line}: “${comment}”` : line;
}

/** The notifications a review move sends. */
export async function reviewMoveNotifications(db: Database, move: ReviewMove): Promise<NewNotification[]> {
	const notice = reviewNotice(move);
	if (!notice) return [];
	const [piece] = await db.select({ title: pieces.title, issueId: pieces.issueId, createdBy: pieces.createdBy }).from(pieces).where(eq(pieces.id, move.pieceId));
	if (!piece) return [];
	let recipients: string[];
	if (notice.to === 'editors') {
		recipients = (await db.select({ id: users.id }).from(users).where(and(eq(users.role, 'editor'), isNull(users.disabledAt)))).map((u) => u.id);
	} else {
		const assigned = await db
			.select({ id: assignments.userId })
			.from(assignments)
			.innerJoin(users, eq(users.id, assignments.userId))
			.where(and(eq(assignments.pieceId, move.pieceId), eq(assignments.role, 'author'), isNull(assignments.sectionId), isNull(users.disabledAt)));
		recipients = [piece.createdBy, ...assigned.map((a) => a.id)];
	}
	const text = reviewText(notice.type, move, piece.title);
	return [...new Set(recipients)].map((userId) => ({ userId, type: notice.type, pieceId: move.pieceId, issueId: piece.issueId, actorId: move.actor.id, text }));
}

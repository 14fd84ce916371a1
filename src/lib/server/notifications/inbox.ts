// A person's notifications as the API and the pages read them: newest first, paged, the unread count, and
// marking read. Every function takes the person's id: nobody reads or marks anyone else's.
import { and, count, desc, eq, inArray, isNull, lt, or } from 'drizzle-orm';
import type { Database } from '../db/client';
import { notifications, users } from '../db/schema';
import type { NotificationType } from './index';

export interface NotificationView {
	id: string;
	type: NotificationType;
	pieceId?: string;
	issueId?: string;
	actor: { id: string; name: string } | null;
	text: string;
	createdAt: string;
	readAt: string | null;
}

/** How many a page returns unless `limit` says otherwise, and at most. */
export const NOTIFICATIONS_PAGE = 50;
export const NOTIFICATIONS_MAX_PAGE = 200;

/**
 * The person's notifications, newest first. `before` pages on: the id of the last one seen (those older than
 * it, ties broken by id), or an ISO date and time (those created before it). An unknown id gives null.
 */
export async function listNotifications(
	db: Database,
	userId: string,
	opts: { before?: string; limit?: number } = {}
): Promise<NotificationView[] | null> {
	const limit = Math.min(Math.max(opts.limit ?? NOTIFICATIONS_PAGE, 1), NOTIFICATIONS_MAX_PAGE);
	const mine = eq(notifications.userId, userId);
	let where = mine;
	if (opts.before !== undefined) {
		const at = Date.parse(opts.before);
		if (/^\d{4}-\d{2}-\d{2}/.test(opts.before) && !Number.isNaN(at)) {
			where = and(mine, lt(notifications.createdAt, new Date(at)))!;
		} else {
			const [cursor] = await db
				.select({ id: notifications.id, createdAt: notifications.createdAt })
				.from(notifications)
				.where(and(mine, eq(notifications.id, opts.before)));
			if (!cursor) return null;
			where = and(mine, or(lt(notifications.createdAt, cursor.createdAt), and(eq(notifications.createdAt, cursor.createdAt), lt(notifications.id, cursor.id))))!;
		}
	}
	const rows = await db
		.select({
			id: notifications.id,
			type: notifications.type,
			pieceId: notifications.pieceId,
			issueId: notifications.issueId,
			actorId: notifications.actorId,
			actorName: users.name,
			text: notifications.text,
			createdAt: notifications.createdAt,
			readAt: notifications.readAt
		})
		.from(notifications)
		.leftJoin(users, eq(users.id, notifications.actorId))
		.where(where)
		.orderBy(desc(notifications.createdAt), desc(notifications.id))
		.limit(limit);
	return rows.map((r) => ({
		id: r.id,
		type: r.type as NotificationType,
		...(r.pieceId ? { pieceId: r.pieceId } : {}),
		...(r.issueId ? { issueId: r.issueId } : {}),
		actor: r.actorId && r.actorName !== null ? { id: r.actorId, name: r.actorName } : null,
		text: r.text,
		createdAt: r.createdAt.toISOString(),
		readAt: r.readAt ? r.readAt.toISOString() : null
	}));
}

/** How many of the person's notifications are unread. */
export async function unreadCount(db: Database, userId: string): Promise<number> {
	const [row] = await db
		.select({ n: count() })
		.from(notifications)
		.where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
	return Number(row?.n ?? 0);
}

/**
 * Mark the person's notifications read: those of `ids` that are theirs (others' ids and unknown ids are
 * ignored), or all of them. Returns how many changed.
 */
export async function markRead(db: Database, userId: string, which: { ids: string[] } | { all: true }): Promise<number> {
	const unread = and(eq(notifications.userId, userId), isNull(notifications.readAt));
	const where = 'all' in which ? unread : which.ids.length ? and(unread, inArray(notifications.id, which.ids)) : null;
	if (!where) return 0;
	const changed = await db.update(notifications).set({ readAt: new Date() }).where(where).returning({ id: notifications.id });
	return changed.length;
}

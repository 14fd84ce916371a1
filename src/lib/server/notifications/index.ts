// Notifications: in-app, per person, with an unread count that updates live (the live feed's
// `notifications` event on `user:<id>`). Everything that notifies goes through `Notifier.send`.
import type { Database } from '../db/client';
import { notifications } from '../db/schema';
import { newId } from '../auth/tokens';
import type { LiveFeed } from '../live/feed';
import type { Mailer } from './mail';
import { logger, type Logger } from '../log';

export const NOTIFICATION_TYPES = [
	'assigned',
	'unassigned',
	'due_soon',
	'overdue',
	'review_requested',
	'changes_requested',
	'approved',
	'published',
	'reopened',
	'commented',
	'mentioned',
	'replied'
] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

export interface NewNotification {
	userId: string;
	type: NotificationType;
	pieceId?: string | null;
	issueId?: string | null;
	/** Who did it (null: Galley itself, as for due reminders). */
	actorId?: string | null;
	/** One line a person reads: "Maren Holt assigned you “Dams and drought” as author, due 12 May". */
	text: string;
	/** A notification sent once only names a key (e.g. `due_soon:<assignmentId>:<dueOn>`): a second send is dropped. */
	dedupeKey?: string | null;
}

export class Notifier {
	constructor(
		private db: Database,
		private feed: LiveFeed,
		private log: Logger = logger,
		/** E-mails what is stored (mail.ts), when SMTP_URL is set. */
		readonly mailer: Mailer | null = null
	) {}

	/**
	 * Store the notifications (those whose dedupe key was already used are dropped) and tell each person's
	 * open pages. Nobody is notified of their own action. With a mailer, each stored one is also e-mailed,
	 * after this returns (a dropped duplicate is never e-mailed twice). Returns the ids stored.
	 */
	async send(list: NewNotification[]): Promise<string[]> {
		const rows = list
			.filter((n) => n.userId !== n.actorId)
			.map((n) => ({
				id: newId(),
				userId: n.userId,
				type: n.type,
				pieceId: n.pieceId ?? null,
				issueId: n.issueId ?? null,
				actorId: n.actorId ?? null,
				text: n.text,
				dedupeKey: n.dedupeKey ?? null
			}));
		if (!rows.length) return [];
		const stored = await this.db.insert(notifications).values(rows).onConflictDoNothing().returning({ id: notifications.id, userId: notifications.userId });
		this.changed(stored.map((r) => r.userId));
		if (stored.length) this.log.info({ count: stored.length }, 'notified');
		this.mailer?.deliver(stored.map((r) => r.id));
		return stored.map((r) => r.id);
	}

	/** Tell these people's open pages that their notifications changed (new ones, some read). */
	changed(userIds: Iterable<string>): void {
		for (const userId of new Set(userIds)) this.feed.publish(`user:${userId}`, { type: 'notifications' });
	}
}

// E-mail delivery of notifications (when SMTP_URL is set), through nodemailer. Delivery runs after the
// request that caused the notification has been answered (it never delays it); a failed attempt is logged
// and retried a bounded number of times, then given up with a log line; a delivered one gets `emailed_at`.
// People who turned "E-mail me my notifications" off (users.email_notifications) and removed accounts get
// nothing. A process that stops drops the retries it still holds (logged).
import { and, eq, inArray, isNull } from 'drizzle-orm';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Database } from '../db/client';
import { notifications, users } from '../db/schema';
import { unsubscribeUrl } from './unsubscribe';
import { logger, type Logger } from '../log';

/** Waits before the second, third and fourth attempt: four attempts over about two and a half minutes. */
export const DEFAULT_RETRY_DELAYS_MS = [5_000, 30_000, 120_000];

export interface MailerOptions {
	smtpUrl: string;
	from: string;
	/** The app's origin, for links in the e-mails (none when unknown). */
	origin: string | null;
	log?: Logger;
	retryDelaysMs?: number[];
}

/** What one notification e-mail says. */
export interface NotificationEmail {
	to: string;
	subject: string;
	text: string;
	/** The one-click unsubscribe URL (when the origin is known): linked in the text and in List-Unsubscribe. */
	unsubscribe: string | null;
}

const SUBJECT_MAX = 140;

/** The e-mail for a notification: the notification's line as subject and body, with links when the origin is known. */
export function composeEmail(n: { text: string; pieceId: string | null }, to: string, origin: string | null, unsubscribe: string | null = null): NotificationEmail {
	const oneLine = n.text.replace(/\s+/g, ' ').trim();
	const subject = oneLine.length > SUBJECT_MAX ? `${oneLine.slice(0, SUBJECT_MAX - 1)}…` : oneLine;
	const lines = [n.text, ''];
	if (origin && n.pieceId) lines.push(`Open the piece: ${origin}/pieces/${n.pieceId}`);
	if (origin) lines.push(`All your notifications: ${origin}/notifications`, '');
	lines.push(
		origin
			? `You get these e-mails because "E-mail me my notifications" is on in your Galley settings. Turn it off at ${origin}/settings`
			: 'You get these e-mails because "E-mail me my notifications" is on in your Galley settings (Settings, in Galley, turns it off).'
	);
	if (unsubscribe) lines.push(`Or stop them with one click: ${unsubscribe}`);
	return { to, subject, text: lines.join('\n'), unsubscribe };
}

export class Mailer {
	private transport: Transporter;
	private retries = new Set<ReturnType<typeof setTimeout>>();
	private inFlight = new Set<Promise<unknown>>();
	private closed = false;
	private readonly delays: number[];
	private readonly log: Logger;

	constructor(
		private db: Database,
		private opts: MailerOptions
	) {
		this.transport = nodemailer.createTransport(opts.smtpUrl);
		this.delays = opts.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
		this.log = opts.log ?? logger;
	}

	/** E-mail the stored notifications `ids`, later: returns at once. */
	deliver(ids: string[]): void {
		if (this.closed || !ids.length) return;
		setImmediate(() => this.track(this.deliverNow(ids)));
	}

	/** E-mail them now; resolves when every first attempt is over (retries run later). */
	async deliverNow(ids: string[]): Promise<void> {
		let rows;
		try {
			rows = await this.db
				.select({ id: notifications.id, text: notifications.text, pieceId: notifications.pieceId, userId: users.id, email: users.email, passwordHash: users.passwordHash })
				.from(notifications)
				.innerJoin(users, eq(users.id, notifications.userId))
				.where(and(inArray(notifications.id, ids), isNull(notifications.emailedAt), eq(users.emailNotifications, true), isNull(users.disabledAt)));
		} catch (err) {
			this.log.warn({ err, count: ids.length }, 'e-mailing notifications failed: cannot read them');
			return;
		}
		const { origin } = this.opts;
		await Promise.all(rows.map((row) => this.attempt(row.id, composeEmail(row, row.email, origin, origin ? unsubscribeUrl(origin, row.userId, row.passwordHash) : null), 1)));
	}

	private async attempt(id: string, email: NotificationEmail, n: number): Promise<void> {
		if (this.closed) return;
		try {
			await this.transport.sendMail({
				from: this.opts.from,
				to: email.to,
				subject: email.subject,
				text: email.text,
				...(email.unsubscribe ? { list: { unsubscribe: email.unsubscribe }, headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } } : {})
			});
			await this.db.update(notifications).set({ emailedAt: new Date() }).where(eq(notifications.id, id));
		} catch (err) {
			const delay = this.delays[n - 1];
			if (delay === undefined || this.closed) {
				this.log.error({ notification: id, attempts: n, err }, 'e-mailing a notification failed; giving up');
				return;
			}
			this.log.warn({ notification: id, attempt: n, retryInMs: delay, err }, 'e-mailing a notification failed; will retry');
			const timer = setTimeout(() => {
				this.retries.delete(timer);
				this.track(this.attempt(id, email, n + 1));
			}, delay);
			timer.unref();
			this.retries.add(timer);
		}
	}

	private track(p: Promise<unknown>) {
		this.inFlight.add(p);
		p.finally(() => this.inFlight.delete(p)).catch(() => {});
	}

	/** Stop: waits for attempts under way, drops waiting retries (logged), closes the SMTP connection. */
	async close(): Promise<void> {
		this.closed = true;
		if (this.retries.size) this.log.warn({ count: this.retries.size }, 'stopping with notification e-mails still to retry; they are not sent');
		for (const t of this.retries) clearTimeout(t);
		this.retries.clear();
		await Promise.allSettled([...this.inFlight]);
		this.transport.close();
	}
}

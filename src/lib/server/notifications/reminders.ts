// The due-reminder sweep: `due_soon` when an assignment's due day ends within 24 hours, `overdue` once it has
// ended and the piece is not approved or published, each once per assignment and due date. Runs at start
// and every few minutes (runtime.ts). Several processes may sweep at once: the dedupe key is unique in the
// database, so a second process's insert of the same reminder is a no-op and nobody is notified (or
// e-mailed) twice.
import { addDays } from 'date-fns/addDays';
import { format } from 'date-fns/format';
import { parseISO } from 'date-fns/parseISO';
import { and, eq, inArray, isNotNull, isNull, lte, notInArray, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { assignments, notifications, pieces } from '../db/schema';
import { todayIn } from '../../domain/due-dates';
import type { Notifier } from './index';
import { remindersDue, type ReminderCandidate } from './reminder-plan';
import { logger, type Logger } from '../log';

/** How often the sweep runs. */
export const REMINDER_SWEEP_MS = 5 * 60 * 1000;

export interface ReminderDeps {
	db: Database;
	notifier: Notifier;
	timeZone: string;
	/** The clock (tests inject one). */
	now?: () => Date;
}

/** The assignments of people who write or review that may need a reminder now (none already reminded overdue). */
async function candidates(db: Database, timeZone: string, now: Date): Promise<ReminderCandidate[]> {
	// due_soon needs the due day to end within 24 hours: it is today or tomorrow in the zone at the latest
	const latest = format(addDays(parseISO(todayIn(timeZone, now)), 1), 'yyyy-MM-dd');
	const key = (type: string) => sql`${type} || ':' || ${assignments.id} || ':' || ${assignments.dueOn}::text`;
	const rows = await db
		.select({
			assignmentId: assignments.id,
			userId: assignments.userId,
			pieceId: pieces.id,
			issueId: pieces.issueId,
			pieceTitle: pieces.title,
			headings: pieces.headings,
			sectionId: assignments.sectionId,
			dueOn: assignments.dueOn,
			reviewState: pieces.reviewState
		})
		.from(assignments)
		.innerJoin(pieces, eq(pieces.id, assignments.pieceId))
		.where(
			and(
				isNotNull(assignments.dueOn),
				lte(assignments.dueOn, latest),
				inArray(assignments.role, ['author', 'reviewer']),
				isNull(pieces.archivedAt),
				notInArray(pieces.reviewState, ['approved', 'published']),
				sql`not exists (select 1 from ${notifications} where ${notifications.dedupeKey} = ${key('overdue')})`
			)
		);
	return rows.map((r) => ({
		assignmentId: r.assignmentId,
		userId: r.userId,
		pieceId: r.pieceId,
		issueId: r.issueId,
		pieceTitle: r.pieceTitle,
		sectionTitle: r.sectionId ? (r.headings.find((h) => h.id === r.sectionId)?.title ?? null) : null,
		dueOn: r.dueOn!,
		reviewState: r.reviewState
	}));
}

/** One sweep: sends the reminders due now; returns how many were new. */
export async function sweepReminders({ db, notifier, timeZone, now = () => new Date() }: ReminderDeps): Promise<number> {
	const at = now();
	const due = remindersDue(await candidates(db, timeZone, at), timeZone, at);
	if (!due.length) return 0;
	// already sent due_soon reminders are dropped by their key; skip them here to keep the inserts few
	const sent = new Set(
		(
			await db
				.select({ key: notifications.dedupeKey })
				.from(notifications)
				.where(inArray(notifications.dedupeKey, due.map((n) => n.dedupeKey!)))
		).map((r) => r.key)
	);
	const fresh = due.filter((n) => !sent.has(n.dedupeKey!));
	return fresh.length ? (await notifier.send(fresh)).length : 0;
}

/** Sweep now and every `intervalMs` (an unref'd timer: it never keeps the process alive); stop() waits for a sweep under way. */
export function startReminders(deps: ReminderDeps & { intervalMs?: number; log?: Logger }): { stop(): Promise<void> } {
	let running: Promise<unknown> | null = null;
	const log = deps.log ?? logger;
	const sweep = () => {
		if (running) return; // the previous sweep is still going
		running = sweepReminders(deps)
			.catch((err) => log.warn({ err }, 'due reminders failed'))
			.finally(() => (running = null));
	};
	sweep();
	const timer = setInterval(sweep, deps.intervalMs ?? REMINDER_SWEEP_MS);
	timer.unref();
	return {
		async stop() {
			clearInterval(timer);
			await running;
		}
	};
}

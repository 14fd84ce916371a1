// Which due reminders an assignment needs at a given moment: pure, so the sweep (reminders.ts) and its
// tests share it. Due days are calendar days in the publication's time zone (domain/due-dates.ts).
import { format } from 'date-fns/format';
import { parseISO } from 'date-fns/parseISO';
import { daysUntilDue, isDueSoon, isLate } from '../../domain/due-dates';
import type { ReviewState } from '../../domain/pieces';
import type { NewNotification } from './index';

/** An assignment with a due date, as the sweep reads it. */
export interface ReminderCandidate {
	assignmentId: string;
	userId: string;
	pieceId: string;
	issueId: string | null;
	pieceTitle: string;
	/** The assigned section's heading, when the assignment is of a section. */
	sectionTitle: string | null;
	dueOn: string;
	reviewState: ReviewState;
}

/** The key that makes a reminder go out once per assignment and due date (a new due date gets new ones). */
export function reminderKey(type: 'due_soon' | 'overdue', assignmentId: string, dueOn: string): string {
	return `${type}:${assignmentId}:${dueOn}`;
}

/** "29 March" */
export function dueDayLabel(dueOn: string): string {
	return format(parseISO(dueOn), 'd MMMM');
}

function what(c: ReminderCandidate): string {
	return c.sectionTitle ? `Your section “${c.sectionTitle}” of “${c.pieceTitle}”` : `“${c.pieceTitle}”`;
}

/**
 * The reminders due at `now`: `due_soon` while the due day ends within 24 hours, `overdue` once it has ended
 * and the piece is not approved or published. Dedupe keys make each go out once.
 */
export function remindersDue(candidates: ReminderCandidate[], timeZone: string, now: Date): NewNotification[] {
	const out: NewNotification[] = [];
	for (const c of candidates) {
		const base = { userId: c.userId, pieceId: c.pieceId, issueId: c.issueId, actorId: null };
		if (isLate(c.dueOn, c.reviewState, timeZone, now)) {
			out.push({ ...base, type: 'overdue', dedupeKey: reminderKey('overdue', c.assignmentId, c.dueOn), text: `${what(c)} was due on ${dueDayLabel(c.dueOn)} and is overdue` });
		} else if (c.reviewState !== 'approved' && c.reviewState !== 'published' && isDueSoon(c.dueOn, timeZone, now)) {
			const day = daysUntilDue(c.dueOn, timeZone, now) === 0 ? 'today' : 'tomorrow';
			out.push({ ...base, type: 'due_soon', dedupeKey: reminderKey('due_soon', c.assignmentId, c.dueOn), text: `${what(c)} is due ${day}, ${dueDayLabel(c.dueOn)}` });
		}
	}
	return out;
}

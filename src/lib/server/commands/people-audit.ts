// The audit list of everything done to people and invites (GET /api/people/audit). Events are written in the
// same transaction as what they record, so the list never tells of something that was rolled back.
import { desc } from 'drizzle-orm';
import type { Database } from '../db/client';
import { peopleAudit } from '../db/schema';

export type PeopleAuditAction = (typeof peopleAudit.action.enumValues)[number];

export interface PeopleAuditEvent {
	action: PeopleAuditAction;
	/** Who did it; null when nobody signed in did (a reset link used by its owner is recorded as theirs). */
	actor: { id: string; name: string } | null;
	subject: { userId: string | null; email: string; name: string };
	detail?: Record<string, unknown>;
}

export async function recordPeopleEvent(db: Database, event: PeopleAuditEvent): Promise<void> {
	await db.insert(peopleAudit).values({
		action: event.action,
		actorId: event.actor?.id ?? null,
		actorName: event.actor?.name ?? null,
		subjectUserId: event.subject.userId,
		subjectEmail: event.subject.email,
		subjectName: event.subject.name,
		detail: event.detail ?? null
	});
}

/** The newest events first (at most `limit`). */
export async function listPeopleAudit(db: Database, limit = 200) {
	const rows = await db.select().from(peopleAudit).orderBy(desc(peopleAudit.id)).limit(limit);
	return rows.map((r) => ({
		id: r.id,
		at: r.at,
		action: r.action,
		actor: r.actorId ? { id: r.actorId, name: r.actorName ?? '' } : null,
		subject: { userId: r.subjectUserId, email: r.subjectEmail, name: r.subjectName },
		detail: (r.detail as Record<string, unknown> | null) ?? null
	}));
}

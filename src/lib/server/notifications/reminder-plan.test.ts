import { describe, expect, it } from 'vitest';
import { remindersDue, reminderKey, type ReminderCandidate } from './reminder-plan';

const BERLIN = 'Europe/Berlin';
const base: ReminderCandidate = {
	assignmentId: 'a1',
	userId: 'u1',
	pieceId: 'p1',
	issueId: null,
	pieceTitle: 'Reservoir levels in the upper basin',
	sectionTitle: null,
	dueOn: '2026-03-29', // the day Berlin moves its clocks forward: 23 hours long
	reviewState: 'draft'
};

describe('remindersDue', () => {
	it('sends nothing more than 24 hours before the due day ends in the zone', () => {
		// the day ends at 2026-03-29T22:00Z (midnight CEST); 24 h before is 2026-03-28T22:00Z
		expect(remindersDue([base], BERLIN, new Date('2026-03-28T21:59:00Z'))).toEqual([]);
	});

	it('sends due_soon within the last 24 hours, saying "tomorrow" before midnight there and "today" after', () => {
		const tomorrow = remindersDue([base], BERLIN, new Date('2026-03-28T22:30:00Z')); // 23:30 CET on the 28th
		expect(tomorrow).toHaveLength(1);
		expect(tomorrow[0]).toMatchObject({ type: 'due_soon', userId: 'u1', pieceId: 'p1', actorId: null, dedupeKey: reminderKey('due_soon', 'a1', '2026-03-29') });
		expect(tomorrow[0].text).toBe('“Reservoir levels in the upper basin” is due tomorrow, 29 March');
		const today = remindersDue([base], BERLIN, new Date('2026-03-28T23:30:00Z')); // 00:30 CET on the 29th
		expect(today[0].text).toContain('due today, 29 March');
	});

	it('counts the 23-hour DST day: overdue from 22:00 UTC, not 23:00 UTC as a 24-hour day would be', () => {
		expect(remindersDue([base], BERLIN, new Date('2026-03-29T21:59:59Z'))[0].type).toBe('due_soon');
		const late = remindersDue([base], BERLIN, new Date('2026-03-29T22:00:00Z'));
		expect(late).toHaveLength(1);
		expect(late[0]).toMatchObject({ type: 'overdue', dedupeKey: 'overdue:a1:2026-03-29' });
		expect(late[0].text).toBe('“Reservoir levels in the upper basin” was due on 29 March and is overdue');
	});

	it('never reminds of an approved or published piece, and names a section when the assignment is one', () => {
		const now = new Date('2026-03-30T10:00:00Z');
		expect(remindersDue([{ ...base, reviewState: 'approved' }, { ...base, reviewState: 'published' }], BERLIN, now)).toEqual([]);
		expect(remindersDue([{ ...base, reviewState: 'approved' }], BERLIN, new Date('2026-03-29T10:00:00Z'))).toEqual([]);
		const [section] = remindersDue([{ ...base, sectionTitle: 'Outlook' }], BERLIN, now);
		expect(section.text).toBe('Your section “Outlook” of “Reservoir levels in the upper basin” was due on 29 March and is overdue');
	});

	it('uses the zone: the same instant is due_soon in UTC and already overdue in Berlin', () => {
		const now = new Date('2026-03-29T22:30:00Z');
		expect(remindersDue([base], 'UTC', now)[0].type).toBe('due_soon');
		expect(remindersDue([base], BERLIN, now)[0].type).toBe('overdue');
	});
});

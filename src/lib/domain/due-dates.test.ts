import { describe, expect, it } from 'vitest';
import { daysUntilDue, endOfDueDay, isDueSoon, isLate, isLateOn, isTimeZone, todayIn } from './due-dates';

describe('due dates in the publication time zone', () => {
	it('takes today from the zone, not from UTC', () => {
		const instant = new Date('2026-05-11T23:30:00Z');
		expect(todayIn('UTC', instant)).toBe('2026-05-11');
		expect(todayIn('Europe/Berlin', instant)).toBe('2026-05-12');
		expect(todayIn('America/New_York', instant)).toBe('2026-05-11');
	});

	it('ends a due day at the next midnight in the zone, across the spring and autumn DST changes', () => {
		// Berlin: clocks go forward on 29 March 2026 and back on 25 October 2026
		expect(endOfDueDay('2026-03-28', 'Europe/Berlin').toISOString()).toBe('2026-03-28T23:00:00.000Z');
		expect(endOfDueDay('2026-03-29', 'Europe/Berlin').toISOString()).toBe('2026-03-29T22:00:00.000Z');
		expect(endOfDueDay('2026-10-25', 'Europe/Berlin').toISOString()).toBe('2026-10-25T23:00:00.000Z');
		expect(endOfDueDay('2026-05-12', 'UTC').toISOString()).toBe('2026-05-13T00:00:00.000Z');
	});

	it('is late from the end of the due day until the piece is approved', () => {
		const due = '2026-03-29';
		expect(isLate(due, 'draft', 'Europe/Berlin', new Date('2026-03-29T21:59:59Z'))).toBe(false);
		expect(isLate(due, 'draft', 'Europe/Berlin', new Date('2026-03-29T22:00:00Z'))).toBe(true);
		expect(isLate(due, 'in_review', 'Europe/Berlin', new Date('2026-04-02T00:00:00Z'))).toBe(true);
		expect(isLate(due, 'approved', 'Europe/Berlin', new Date('2026-04-02T00:00:00Z'))).toBe(false);
		expect(isLate(null, 'draft', 'UTC')).toBe(false);
	});

	it('says the same with today computed once (isLateOn) as isLate does, around the end of a due day in a DST change', () => {
		for (const instant of ['2026-03-29T21:59:59Z', '2026-03-29T22:00:00Z', '2026-03-28T23:30:00Z', '2026-04-02T00:00:00Z']) {
			const now = new Date(instant);
			for (const state of ['draft', 'approved'] as const)
				for (const zone of ['Europe/Berlin', 'UTC', 'America/New_York'])
					expect(isLateOn('2026-03-29', state, todayIn(zone, now)), `${instant} ${state} ${zone}`).toBe(isLate('2026-03-29', state, zone, now));
		}
		expect(isLateOn(null, 'draft', '2026-04-02')).toBe(false);
	});

	it('is due soon in the last 24 hours of the due day, a 23-hour day included', () => {
		expect(isDueSoon('2026-03-29', 'Europe/Berlin', new Date('2026-03-28T21:59:00Z'))).toBe(false);
		expect(isDueSoon('2026-03-29', 'Europe/Berlin', new Date('2026-03-28T22:00:00Z'))).toBe(true);
		expect(isDueSoon('2026-03-29', 'Europe/Berlin', new Date('2026-03-29T22:00:00Z'))).toBe(false);
	});

	it('counts calendar days to the due day in the zone', () => {
		expect(daysUntilDue('2026-05-12', 'Europe/Berlin', new Date('2026-05-11T23:30:00Z'))).toBe(0);
		expect(daysUntilDue('2026-05-12', 'UTC', new Date('2026-05-11T23:30:00Z'))).toBe(1);
		expect(daysUntilDue('2026-05-10', 'UTC', new Date('2026-05-11T12:00:00Z'))).toBe(-1);
	});

	it('knows IANA zones', () => {
		expect(isTimeZone('Europe/Berlin')).toBe(true);
		expect(isTimeZone('Mars/Olympus')).toBe(false);
	});
});

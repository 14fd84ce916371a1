import { describe, expect, it } from 'vitest';
import { compareMyAssignments, myAssignmentOf, type MyAssignmentSource } from './assignments';

const row = (over: Partial<MyAssignmentSource> = {}): MyAssignmentSource => ({
	id: 'a1',
	role: 'author',
	sectionId: null,
	dueOn: null,
	wordTarget: null,
	createdAt: new Date('2027-05-01T09:00:00Z'),
	pieceId: 'p1',
	title: 'Dams and drought',
	kind: 'article',
	reviewState: 'draft',
	wordCount: 120,
	headings: [{ id: 'h-findings', level: 2, title: 'Findings' }],
	issueId: null,
	publication: null,
	volume: null,
	number: null,
	...over
});

describe('"My assignments" entries', () => {
	const now = new Date('2027-05-12T12:00:00Z');

	it('names the section by its stored heading, and marks one whose heading is gone as detached', () => {
		expect(myAssignmentOf(row({ sectionId: 'h-findings' }), 'UTC', now)).toMatchObject({ sectionTitle: 'Findings', detached: false });
		expect(myAssignmentOf(row({ sectionId: 'h-deleted' }), 'UTC', now)).toMatchObject({ sectionTitle: null, detached: true });
		expect(myAssignmentOf(row(), 'UTC', now)).toMatchObject({ sectionTitle: null, detached: false });
	});

	it('is late after its due day in the publication’s time zone until approved, and due soon within its last 24 hours', () => {
		expect(myAssignmentOf(row({ dueOn: '2027-05-11' }), 'UTC', now)).toMatchObject({ late: true, dueSoon: false });
		expect(myAssignmentOf(row({ dueOn: '2027-05-11', reviewState: 'approved' }), 'UTC', now)).toMatchObject({ late: false, dueSoon: false });
		expect(myAssignmentOf(row({ dueOn: '2027-05-12' }), 'UTC', now)).toMatchObject({ late: false, dueSoon: true });
		// 12 May ends at 22:00 UTC in Berlin (summer time): 10 hours left at noon UTC
		expect(myAssignmentOf(row({ dueOn: '2027-05-12' }), 'Europe/Berlin', now).dueSoon).toBe(true);
		expect(myAssignmentOf(row({ dueOn: '2027-05-13' }), 'UTC', now)).toMatchObject({ late: false, dueSoon: false });
	});

	it('carries the issue the piece is placed in', () => {
		expect(myAssignmentOf(row({ issueId: 'i1', publication: 'Basin Watch', volume: 7, number: 12 }), 'UTC', now).piece.issue).toEqual({ id: 'i1', publication: 'Basin Watch', volume: 7, number: 12 });
		expect(myAssignmentOf(row(), 'UTC', now).piece.issue).toBeNull();
	});

	it('puts what waits for the person first, then late ones, then by due day with undated ones last', () => {
		const entries = [
			myAssignmentOf(row({ id: 'undated' }), 'UTC', now),
			myAssignmentOf(row({ id: 'later', dueOn: '2027-06-01' }), 'UTC', now),
			myAssignmentOf(row({ id: 'sooner', dueOn: '2027-05-20' }), 'UTC', now),
			myAssignmentOf(row({ id: 'late', dueOn: '2027-05-01' }), 'UTC', now),
			myAssignmentOf(row({ id: 'waiting', reviewState: 'changes_requested', dueOn: '2027-07-01' }), 'UTC', now)
		];
		expect(entries.sort(compareMyAssignments).map((e) => e.id)).toEqual(['waiting', 'late', 'sooner', 'later', 'undated']);
	});
});

import { describe, expect, it } from 'vitest';
import { assignmentNotification } from './assignments';
import type { Assignment } from '../../domain/assignments';

const piece = { id: 'p1', title: 'Dams and drought', issueId: 'i1' };
const editor = { id: 'ed', name: 'Eda Editor' };
const headings = [{ id: 'h-findings', level: 2, title: 'Findings' }];
const assignment: Assignment = {
	id: 'a1',
	pieceId: 'p1',
	userId: 'carl',
	name: 'Carl',
	role: 'author',
	sectionId: null,
	dueOn: '2027-05-12',
	wordTarget: 800,
	assignedBy: 'ed',
	createdAt: '2027-05-01T00:00:00.000Z'
};

describe('assignment notifications', () => {
	it('tells the assignee what they were given, with the terms, on the piece and its issue', () => {
		expect(assignmentNotification({ kind: 'assigned', assignment }, piece, editor, headings)).toEqual({
			userId: 'carl',
			type: 'assigned',
			pieceId: 'p1',
			issueId: 'i1',
			actorId: 'ed',
			text: 'Eda Editor assigned you “Dams and drought” as author, due 12 May 2027, 800 words'
		});
	});

	it('sends the new terms on a change of role, section or due day, and nothing for a word target alone', () => {
		const after = { ...assignment, role: 'reviewer' as const, sectionId: 'h-findings' };
		expect(assignmentNotification({ kind: 'changed', before: assignment, after }, piece, editor, headings)?.text).toBe(
			'Eda Editor changed your assignment on “Dams and drought”: now as reviewer of the section “Findings”, due 12 May 2027, 800 words'
		);
		expect(assignmentNotification({ kind: 'changed', before: assignment, after: { ...assignment, wordTarget: 900 } }, piece, editor, headings)).toBeNull();
	});

	it('tells them what they were removed from', () => {
		expect(assignmentNotification({ kind: 'unassigned', assignment }, piece, editor, headings)).toMatchObject({ type: 'unassigned', text: 'Eda Editor removed you from “Dams and drought”' });
		const section = { ...assignment, sectionId: 'h-findings' };
		expect(assignmentNotification({ kind: 'unassigned', assignment: section }, piece, editor, headings)?.text).toBe('Eda Editor removed you from the section “Findings” of “Dams and drought”');
	});
});

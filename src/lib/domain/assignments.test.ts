import { describe, expect, it } from 'vitest';
import { describeTerms, isCalendarDay, isWaitingFor } from './assignments';

describe('assignments', () => {
	it('says the piece waits for its authors when changes were requested and for its reviewers while in review', () => {
		expect(isWaitingFor('author', 'changes_requested')).toBe(true);
		expect(isWaitingFor('reviewer', 'in_review')).toBe(true);
		expect(isWaitingFor('author', 'in_review')).toBe(false);
		expect(isWaitingFor('reviewer', 'changes_requested')).toBe(false);
		expect(isWaitingFor('viewer', 'in_review')).toBe(false);
		expect(isWaitingFor('author', 'draft')).toBe(false);
	});

	it('words the terms of an assignment in one line', () => {
		expect(describeTerms({ role: 'author' })).toBe('as author');
		expect(describeTerms({ role: 'reviewer', sectionId: 'h1', sectionTitle: 'Findings', dueOn: '2027-05-12', wordTarget: 800 })).toBe(
			'as reviewer of the section “Findings”, due 12 May 2027, 800 words'
		);
		expect(describeTerms({ role: 'author', sectionId: 'h1', sectionTitle: null })).toBe('as author of one section');
	});

	it('accepts only real calendar days written YYYY-MM-DD', () => {
		expect(isCalendarDay('2027-05-12')).toBe(true);
		expect(isCalendarDay('2028-02-29')).toBe(true);
		for (const bad of ['2027-02-30', '2027-13-01', '12/05/2027', '2027-5-12', '2027-05-12T00:00:00Z', '']) expect(isCalendarDay(bad), bad).toBe(false);
	});
});

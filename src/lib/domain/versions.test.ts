import { describe, expect, it } from 'vitest';
import { reviewVersionLabel, submissionToCompare } from './versions';

const v = (label: string, kind: 'review' | 'named' = 'review') => ({ kind, label });
// newest first, as GET /api/pieces/:id/versions lists them
const firstRound = [v('Submitted for review')];
const secondRound = [v('Resubmitted for review'), v('Changes requested'), v('Before the cuts', 'named'), v('Submitted for review')];

describe('the submission a reviewer compares with', () => {
	it('is the last submission in the first round, and for the author revising', () => {
		expect(submissionToCompare(firstRound, 'in_review')).toBe(firstRound[0]);
		expect(submissionToCompare(secondRound.slice(1), 'changes_requested')).toBe(secondRound[3]);
	});
	it('is the submission before a resubmission while the editor reviews it, so the revision shows marked', () => {
		expect(submissionToCompare(secondRound, 'in_review')).toBe(secondRound[3]);
		expect(submissionToCompare(secondRound, 'approved')).toBe(secondRound[3]);
	});
	it('is none outside review or before any submission', () => {
		expect(submissionToCompare(secondRound, 'draft')).toBeNull();
		expect(submissionToCompare(secondRound, 'published')).toBeNull();
		expect(submissionToCompare([v('Before the cuts', 'named')], 'in_review')).toBeNull();
	});
	it('recognises the labels the review moves give', () => {
		expect(reviewVersionLabel('draft', 'in_review')).toBe('Submitted for review');
		expect(reviewVersionLabel('changes_requested', 'in_review')).toBe('Resubmitted for review');
	});
});

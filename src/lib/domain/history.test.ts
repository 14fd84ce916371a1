import { describe, expect, it } from 'vitest';
import { entryInWords, moveComment, moveInWords, needsReason, pendingChangeRequest, whenInWords, type HistoryEntry, type MoveEntry } from './history';

const maren = { id: 'u1', name: 'Maren Holt' };
const move = (from: MoveEntry['from'], to: MoveEntry['to'], comment: string | null = null, at = '2026-12-03T14:02:00.000Z'): MoveEntry => ({ type: 'move', at, actor: maren, from, to, comment, versionId: null });

describe('needsReason and moveComment', () => {
	it('asks a reason of a request for changes only', () => {
		expect(needsReason('changes_requested')).toBe(true);
		for (const to of ['draft', 'in_review', 'approved', 'published'] as const) expect(needsReason(to)).toBe(false);
	});

	it('stores a comment trimmed, and nothing for whitespace', () => {
		expect(moveComment('  Cut the second paragraph \n')).toBe('Cut the second paragraph');
		expect(moveComment(' \n\t ')).toBeNull();
		expect(moveComment(undefined)).toBeNull();
	});
});

describe('the history in words', () => {
	it('says each move as the timeline shows it', () => {
		expect(entryInWords(move('in_review', 'changes_requested', 'Cut the second paragraph'))).toBe('Maren Holt requested changes');
		expect(moveInWords('draft', 'in_review')).toBe('submitted it for review');
		expect(moveInWords('changes_requested', 'in_review')).toBe('resubmitted it for review');
		expect(moveInWords('in_review', 'draft')).toBe('withdrew it from review');
		expect(moveInWords('published', 'draft')).toBe('reopened it');
		expect(moveInWords('approved', 'published')).toBe('published it');
	});

	it('says a saved version with its label, and names nobody for a removed account', () => {
		const named: HistoryEntry = { type: 'version', at: '2026-12-03T14:02:00.000Z', actor: maren, id: 'v1', kind: 'named', label: 'Before the cuts', restoredFrom: null };
		expect(entryInWords(named)).toBe('Maren Holt saved the version “Before the cuts”');
		expect(entryInWords({ ...named, actor: null, kind: 'before_restore', restoredFrom: 'v0' })).toMatch(/^Someone restored an earlier version/);
	});

	it('gives the day, month and time, with the year only when it is not this year', () => {
		const at = new Date(2026, 11, 3, 14, 2).toISOString();
		expect(whenInWords(at, new Date(2026, 11, 7))).toBe('3 Dec 14:02');
		expect(whenInWords(at, new Date(2027, 0, 2))).toBe('3 Dec 2026 14:02');
	});
});

describe('pendingChangeRequest', () => {
	const requested = move('in_review', 'changes_requested', 'Cite the gauge data');
	it('is the newest move while the piece waits for changes', () => {
		const version: HistoryEntry = { type: 'version', at: '2026-12-03T15:00:00.000Z', actor: maren, id: 'v1', kind: 'named', label: 'Draft two', restoredFrom: null };
		expect(pendingChangeRequest('changes_requested', [version, requested, move('draft', 'in_review')])).toBe(requested);
	});

	it('is nothing in another state, before the history is read, or while the history has not caught up', () => {
		expect(pendingChangeRequest('in_review', [requested])).toBeNull();
		expect(pendingChangeRequest('changes_requested', null)).toBeNull();
		expect(pendingChangeRequest('changes_requested', [move('draft', 'in_review'), requested])).toBeNull();
	});
});

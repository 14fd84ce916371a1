import { describe, expect, it } from 'vitest';
import { availableTransitions, canTransition } from './review';
import { isLocked } from './pieces';

describe('review workflow', () => {
	it('lets an author submit a draft but not approve it', () => {
		expect(canTransition('draft', 'in_review', 'author')).toBe(true);
		expect(canTransition('in_review', 'approved', 'author')).toBe(false);
	});

	it('lets the editor approve, publish and reopen', () => {
		expect(canTransition('in_review', 'approved', 'editor')).toBe(true);
		expect(canTransition('approved', 'published', 'editor')).toBe(true);
		expect(canTransition('published', 'draft', 'editor')).toBe(true);
	});

	it('refuses moves that skip review', () => {
		expect(canTransition('draft', 'approved', 'editor')).toBe(false);
		expect(canTransition('draft', 'published', 'editor')).toBe(false);
	});

	it('offers nobody a move when they are neither editor nor author', () => {
		expect(availableTransitions('draft', null)).toEqual([]);
	});

	it('locks approved and published pieces only', () => {
		expect(['draft', 'in_review', 'changes_requested'].map((s) => isLocked(s as never))).toEqual([false, false, false]);
		expect(isLocked('approved')).toBe(true);
		expect(isLocked('published')).toBe(true);
	});
});

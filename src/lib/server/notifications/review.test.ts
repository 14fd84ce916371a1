import { describe, expect, it } from 'vitest';
import { reviewNotice, reviewText } from './review';

const editor = { id: 'e', name: 'Maren Holt', role: 'editor' as const };
const author = { id: 'a', name: 'Tomas Brandt', role: 'contributor' as const };

describe('reviewNotice', () => {
	it('tells the editors of a submission and the authors of the editor’s moves', () => {
		expect(reviewNotice({ from: 'draft', to: 'in_review', actor: author })).toEqual({ type: 'review_requested', to: 'editors' });
		expect(reviewNotice({ from: 'changes_requested', to: 'in_review', actor: author })).toEqual({ type: 'review_requested', to: 'editors' });
		for (const to of ['changes_requested', 'approved', 'published'] as const) expect(reviewNotice({ from: 'in_review', to, actor: editor })).toEqual({ type: to, to: 'authors' });
		expect(reviewNotice({ from: 'approved', to: 'draft', actor: editor })).toEqual({ type: 'reopened', to: 'authors' });
	});

	it('tells nobody when an author withdraws their own piece', () => {
		expect(reviewNotice({ from: 'in_review', to: 'draft', actor: author })).toBeNull();
	});
});

describe('reviewText', () => {
	it('names who moved which piece, with the comment when there is one', () => {
		expect(reviewText('changes_requested', { from: 'in_review', actor: editor, comment: 'Cite the gauge data.' }, 'Dams and drought')).toBe(
			'Maren Holt requested changes to “Dams and drought”: “Cite the gauge data.”'
		);
		expect(reviewText('approved', { from: 'in_review', actor: editor, comment: '  ' }, 'Dams and drought')).toBe('Maren Holt approved “Dams and drought”');
		expect(reviewText('review_requested', { from: 'changes_requested', actor: author }, 'Dams and drought')).toBe('Tomas Brandt resubmitted “Dams and drought” for review');
		expect(reviewText('reopened', { from: 'published', actor: editor }, 'Dams and drought')).toBe('Maren Holt reopened “Dams and drought”');
	});
});

import type { ReviewState } from './pieces';

/**
 * The review workflow: draft → in review → changes requested → approved → published.
 * `by` says who may make the move: the editor, or the piece's author (its creator or an assigned author).
 * Approved and published pieces are locked; the editor reopens them (back to draft).
 */
export const REVIEW_TRANSITIONS: { from: ReviewState; to: ReviewState; by: 'editor' | 'author'; label: string }[] = [
	{ from: 'draft', to: 'in_review', by: 'author', label: 'Submit for review' },
	{ from: 'in_review', to: 'draft', by: 'author', label: 'Withdraw from review' },
	{ from: 'in_review', to: 'changes_requested', by: 'editor', label: 'Request changes' },
	{ from: 'in_review', to: 'approved', by: 'editor', label: 'Approve' },
	{ from: 'changes_requested', to: 'in_review', by: 'author', label: 'Resubmit for review' },
	{ from: 'approved', to: 'published', by: 'editor', label: 'Publish' },
	{ from: 'approved', to: 'draft', by: 'editor', label: 'Reopen' },
	{ from: 'published', to: 'draft', by: 'editor', label: 'Reopen' }
];

/** The moves `who` may make from `state` (an editor may also make every author move). */
export function availableTransitions(state: ReviewState, who: 'editor' | 'author' | null) {
	if (!who) return [];
	return REVIEW_TRANSITIONS.filter((t) => t.from === state && (who === 'editor' || t.by === 'author'));
}

export function canTransition(from: ReviewState, to: ReviewState, who: 'editor' | 'author' | null): boolean {
	return availableTransitions(from, who).some((t) => t.to === to);
}

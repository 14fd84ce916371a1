// Pure domain facts about pieces, shared by the browser and the server.

export const PIECE_KINDS = ['brief', 'article', 'interview'] as const;
export type PieceKind = (typeof PIECE_KINDS)[number];

export const PIECE_KIND_LABELS: Record<PieceKind, string> = {
	brief: 'Brief',
	article: 'Article',
	interview: 'Interview'
};

export const REVIEW_STATES = ['draft', 'in_review', 'changes_requested', 'approved', 'published'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

export const REVIEW_STATE_LABELS: Record<ReviewState, string> = {
	draft: 'Draft',
	in_review: 'In review',
	changes_requested: 'Changes requested',
	approved: 'Approved',
	published: 'Published'
};

/** Approved and published pieces are locked: nobody edits their text until the editor reopens them. */
export function isLocked(state: ReviewState): boolean {
	return state === 'approved' || state === 'published';
}

export const ROLES = ['editor', 'contributor'] as const;
export type Role = (typeof ROLES)[number];

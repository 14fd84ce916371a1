// Assignments: who works on a piece (or one section of it), in which role, by when. Pure facts shared by the
// browser ("My assignments", the Assignments panel) and the server (the API, notifications).
import { format } from 'date-fns/format';
import { parseISO } from 'date-fns/parseISO';
import type { ReviewState } from './pieces';

export const ASSIGNMENT_ROLES = ['author', 'reviewer', 'viewer'] as const;
export type AssignmentRole = (typeof ASSIGNMENT_ROLES)[number];

export const ASSIGNMENT_ROLE_LABELS: Record<AssignmentRole, string> = {
	author: 'Author',
	reviewer: 'Reviewer',
	viewer: 'Viewer'
};

/** What each role may do, in words (the panel's hint, the docs' table). */
export const ASSIGNMENT_ROLE_HINTS: Record<AssignmentRole, string> = {
	author: 'writes, edits the details and submits for review',
	reviewer: 'writes and comments',
	viewer: 'reads and comments'
};

/** An assignment as the API returns it. */
export interface Assignment {
	id: string;
	pieceId: string;
	userId: string;
	/** The assignee's name. */
	name: string;
	role: AssignmentRole;
	/** The id of the heading that starts the assigned section; null: the whole piece. */
	sectionId: string | null;
	/** YYYY-MM-DD, a calendar day in the publication's time zone. */
	dueOn: string | null;
	wordTarget: number | null;
	assignedBy: string | null;
	createdAt: string;
}

/** A heading of a piece's text that a section assignment can name. */
export interface PieceHeading {
	id: string;
	level: number;
	title: string;
}

/**
 * Whether the piece waits for this assignee after a review move: changes were requested (its authors'
 * turn) or it is in review (its reviewers' turn).
 */
export function isWaitingFor(role: AssignmentRole, reviewState: ReviewState): boolean {
	return (role === 'author' && reviewState === 'changes_requested') || (role === 'reviewer' && reviewState === 'in_review');
}

/** A due day for people: "12 May 2027". */
export function formatDueOn(dueOn: string): string {
	return format(parseISO(dueOn), 'd MMMM yyyy');
}

/** The terms of an assignment in one line: "as author of the section “Findings”, due 12 May 2027, 800 words". */
export function describeTerms(terms: { role: AssignmentRole; sectionTitle?: string | null; sectionId?: string | null; dueOn?: string | null; wordTarget?: number | null }): string {
	const parts = [`as ${terms.role}`];
	if (terms.sectionId) parts[0] += terms.sectionTitle ? ` of the section “${terms.sectionTitle}”` : ' of one section';
	if (terms.dueOn) parts.push(`due ${formatDueOn(terms.dueOn)}`);
	if (terms.wordTarget) parts.push(`${terms.wordTarget} words`);
	return parts.join(', ');
}

/** A valid calendar day written YYYY-MM-DD (not 2027-02-30). */
export function isCalendarDay(value: string): boolean {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
	const [y, m, d] = value.split('-').map(Number);
	const date = new Date(Date.UTC(y, m - 1, d));
	return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

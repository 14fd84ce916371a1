// Versions of a piece: snapshots saved at every review move, on demand with a name, and before a restore.
import type { ReviewState } from './pieces';

export const VERSION_KINDS = ['review', 'named', 'before_restore'] as const;
export type VersionKind = (typeof VERSION_KINDS)[number];

/** A named version's label: trimmed, 1 to this many characters. */
export const MAX_VERSION_LABEL = 200;

/** The label of the version saved at a review move: what the move did. */
export function reviewVersionLabel(from: ReviewState, to: ReviewState): string {
	if (to === 'in_review') return from === 'changes_requested' ? 'Resubmitted for review' : 'Submitted for review';
	if (to === 'changes_requested') return 'Changes requested';
	if (to === 'approved') return 'Approved';
	if (to === 'published') return 'Published';
	if (from === 'in_review') return 'Withdrawn from review';
	return 'Reopened';
}

/** The label of the version saved just before restoring `label` (the restored version's label). */
export function beforeRestoreLabel(label: string): string {
	return `Before restoring “${label.length > 120 ? label.slice(0, 119) + '…' : label}”`;
}

/** A version as the API gives it. */
export interface PieceVersion {
	id: string;
	kind: VersionKind;
	label: string;
	createdAt: string;
	createdBy: { id: string; name: string } | null;
	reviewEventId: number | null;
	restoredFrom: string | null;
}

/** Whether a version is the snapshot of a submission (taken when the piece went into review). */
export function isSubmission(version: Pick<PieceVersion, 'kind' | 'label'>): boolean {
	return version.kind === 'review' && (version.label === 'Submitted for review' || version.label === 'Resubmitted for review');
}

/**
 * The submission a reviewer compares the text with (versions newest first): while the piece is in review or
 * approved after a resubmission, the submission before it — the text the editor asked changes on — so the
 * revision shows marked; otherwise the last submission (the author revising sees what they submitted).
 * Null outside review, or before any submission.
 */
export function submissionToCompare(versions: Pick<PieceVersion, 'kind' | 'label'>[], state: ReviewState) {
	if (state !== 'in_review' && state !== 'changes_requested' && state !== 'approved') return null;
	const submissions = versions.filter(isSubmission);
	const [last, before] = submissions;
	if (!last) return null;
	return state !== 'changes_requested' && last.label === 'Resubmitted for review' && before ? before : last;
}

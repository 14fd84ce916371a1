// A piece's history (GET /api/pieces/:id/history): its review moves and its versions, newest first, and how
// the timeline on the piece page says each in words. Shared by the browser and the server.
import type { ReviewState } from './pieces';
import type { VersionKind } from './versions';

export interface HistoryActor {
	id: string;
	name: string;
}

/** A move through review: who made it, from which state to which, their comment, and the version saved then. */
export interface MoveEntry {
	type: 'move';
	/** ISO 8601. */
	at: string;
	/** null: a removed account. */
	actor: HistoryActor | null;
	from: ReviewState;
	to: ReviewState;
	comment: string | null;
	/** The `review` version saved at this move (piece_versions.review_event_id), or null. */
	versionId: string | null;
}

/** A version saved on demand (`named`) or before a restore (`before_restore`); `review` versions come with their move. */
export interface VersionEntry {
	type: 'version';
	at: string;
	actor: HistoryActor | null;
	id: string;
	kind: VersionKind;
	label: string;
	/** For a `before_restore` version: the version that was restored. */
	restoredFrom: string | null;
}

export type HistoryEntry = MoveEntry | VersionEntry;

/** The moves that need a comment saying why: requesting changes says what to change. */
export const REASON_REQUIRED: readonly ReviewState[] = ['changes_requested'];

export function needsReason(to: ReviewState): boolean {
	return REASON_REQUIRED.includes(to);
}

/** The comment a move is stored with: trimmed, null when nothing is left. */
export function moveComment(comment: string | null | undefined): string | null {
	const trimmed = comment?.trim();
	return trimmed ? trimmed : null;
}

/** What a move did, as a verb phrase after the mover's name ("Maren Holt requested changes"). */
export function moveInWords(from: ReviewState, to: ReviewState): string {
	switch (to) {
		case 'in_review':
			return from === 'changes_requested' ? 'resubmitted it for review' : 'submitted it for review';
		case 'changes_requested':
			return 'requested changes';
		case 'approved':
			return 'approved it';
		case 'published':
			return 'published it';
		case 'draft':
			return from === 'in_review' ? 'withdrew it from review' : 'reopened it';
	}
}

/** What saving a version did, as a verb phrase after the saver's name. */
export function versionInWords(entry: Pick<VersionEntry, 'kind' | 'label'>): string {
	switch (entry.kind) {
		case 'named':
			return `saved the version “${entry.label}”`;
		case 'before_restore':
			return 'restored an earlier version (the text before it was saved)';
		case 'review':
			return `saved the version “${entry.label}”`;
	}
}

/** One entry in words, without its time: "Maren Holt requested changes". */
export function entryInWords(entry: HistoryEntry): string {
	const who = entry.actor?.name ?? 'Someone';
	return `${who} ${entry.type === 'move' ? moveInWords(entry.from, entry.to) : versionInWords(entry)}`;
}

const WHEN = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
const WHEN_WITH_YEAR = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });

/** "3 Dec 14:02" (the year too when it is not this year's), in the reader's time zone. */
export function whenInWords(at: string, now: Date = new Date()): string {
	const date = new Date(at);
	return (date.getFullYear() === now.getFullYear() ? WHEN : WHEN_WITH_YEAR).format(date).replace(',', '');
}

/**
 * The request for changes the piece is waiting on: the newest move, when the piece is in `changes_requested`
 * and that move brought it there (null otherwise, or while the history has not caught up with the state).
 */
export function pendingChangeRequest(state: ReviewState, entries: HistoryEntry[] | null): MoveEntry | null {
	if (state !== 'changes_requested' || !entries) return null;
	const last = entries.find((e): e is MoveEntry => e.type === 'move');
	return last && last.to === 'changes_requested' ? last : null;
}

// The one authorization module. Every HTTP route and the collaboration server ask it; nothing else decides.
import { and, eq, inArray, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm';
import { QueryBuilder } from 'drizzle-orm/pg-core';
import type { Actor } from '../auth/sessions';
import { apiTokens, assignments, pieces, users } from '../db/schema';
import { isLocked, REVIEW_STATE_LABELS, type ReviewState } from '../../domain/pieces';
import { availableTransitions, canTransition, REVIEW_TRANSITIONS } from '../../domain/review';

/** What a policy needs to know about a piece. */
export interface PieceSubject {
	id: string;
	createdBy: string;
	reviewState: ReviewState;
	/**
	 * The actor's own whole-piece assignment roles on this piece (a section viewer counts as a viewer: a
	 * section is read with the whole piece).
	 */
	assignmentRoles: ('author' | 'reviewer' | 'viewer')[];
	/**
	 * The sections (heading ids) the actor is assigned to write in, as author or reviewer. Absent or empty:
	 * none. Counts only for a contributor without a whole-piece right to write (see textScope).
	 */
	sectionIds?: string[];
	/** Archived by the editor: read-only for everyone and out of every list until restored. */
	archived?: boolean;
}

/**
 * `edit_text`: write in the text (live, over the websocket; a section-only contributor inside their
 * sections only: see textScope). `replace_text`: write the text as a whole over HTTP (transcript import),
 * which needs a right on the whole piece.
 */
export type PieceAction =
	| 'view'
	| 'edit_text'
	| 'replace_text'
	| 'update_details'
	| 'change_review_state'
	| 'delete'
	| 'assign'
	| 'comment'
	| 'archive'
	| 'restore'
	/** Save a named version of the text (a snapshot): whoever may write in the text or move it through review, locked or not. */
	| 'save_version'
	/** Put an old version's text back (as a new change): the editor and the piece's authors; refused while locked or archived. */
	| 'restore_version';
export type GlobalAction =
	| 'create_piece'
	| 'list_pieces'
	| 'invite_people'
	| 'list_people'
	| 'create_token'
	| 'read_people_audit'
	/** Read the issues, their sections and boards (the pieces on a board are filtered by visiblePieces). */
	| 'view_issues'
	/** Create and change issues and their sections, and place pieces in them (the table of contents). */
	| 'plan_issues'
	/** Bring in a whole archived issue (issue, sections, pieces, contributors, sources) from its text. */
	| 'import_issues';

export function canGlobal(actor: Actor | null, action: GlobalAction): boolean {
	if (!actor) return false;
	switch (action) {
		case 'create_piece':
		case 'list_pieces':
		case 'list_people':
		case 'create_token':
		case 'view_issues':
			return true;
		case 'invite_people':
		case 'read_people_audit':
		case 'plan_issues':
		case 'import_issues':
			return actor.role === 'editor';
	}
}

/** What can be done to a person's account (besides changing one's own password, which everyone may). */
export type PersonAction = 'change_role' | 'remove' | 'issue_reset_link';

/**
 * The editor manages people: roles (their own too; the last editor cannot step down, which the command
 * refuses with a conflict), reset links, removal (never of themselves: they would lock themselves out).
 */
export function canPerson(actor: Actor | null, action: PersonAction, person: { id: string }): boolean {
	if (!actor || actor.role !== 'editor') return false;
	switch (action) {
		case 'change_role':
		case 'issue_reset_link':
			return true;
		case 'remove':
			return person.id !== actor.id;
	}
}

function involvement(actor: Actor, piece: PieceSubject): 'owner' | 'author' | 'reviewer' | 'viewer' | null {
	if (piece.createdBy === actor.id) return 'owner';
	if (piece.assignmentRoles.includes('author')) return 'author';
	if (piece.assignmentRoles.includes('reviewer')) return 'reviewer';
	if (piece.assignmentRoles.includes('viewer')) return 'viewer';
	return null;
}

/** Actions an approved or published piece refuses to everyone until the editor reopens it. */
const LOCKED_ACTIONS: readonly PieceAction[] = ['edit_text', 'replace_text', 'update_details', 'restore_version'];

/** Does the actor write only in some sections of the piece (no whole-piece right to write)? */
function sectionOnly(actor: Actor, piece: PieceSubject): boolean {
	if (actor.role === 'editor' || !piece.sectionIds?.length) return false;
	const role = involvement(actor, piece);
	return role === null || role === 'viewer';
}

/** What the actor's role and involvement allow, whatever the piece's review state. */
function roleAllows(actor: Actor, action: PieceAction, piece: PieceSubject): boolean {
	const editor = actor.role === 'editor';
	const role = involvement(actor, piece);
	const wholeText = editor || role === 'owner' || role === 'author' || role === 'reviewer';
	switch (action) {
		case 'view':
			return editor || role !== null || !!piece.sectionIds?.length;
		case 'edit_text':
			return wholeText || sectionOnly(actor, piece);
		case 'replace_text':
			return wholeText;
		case 'update_details':
			return editor || role === 'owner' || role === 'author';
		case 'change_review_state':
			return editor || role === 'owner' || role === 'author';
		case 'delete':
		case 'archive':
		case 'restore':
			return editor;
		// only the editor gives out (and takes back) pieces and sections, whatever the piece's state
		case 'assign':
			return editor;
		// everyone who may read the piece may comment on it (viewers and section assignees included), locked or not
		case 'comment':
			return roleAllows(actor, 'view', piece);
		case 'save_version':
			return roleAllows(actor, 'edit_text', piece) || roleAllows(actor, 'change_review_state', piece);
		case 'restore_version':
			return editor || role === 'owner' || role === 'author';
	}
}

/** Actions an archived piece refuses to everyone until the editor restores it (as a lock does). */
const ARCHIVED_ACTIONS: readonly PieceAction[] = ['edit_text', 'replace_text', 'update_details', 'restore_version'];

export function canPiece(actor: Actor | null, action: PieceAction, piece: PieceSubject): boolean {
	return pieceRefusal(actor, action, piece) === null;
}

/**
 * Why `action` is refused, or null when it is allowed: `hidden` (the actor may not even see the piece:
 * answer as if it did not exist), `role` (their role never may), `locked` (approved or published: the text,
 * details and authors are locked for everyone, the editor included, until the editor reopens it),
 * `archived` (the text and details of an archived piece stay as they are until the editor restores it),
 * `live` (only an archived piece may be deleted: archive it first).
 */
export function pieceRefusal(actor: Actor | null, action: PieceAction, piece: PieceSubject): 'hidden' | 'role' | 'locked' | 'archived' | 'live' | null {
	if (!actor || !roleAllows(actor, 'view', piece)) return 'hidden';
	if (!roleAllows(actor, action, piece)) return 'role';
	if (ARCHIVED_ACTIONS.includes(action) && piece.archived) return 'archived';
	if (LOCKED_ACTIONS.includes(action) && isLocked(piece.reviewState)) return 'locked';
	if (action === 'delete' && !piece.archived) return 'live';
	return null;
}

/**
 * The pieces the actor may view, as a SQL condition on `pieces` (for every list query: pieces, citations,
 * Q&A turns…). Must agree with `canPiece(actor, 'view', …)`: the editor sees every piece; others the
 * pieces they created or are assigned to (in any role).
 */
export function visiblePieces(actor: Actor | null): SQL {
	if (!actor) return sql`false`;
	if (actor.role === 'editor') return sql`true`;
	// `id in (their assignments)`, not a correlated `exists`: under the `or` Postgres reads the assignments once
	// (a hashed subplan) instead of probing them for every piece, which a count over the whole list would do
	return or(eq(pieces.createdBy, actor.id), inArray(pieces.id, new QueryBuilder().select({ pieceId: assignments.pieceId }).from(assignments).where(eq(assignments.userId, actor.id))))!;
}

/**
 * The pieces that lists and boards show the actor: those they may view (visiblePieces) that are not
 * archived, or with `archived`, the archive instead.
 */
export function listedPieces(actor: Actor | null, archived = false): SQL {
	return and(visiblePieces(actor), archived ? isNotNull(pieces.archivedAt) : isNull(pieces.archivedAt))!;
}

/** Profiles: everyone edits their own; the editor edits all (for contributors without an account too). */
export function canEditProfile(actor: Actor | null, profile: { userId: string | null }): boolean {
	if (!actor) return false;
	return actor.role === 'editor' || profile.userId === actor.id;
}

/** In which capacity the actor moves a piece through review: as the editor, as its author, or not at all. */
export function reviewCapacity(actor: Actor | null, piece: PieceSubject): 'editor' | 'author' | null {
	if (!actor) return null;
	if (actor.role === 'editor') return 'editor';
	const role = involvement(actor, piece);
	return role === 'owner' || role === 'author' ? 'author' : null;
}

/**
 * May the actor move the piece to `to` now? `role`: their capacity never makes this move (an author
 * approving, publishing, requesting changes or reopening): 403. `state`: a move of theirs, but not from
 * the current state: 409, with the moves they may make.
 */
export function reviewMove(
	actor: Actor | null,
	piece: PieceSubject,
	to: ReviewState
): { ok: true } | { ok: false; refusal: 'role' | 'state'; message: string; allowed: ReviewState[] } {
	const capacity = reviewCapacity(actor, piece);
	if (canTransition(piece.reviewState, to, capacity)) return { ok: true };
	const allowed = availableTransitions(piece.reviewState, capacity).map((t) => t.to);
	const mayEverMake = (t: (typeof REVIEW_TRANSITIONS)[number]) => capacity === 'editor' || (capacity !== null && t.by === capacity);
	const thisMove = REVIEW_TRANSITIONS.filter((t) => t.from === piece.reviewState && t.to === to);
	const roleNever = capacity === null || (thisMove.length > 0 ? !thisMove.some(mayEverMake) : !REVIEW_TRANSITIONS.some((t) => t.to === to && mayEverMake(t)));
	const from = REVIEW_STATE_LABELS[piece.reviewState].toLowerCase();
	const target = REVIEW_STATE_LABELS[to].toLowerCase();
	if (roleNever) {
		return { ok: false, refusal: 'role', allowed, message: `Only the editor may move a piece that is ${from} to ${target}` };
	}
	return {
		ok: false,
		refusal: 'state',
		allowed,
		message: `A piece that is ${from} cannot move to ${target}` + (allowed.length ? ` (you may move it to: ${allowed.join(', ')})` : '')
	};
}

/**
 * Where the actor may write the piece's text now: everywhere (`piece`), only inside these sections (heading
 * ids; the heading itself, what precedes the first heading and everything outside stay as they are), or
 * nowhere (null: view only, locked, or not at all). A section whose heading is gone gives nothing (never the
 * whole piece).
 */
export function textScope(actor: Actor | null, piece: PieceSubject): 'piece' | { sections: string[] } | null {
	if (!actor || !canPiece(actor, 'edit_text', piece)) return null;
	return sectionOnly(actor, piece) ? { sections: [...new Set(piece.sectionIds)].sort() } : 'piece';
}

/** The sections a collaboration connection may write in: null when it is not restricted to sections (see textScope). */
export function collabSections(actor: Actor | null, piece: PieceSubject): string[] | null {
	const scope = textScope(actor, piece);
	return scope && scope !== 'piece' ? scope.sections : null;
}

/** The access a collaboration connection gets: edit, view (read-only) or none (refused). */
export function collabAccess(actor: Actor | null, piece: PieceSubject): 'edit' | 'view' | 'none' {
	if (canPiece(actor, 'edit_text', piece)) return 'edit';
	if (canPiece(actor, 'view', piece)) return 'view';
	return 'none';
}

/** The actions the client may offer for a piece (returned by the API beside the piece). */
export function pieceActions(actor: Actor | null, piece: PieceSubject): Record<PieceAction, boolean> {
	return {
		view: canPiece(actor, 'view', piece),
		edit_text: canPiece(actor, 'edit_text', piece),
		replace_text: canPiece(actor, 'replace_text', piece),
		update_details: canPiece(actor, 'update_details', piece),
		change_review_state: canPiece(actor, 'change_review_state', piece),
		delete: canPiece(actor, 'delete', piece),
		assign: canPiece(actor, 'assign', piece),
		comment: canPiece(actor, 'comment', piece),
		archive: canPiece(actor, 'archive', piece) && !piece.archived,
		restore: canPiece(actor, 'restore', piece) && !!piece.archived,
		save_version: canPiece(actor, 'save_version', piece),
		restore_version: canPiece(actor, 'restore_version', piece)
	};
}

/** What can be done to a comment of a piece: its body edited, it deleted, its thread resolved or reopened, replied to. */
export type CommentAction = 'edit' | 'delete' | 'resolve' | 'reply';

/** What a comment policy needs to know about a comment. */
export interface CommentSubject {
	authorId: string | null;
	/** Null for a thread (its first comment); the thread's id for a reply. */
	parentId: string | null;
}

/**
 * Comments: anyone who may comment on the piece (everyone who may see it, locked or not) replies to a thread
 * and resolves or reopens it; a comment's body is edited by its author only; a comment is deleted by its
 * author or the editor (deleting a thread's first comment deletes the thread).
 */
export function canComment(actor: Actor | null, action: CommentAction, piece: PieceSubject, comment: CommentSubject): boolean {
	if (!actor || !canPiece(actor, 'comment', piece)) return false;
	const own = comment.authorId === actor.id;
	switch (action) {
		case 'edit':
			return own;
		case 'delete':
			return own || actor.role === 'editor';
		case 'resolve':
		case 'reply':
			return comment.parentId === null;
	}
}

/** The actions the client may offer for a comment (returned beside it). */
export function commentActions(actor: Actor | null, piece: PieceSubject, comment: CommentSubject): Record<CommentAction, boolean> {
	return {
		edit: canComment(actor, 'edit', piece, comment),
		delete: canComment(actor, 'delete', piece, comment),
		resolve: canComment(actor, 'resolve', piece, comment),
		reply: canComment(actor, 'reply', piece, comment)
	};
}

/**
 * The people who may see a piece, as a SQL condition on `users` (whom a comment may @mention). Agrees with
 * visiblePieces: every editor, the piece's creator, everyone assigned to it (in any role or section).
 */
export function pieceReaders(pieceId: string): SQL {
	return and(
		isNull(users.disabledAt),
		or(
			eq(users.role, 'editor'),
			inArray(users.id, new QueryBuilder().select({ id: pieces.createdBy }).from(pieces).where(eq(pieces.id, pieceId))),
			inArray(users.id, new QueryBuilder().select({ id: assignments.userId }).from(assignments).where(eq(assignments.pieceId, pieceId)))
		)
	)!;
}

export type SourceAction = 'list' | 'create' | 'update' | 'merge';

/**
 * The source library: everyone reads it and adds to it; only the editor renames, re-points or merges an
 * existing source (citations keep their own copy, but every later citation takes the library's).
 */
export function canSource(actor: Actor | null, action: SourceAction): boolean {
	if (!actor) return false;
	return action === 'list' || action === 'create' || actor.role === 'editor';
}

/** Personal API tokens: a token is a personal credential; its owner alone lists and revokes it (the editor, too, only their own). */
export function canManageToken(actor: Actor | null, token: { userId: string }): boolean {
	return actor !== null && token.userId === actor.id;
}

/** The tokens the actor may list and revoke, as a SQL condition on `api_tokens` (agrees with canManageToken). */
export function manageableTokens(actor: Actor | null): SQL {
	if (!actor) return sql`false`;
	return eq(apiTokens.userId, actor.id);
}

/** E-mail addresses: the editor sees everyone's; a contributor only their own (others by name). */
export function canSeeEmail(actor: Actor | null, person: { id: string }): boolean {
	if (!actor) return false;
	return actor.role === 'editor' || actor.id === person.id;
}

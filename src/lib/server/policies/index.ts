// The one authorization module. Every HTTP route and the collaboration server ask it; nothing else decides.
import type { Actor } from '../auth/sessions';
import { isLocked, type ReviewState } from '../../domain/pieces';

/** What a policy needs to know about a piece. */
export interface PieceSubject {
	id: string;
	createdBy: string;
	reviewState: ReviewState;
	/** The actor's own assignment roles on this piece. */
	assignmentRoles: ('author' | 'reviewer' | 'viewer')[];
}

export type PieceAction = 'view' | 'edit_text' | 'update_details' | 'change_review_state' | 'delete';
export type GlobalAction = 'create_piece' | 'list_pieces' | 'invite_people' | 'list_people' | 'create_token' | 'read_people_audit';

export function canGlobal(actor: Actor | null, action: GlobalAction): boolean {
	if (!actor) return false;
	switch (action) {
		case 'create_piece':
		case 'list_pieces':
		case 'list_people':
		case 'create_token':
			return true;
		case 'invite_people':
		case 'read_people_audit':
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

export function canPiece(actor: Actor | null, action: PieceAction, piece: PieceSubject): boolean {
	if (!actor) return false;
	const editor = actor.role === 'editor';
	const role = involvement(actor, piece);
	switch (action) {
		case 'view':
			return editor || role !== null;
		case 'edit_text':
			// An approved or published piece is locked for everyone until the editor reopens it.
			if (isLocked(piece.reviewState)) return false;
			return editor || role === 'owner' || role === 'author' || role === 'reviewer';
		case 'update_details':
			return editor || role === 'owner' || role === 'author';
		case 'change_review_state':
			return editor || role === 'owner' || role === 'author';
		case 'delete':
			return editor;
	}
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
		update_details: canPiece(actor, 'update_details', piece),
		change_review_state: canPiece(actor, 'change_review_state', piece),
		delete: canPiece(actor, 'delete', piece)
	};
}

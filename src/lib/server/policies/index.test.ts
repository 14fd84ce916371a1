import { describe, expect, it } from 'vitest';
import type { Actor } from '../auth/sessions';
import { REVIEW_STATES, type ReviewState } from '../../domain/pieces';
import { canGlobal, canPerson, canPiece, collabAccess, pieceActions, type PieceSubject } from './index';

const editor: Actor = { id: 'ed', email: 'ed@example.org', name: 'Ed', role: 'editor', color: '#000', via: 'session' };
const alice: Actor = { id: 'alice', email: 'a@example.org', name: 'Alice', role: 'contributor', color: '#111', via: 'session' };
const bob: Actor = { id: 'bob', email: 'b@example.org', name: 'Bob', role: 'contributor', color: '#222', via: 'token' };

function piece(over: Partial<PieceSubject> = {}): PieceSubject {
	return { id: 'p1', createdBy: 'alice', reviewState: 'draft', assignmentRoles: [], ...over };
}

describe('canGlobal', () => {
	it('lets only the editor invite people', () => {
		expect(canGlobal(editor, 'invite_people')).toBe(true);
		expect(canGlobal(alice, 'invite_people')).toBe(false);
	});
	it('lets any signed-in person create and list pieces, list people and create tokens', () => {
		for (const action of ['create_piece', 'list_pieces', 'list_people', 'create_token'] as const) {
			expect(canGlobal(alice, action)).toBe(true);
			expect(canGlobal(editor, action)).toBe(true);
		}
	});
	it('refuses everything to nobody', () => {
		for (const action of ['create_piece', 'list_pieces', 'invite_people', 'list_people', 'create_token'] as const) {
			expect(canGlobal(null, action)).toBe(false);
		}
	});
});

describe('canPerson', () => {
	it('lets only the editor change roles, issue reset links and read the people audit', () => {
		for (const action of ['change_role', 'issue_reset_link'] as const) {
			expect(canPerson(editor, action, alice)).toBe(true);
			expect(canPerson(editor, action, editor)).toBe(true);
			expect(canPerson(alice, action, bob)).toBe(false);
			expect(canPerson(alice, action, alice)).toBe(false);
			expect(canPerson(null, action, alice)).toBe(false);
		}
		expect(canGlobal(editor, 'read_people_audit')).toBe(true);
		expect(canGlobal(alice, 'read_people_audit')).toBe(false);
	});
	it('lets the editor remove anyone but themselves, and nobody else remove anyone', () => {
		expect(canPerson(editor, 'remove', alice)).toBe(true);
		expect(canPerson(editor, 'remove', editor)).toBe(false);
		expect(canPerson(alice, 'remove', bob)).toBe(false);
		expect(canPerson(alice, 'remove', alice)).toBe(false);
	});
});

describe('canPiece', () => {
	it('lets the editor do everything on any draft piece, including deleting it', () => {
		expect(pieceActions(editor, piece())).toEqual({ view: true, edit_text: true, update_details: true, change_review_state: true, delete: true });
	});

	it('lets the owner view, edit and change details but not delete', () => {
		expect(pieceActions(alice, piece())).toEqual({ view: true, edit_text: true, update_details: true, change_review_state: true, delete: false });
	});

	it('hides a piece from a contributor who is neither its owner nor assigned', () => {
		expect(pieceActions(bob, piece())).toEqual({ view: false, edit_text: false, update_details: false, change_review_state: false, delete: false });
		expect(collabAccess(bob, piece())).toBe('none');
	});

	it('gives an assigned author, reviewer and viewer their own rights', () => {
		expect(pieceActions(bob, piece({ assignmentRoles: ['author'] }))).toMatchObject({ view: true, edit_text: true, update_details: true, delete: false });
		expect(pieceActions(bob, piece({ assignmentRoles: ['reviewer'] }))).toMatchObject({ view: true, edit_text: true, update_details: false, change_review_state: false });
		expect(pieceActions(bob, piece({ assignmentRoles: ['viewer'] }))).toMatchObject({ view: true, edit_text: false, update_details: false });
		expect(collabAccess(bob, piece({ assignmentRoles: ['viewer'] }))).toBe('view');
		expect(collabAccess(bob, piece({ assignmentRoles: ['reviewer'] }))).toBe('edit');
	});

	it.each(['approved', 'published'] as ReviewState[])('locks the text of a %s piece for everyone, the editor included', (reviewState) => {
		const locked = piece({ reviewState, assignmentRoles: [] });
		expect(canPiece(editor, 'edit_text', locked)).toBe(false);
		expect(canPiece(alice, 'edit_text', locked)).toBe(false);
		expect(canPiece(bob, 'edit_text', piece({ reviewState, assignmentRoles: ['author'] }))).toBe(false);
		// still readable: the websocket opens read-only
		expect(collabAccess(editor, locked)).toBe('view');
		expect(collabAccess(alice, locked)).toBe('view');
		// the editor can still reopen it
		expect(canPiece(editor, 'change_review_state', locked)).toBe(true);
	});

	it('leaves the text editable in every state that is not locked', () => {
		for (const reviewState of REVIEW_STATES.filter((s) => s !== 'approved' && s !== 'published')) {
			expect(collabAccess(alice, piece({ reviewState }))).toBe('edit');
		}
	});

	it('refuses everything to nobody', () => {
		expect(pieceActions(null, piece())).toEqual({ view: false, edit_text: false, update_details: false, change_review_state: false, delete: false });
		expect(collabAccess(null, piece())).toBe('none');
	});
});

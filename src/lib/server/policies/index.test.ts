import { describe, expect, it } from 'vitest';
import type { Actor } from '../auth/sessions';
import { REVIEW_STATES, type ReviewState } from '../../domain/pieces';
import { PgDialect } from 'drizzle-orm/pg-core';
import { canComment, commentActions, canGlobal, canManageToken, canPerson, canPiece, canSeeEmail, canSource, collabAccess, collabSections, manageableTokens, pieceActions, pieceRefusal, reviewMove, visiblePieces, type PieceSubject } from './index';

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
	it('lets everyone signed in see the issues, and only the editor plan them', () => {
		expect(canGlobal(alice, 'view_issues')).toBe(true);
		expect(canGlobal(editor, 'view_issues')).toBe(true);
		expect(canGlobal(editor, 'plan_issues')).toBe(true);
		expect(canGlobal(alice, 'plan_issues')).toBe(false);
	});
	it('lets only the editor import an archived issue', () => {
		expect(canGlobal(editor, 'import_issues')).toBe(true);
		expect(canGlobal(alice, 'import_issues')).toBe(false);
	});
	it('refuses everything to nobody', () => {
		for (const action of ['create_piece', 'list_pieces', 'invite_people', 'list_people', 'create_token', 'view_issues', 'plan_issues', 'import_issues'] as const) {
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
	it('lets the editor do everything on any draft piece: archive it, but delete it only once archived', () => {
		expect(pieceActions(editor, piece())).toEqual({ view: true, edit_text: true, replace_text: true, update_details: true, change_review_state: true, delete: false, assign: true, comment: true, archive: true, restore: false, save_version: true, restore_version: true });
		expect(pieceRefusal(editor, 'delete', piece())).toBe('live');
	});

	it('makes an archived piece read-only for everyone until the editor restores it, and lets only the editor delete it', () => {
		const archived = piece({ archived: true });
		expect(pieceActions(editor, archived)).toEqual({ view: true, edit_text: false, replace_text: false, update_details: false, change_review_state: true, delete: true, assign: true, comment: true, archive: false, restore: true, save_version: true, restore_version: false });
		expect(pieceRefusal(editor, 'edit_text', archived)).toBe('archived');
		expect(pieceRefusal(alice, 'update_details', archived)).toBe('archived');
		expect(collabAccess(editor, archived)).toBe('view');
		expect(collabAccess(alice, archived)).toBe('view');
		expect(pieceActions(alice, archived)).toMatchObject({ view: true, delete: false, assign: false, comment: true, archive: false, restore: false });
		expect(pieceRefusal(alice, 'restore', archived)).toBe('role');
		expect(pieceRefusal(bob, 'delete', archived)).toBe('hidden');
	});

	it('lets the owner view, edit and change details but not delete', () => {
		expect(pieceActions(alice, piece())).toEqual({ view: true, edit_text: true, replace_text: true, update_details: true, change_review_state: true, delete: false, assign: false, comment: true, archive: false, restore: false, save_version: true, restore_version: true });
	});

	it('hides a piece from a contributor who is neither its owner nor assigned', () => {
		expect(pieceActions(bob, piece())).toEqual({ view: false, edit_text: false, replace_text: false, update_details: false, change_review_state: false, delete: false, assign: false, comment: false, archive: false, restore: false, save_version: false, restore_version: false });
		expect(collabAccess(bob, piece())).toBe('none');
	});

	it('gives an assigned author, reviewer and viewer their own rights', () => {
		expect(pieceActions(bob, piece({ assignmentRoles: ['author'] }))).toMatchObject({ view: true, edit_text: true, update_details: true, delete: false });
		expect(pieceActions(bob, piece({ assignmentRoles: ['reviewer'] }))).toMatchObject({ view: true, edit_text: true, update_details: false, change_review_state: false });
		expect(pieceActions(bob, piece({ assignmentRoles: ['viewer'] }))).toMatchObject({ view: true, edit_text: false, update_details: false });
		expect(collabAccess(bob, piece({ assignmentRoles: ['viewer'] }))).toBe('view');
		expect(collabAccess(bob, piece({ assignmentRoles: ['reviewer'] }))).toBe('edit');
	});

	it('a contributor assigned only to sections views the piece and writes only in them: no whole-text import, details or review moves', () => {
		const sectionAuthor = piece({ sectionIds: ['sec-b', 'sec-a'] });
		expect(pieceActions(bob, sectionAuthor)).toEqual({ view: true, edit_text: true, replace_text: false, update_details: false, change_review_state: false, delete: false, assign: false, comment: true, archive: false, restore: false, save_version: true, restore_version: false });
		expect(pieceRefusal(bob, 'replace_text', sectionAuthor)).toBe('role');
		expect(collabAccess(bob, sectionAuthor)).toBe('edit');
		expect(collabSections(bob, sectionAuthor)).toEqual(['sec-a', 'sec-b']);
		expect(reviewMove(bob, sectionAuthor, 'in_review')).toMatchObject({ ok: false, refusal: 'role' });
		// a whole-piece viewer assignment beside it changes nothing to where they write
		expect(collabSections(bob, piece({ assignmentRoles: ['viewer'], sectionIds: ['sec-a'] }))).toEqual(['sec-a']);
		// a whole-piece right, the owner's or the editor's are never restricted
		expect(collabSections(bob, piece({ assignmentRoles: ['author'], sectionIds: ['sec-a'] }))).toBeNull();
		expect(collabSections(alice, piece({ sectionIds: ['sec-a'] }))).toBeNull();
		expect(collabSections(editor, piece({ sectionIds: ['sec-a'] }))).toBeNull();
		// locked: read-only like everyone
		expect(collabAccess(bob, piece({ reviewState: 'approved', sectionIds: ['sec-a'] }))).toBe('view');
		expect(collabSections(bob, piece({ reviewState: 'approved', sectionIds: ['sec-a'] }))).toBeNull();
	});

	it.each(['approved', 'published'] as ReviewState[])('locks the text of a %s piece for everyone, the editor included', (reviewState) => {
		const locked = piece({ reviewState, assignmentRoles: [] });
		expect(canPiece(editor, 'edit_text', locked)).toBe(false);
		expect(canPiece(alice, 'edit_text', locked)).toBe(false);
		expect(canPiece(bob, 'edit_text', piece({ reviewState, assignmentRoles: ['author'] }))).toBe(false);
		// details and authors are locked too, for the editor and the author alike
		expect(canPiece(editor, 'update_details', locked)).toBe(false);
		expect(canPiece(alice, 'update_details', locked)).toBe(false);
		expect(pieceRefusal(editor, 'update_details', locked)).toBe('locked');
		expect(pieceRefusal(alice, 'edit_text', locked)).toBe('locked');
		expect(pieceActions(alice, locked)).toMatchObject({ view: true, edit_text: false, update_details: false });
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
		expect(pieceActions(null, piece())).toEqual({ view: false, edit_text: false, replace_text: false, update_details: false, change_review_state: false, delete: false, assign: false, comment: false, archive: false, restore: false, save_version: false, restore_version: false });
		expect(collabAccess(null, piece())).toBe('none');
	});
});

describe('versions', () => {
	it('lets whoever writes in the text or moves it through review save a version, locked or not, and never a viewer', () => {
		expect(canPiece(bob, 'save_version', piece({ assignmentRoles: ['reviewer'] }))).toBe(true);
		expect(canPiece(bob, 'save_version', piece({ sectionIds: ['h1'] }))).toBe(true);
		expect(canPiece(alice, 'save_version', piece({ reviewState: 'approved' }))).toBe(true);
		expect(pieceRefusal(bob, 'save_version', piece({ assignmentRoles: ['viewer'] }))).toBe('role');
	});
	it('lets only the editor and the piece’s authors restore a version, and nobody while it is locked or archived', () => {
		expect(canPiece(editor, 'restore_version', piece())).toBe(true);
		expect(canPiece(bob, 'restore_version', piece({ assignmentRoles: ['author'] }))).toBe(true);
		expect(pieceRefusal(bob, 'restore_version', piece({ assignmentRoles: ['reviewer'] }))).toBe('role');
		expect(pieceRefusal(bob, 'restore_version', piece({ sectionIds: ['h1'] }))).toBe('role');
		expect(pieceRefusal(editor, 'restore_version', piece({ reviewState: 'published' }))).toBe('locked');
		expect(pieceRefusal(alice, 'restore_version', piece({ archived: true }))).toBe('archived');
	});
});

describe('pieceRefusal', () => {
	it('tells hidden (404) from a role that never may (403) from the lock (409)', () => {
		expect(pieceRefusal(bob, 'update_details', piece({ reviewState: 'published' }))).toBe('hidden');
		expect(pieceRefusal(bob, 'update_details', piece({ assignmentRoles: ['viewer'] }))).toBe('role');
		expect(pieceRefusal(bob, 'update_details', piece({ reviewState: 'approved', assignmentRoles: ['viewer'] }))).toBe('role');
		expect(pieceRefusal(alice, 'delete', piece({ reviewState: 'approved' }))).toBe('role');
		expect(pieceRefusal(bob, 'update_details', piece({ reviewState: 'approved', assignmentRoles: ['author'] }))).toBe('locked');
		expect(pieceRefusal(editor, 'change_review_state', piece({ reviewState: 'published' }))).toBeNull();
		expect(pieceRefusal(null, 'view', piece())).toBe('hidden');
	});
});

describe('reviewMove', () => {
	it('refuses an author the editor’s moves as their role’s (403): approve, request changes, publish, reopen', () => {
		const inReview = piece({ reviewState: 'in_review' });
		for (const to of ['approved', 'changes_requested', 'published'] as const) {
			expect(reviewMove(alice, inReview, to)).toMatchObject({ ok: false, refusal: 'role' });
		}
		expect(reviewMove(alice, piece({ reviewState: 'approved' }), 'draft')).toMatchObject({ ok: false, refusal: 'role' });
		expect(reviewMove(alice, piece({ reviewState: 'published' }), 'draft')).toMatchObject({ ok: false, refusal: 'role' });
	});

	it('refuses an author’s own move from the wrong state as the state’s (409), listing the moves they may make', () => {
		const res = reviewMove(alice, piece({ reviewState: 'in_review' }), 'in_review');
		expect(res).toMatchObject({ ok: false, refusal: 'state', allowed: ['draft'] });
		expect(reviewMove(alice, piece({ reviewState: 'approved' }), 'in_review')).toMatchObject({ ok: false, refusal: 'state', allowed: [] });
	});

	it('lets the editor make every move and refuses only by state', () => {
		expect(reviewMove(editor, piece({ reviewState: 'in_review' }), 'approved')).toEqual({ ok: true });
		expect(reviewMove(editor, piece({ reviewState: 'draft' }), 'published')).toMatchObject({ ok: false, refusal: 'state' });
		expect(reviewMove(alice, piece({ reviewState: 'draft' }), 'in_review')).toEqual({ ok: true });
		expect(reviewMove(bob, piece({ reviewState: 'draft', assignmentRoles: ['reviewer'] }), 'in_review')).toMatchObject({ ok: false, refusal: 'role' });
	});
});

describe('canSource', () => {
	it('lets everyone read and add sources, and only the editor edit or merge them', () => {
		for (const action of ['list', 'create'] as const) {
			expect(canSource(alice, action)).toBe(true);
			expect(canSource(editor, action)).toBe(true);
		}
		for (const action of ['update', 'merge'] as const) {
			expect(canSource(alice, action)).toBe(false);
			expect(canSource(editor, action)).toBe(true);
		}
		expect(canSource(null, 'list')).toBe(false);
	});
});

describe('tokens and e-mail addresses', () => {
	const dialect = new PgDialect();

	it('lets only its owner manage a token, the editor included, in the predicate and in SQL', () => {
		expect(canManageToken(alice, { userId: 'alice' })).toBe(true);
		expect(canManageToken(editor, { userId: 'alice' })).toBe(false);
		expect(canManageToken(null, { userId: 'alice' })).toBe(false);
		expect(dialect.sqlToQuery(manageableTokens(editor))).toMatchObject({ sql: '"api_tokens"."user_id" = $1', params: ['ed'] });
		expect(dialect.sqlToQuery(manageableTokens(null)).sql).toBe('false');
	});

	it('shows a contributor only their own e-mail address, and the editor everyone’s', () => {
		expect(canSeeEmail(alice, { id: 'alice' })).toBe(true);
		expect(canSeeEmail(alice, { id: 'bob' })).toBe(false);
		expect(canSeeEmail(editor, { id: 'bob' })).toBe(true);
		expect(canSeeEmail(null, { id: 'bob' })).toBe(false);
	});
});

describe('visiblePieces', () => {
	const dialect = new PgDialect();
	it('is one condition: every piece for the editor, created-by-me or assigned-to-me for others, nothing for nobody', () => {
		expect(dialect.sqlToQuery(visiblePieces(editor)).sql).toBe('true');
		expect(dialect.sqlToQuery(visiblePieces(null)).sql).toBe('false');
		const mine = dialect.sqlToQuery(visiblePieces(alice));
		expect(mine.sql).toMatch(/"pieces"."created_by" = \$1 or "pieces"."id" in \(select .* from "assignments" where/);
		expect(mine.params).toEqual(['alice', 'alice']);
	});
});

describe('assigning and commenting', () => {
	it('lets only the editor assign, on a locked piece too; anyone else who may see the piece is refused for their role', () => {
		for (const state of REVIEW_STATES) expect(canPiece(editor, 'assign', piece({ reviewState: state }))).toBe(true);
		for (const roles of [[], ['author'], ['reviewer'], ['viewer']] as PieceSubject['assignmentRoles'][]) {
			const subject = piece({ createdBy: roles.length ? 'someone' : 'alice', assignmentRoles: roles });
			expect(pieceRefusal(alice, 'assign', subject)).toBe('role');
		}
		expect(pieceRefusal(bob, 'assign', piece())).toBe('hidden');
	});

	it('lets everyone who may view the piece comment (viewers too, locked pieces too), and nobody else', () => {
		for (const role of ['author', 'reviewer', 'viewer'] as const) {
			expect(canPiece(bob, 'comment', piece({ assignmentRoles: [role], reviewState: 'published' }))).toBe(true);
		}
		expect(canPiece(alice, 'comment', piece())).toBe(true);
		expect(canPiece(editor, 'comment', piece())).toBe(true);
		expect(pieceRefusal(bob, 'comment', piece())).toBe('hidden');
		expect(canPiece(null, 'comment', piece())).toBe(false);
	});
});

describe('canComment', () => {
	const viewerPiece = piece({ reviewState: 'approved', assignmentRoles: ['viewer'] });
	const bobsThread = { authorId: 'bob', parentId: null };
	const alicesReply = { authorId: 'alice', parentId: 't1' };
	it('lets the author alone edit a comment, the author or the editor delete it, on a locked piece too', () => {
		expect(commentActions(bob, viewerPiece, bobsThread)).toEqual({ edit: true, delete: true, resolve: true, reply: true });
		expect(commentActions(alice, viewerPiece, bobsThread)).toEqual({ edit: false, delete: false, resolve: true, reply: true });
		expect(commentActions(editor, viewerPiece, bobsThread)).toEqual({ edit: false, delete: true, resolve: true, reply: true });
	});
	it('resolves and answers threads only, never a reply', () => {
		expect(commentActions(alice, piece(), alicesReply)).toEqual({ edit: true, delete: true, resolve: false, reply: false });
	});
	it('allows nothing to someone who may not see the piece', () => {
		expect(commentActions(bob, piece(), bobsThread)).toEqual({ edit: false, delete: false, resolve: false, reply: false });
		expect(canComment(null, 'reply', piece(), bobsThread)).toBe(false);
	});
});

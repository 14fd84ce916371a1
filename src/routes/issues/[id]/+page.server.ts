import { error, type RequestEvent } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { requireUser } from '$lib/server/guards';
import { canGlobal } from '$lib/server/policies';
import { getBoard } from '$lib/server/queries/issues';
import { listPieces } from '$lib/server/queries/piece-list';
import { ListPiecesQuery } from '$lib/server/api/contract';
import { field, refuse, submitToApi } from '$lib/server/api/form-action';
import { keyboardMove, type Board, type BoardPiece } from '$lib/domain/board';
import type { PieceKind } from '$lib/domain/pieces';
import { PATCH as updateIssue } from '../../api/issues/[id]/+server';
import { POST as createSection } from '../../api/issues/[id]/sections/+server';
import { PATCH as updateSection, DELETE as removeSection } from '../../api/sections/[id]/+server';
import { PATCH as updatePiece } from '../../api/pieces/[id]/+server';
import type { Actions, PageServerLoad } from './$types';

const shownPiece = (piece: BoardPiece): BoardPiece => ({
	...piece,
	assignments: piece.assignments.map(({ id, userId, name, role, sectionId, dueOn, wordTarget, detached }) => ({ id, userId, name, role, sectionId, dueOn, wordTarget, detached }))
});

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const actor = requireUser(locals, url);
	if (!canGlobal(actor, 'view_issues')) error(403, 'You may not see the issues');
	const { db, config } = await galley();
	const board = await getBoard(db, actor, params.id, config.timeZone);
	if (!board) error(404, 'No such issue');
	// (what the editor may add is searched for in each section's picker: GET /api/pieces?issue=none)
	// The page's copy holds what the board shows (Board): who made an assignment and when are left out (the
	// page's data is embedded in its HTML, and a board has hundreds of assignments)
	const shown: Board = {
		...board,
		sections: board.sections.map((s) => ({ ...s, pieces: s.pieces.map(shownPiece) })),
		unplaced: board.unplaced.map(shownPiece)
	};
	return { board: JSON.parse(JSON.stringify(shown)) as Board };
};

/** The board's forms: each answers `{ said }` (what the live region announces) or a refusal (FormFailure). */
type Said = { form: string; said: string };

/** The pieces in no issue a picker offers without JavaScript (with it, the picker asks GET /api/pieces itself). */
export type Offered = { form: 'place'; section: string; q: string; pieces: { id: string; kind: PieceKind; title: string }[]; total: number };

const PICKER_LIMIT = 10;

/** Which section a form names: '' is the issue's pieces in no section. */
const sectionOf = (form: FormData) => field(form, 'section') || null;

async function place(event: RequestEvent, form: FormData, piece: string, placing: { issueId: string | null; sectionId?: string | null; position?: number }) {
	return submitToApi<{ piece: { title: string } }>(event, updatePiece, placing, { method: 'PATCH', params: { id: piece }, form });
}

export const actions: Actions = {
	/** A new section at the end (POST /api/issues/{id}/sections). */
	addSection: async (event) => {
		const form = await event.request.formData();
		const answer = await submitToApi<{ section: { title: string } }>(event, createSection, { title: field(form, 'title') }, { form });
		if (!('ok' in answer)) return answer;
		return { form: 'addSection', said: `Added the section ${answer.data.section.title}` } satisfies Said;
	},

	/** Rename a section (`was`: its title as the board showed it, for the announcement). */
	renameSection: async (event) => {
		const form = await event.request.formData();
		const id = field(form, 'section');
		const answer = await submitToApi<{ section: { title: string } }>(event, updateSection, { title: field(form, 'title') }, { method: 'PATCH', params: { id }, form });
		if (!('ok' in answer)) return answer;
		return { form: 'renameSection', said: `Renamed the section ${field(form, 'was')} to ${answer.data.section.title}` } satisfies Said;
	},

	/** Move a section to `position` (from 0). */
	moveSection: async (event) => {
		const form = await event.request.formData();
		const id = field(form, 'section');
		const answer = await submitToApi<{ section: { title: string; position: number } }>(event, updateSection, { position: Number(field(form, 'position')) }, { method: 'PATCH', params: { id }, form });
		if (!('ok' in answer)) return answer;
		const { title, position } = answer.data.section;
		return { form: 'moveSection', said: `Moved the section ${title} to position ${position + 1}` } satisfies Said;
	},

	/** Delete a section: its pieces stay in the issue, in no section. */
	deleteSection: async (event) => {
		const form = await event.request.formData();
		const answer = await submitToApi(event, removeSection, undefined, { method: 'DELETE', params: { id: field(form, 'section') }, form });
		if (!('ok' in answer)) return answer;
		return { form: 'deleteSection', said: `Deleted the section ${field(form, 'was')}; its pieces are now in no section` } satisfies Said;
	},

	/**
	 * A section's picker: `piece` goes to the end of `section` (`where`: the section's title, for the
	 * announcement). Without a piece (the picker's text sent without JavaScript), the pieces in no issue
	 * matching `q` come back to be offered.
	 */
	place: async (event) => {
		const form = await event.request.formData();
		const piece = field(form, 'piece');
		if (!piece) {
			const actor = requireUser(event.locals, event.url);
			if (!canGlobal(actor, 'plan_issues')) return refuse(form, 403, null, 'Only the editor plans an issue');
			const q = field(form, 'q').trim();
			const { db, config } = await galley();
			const query = ListPiecesQuery.safeParse({ issue: 'none', limit: PICKER_LIMIT, ...(q ? { q } : {}) });
			if (!query.success) return refuse(form, 400, 'q', query.error.issues[0].message);
			const list = await listPieces(db, actor, query.data, config.timeZone);
			const pieces = list.pieces.map((p) => ({ id: p.id, kind: p.kind, title: p.title }));
			return { form: 'place', section: field(form, 'section'), q, pieces, total: list.total } satisfies Offered;
		}
		const answer = await place(event, form, piece, { issueId: event.params.id, sectionId: sectionOf(form) });
		if (!('ok' in answer)) return answer;
		return { form: 'place', said: `Added “${answer.data.piece.title}” to ${field(form, 'where')}` } satisfies Said;
	},

	/** Move a piece (`up` or `down`: its id) one place, into the next section at an end. */
	move: async (event) => {
		const form = await event.request.formData();
		const way = field(form, 'up') ? 'up' : 'down';
		const piece = field(form, way);
		const actor = requireUser(event.locals, event.url);
		const { db, config } = await galley();
		const board = await getBoard(db, actor, event.params.id, config.timeZone);
		if (!board) error(404, 'No such issue');
		const zones = [...board.sections.map((s) => ({ key: s.id as string | null, title: s.title, ids: s.pieces.map((p) => p.id) })), { key: null, title: 'Not in a section', ids: board.unplaced.map((p) => p.id) }];
		const target = keyboardMove(zones, piece, way === 'up' ? -1 : 1);
		if (!target) return refuse(form, 422, null, zones.some((z) => z.ids.includes(piece)) ? `That piece is already ${way === 'up' ? 'first' : 'last'}` : 'That piece is not on this board');
		const answer = await place(event, form, piece, { issueId: event.params.id, sectionId: target.key, position: target.position });
		if (!('ok' in answer)) return answer;
		const where = zones.find((z) => z.key === target.key)!.title;
		return { form: 'move', said: `Moved “${answer.data.piece.title}” to position ${target.position + 1} in ${where}` } satisfies Said;
	},

	/** Take a piece out of the issue. */
	remove: async (event) => {
		const form = await event.request.formData();
		const answer = await place(event, form, field(form, 'piece'), { issueId: null });
		if (!('ok' in answer)) return answer;
		return { form: 'remove', said: `Removed “${answer.data.piece.title}” from the issue` } satisfies Said;
	},

	/** The masthead: publication, tagline, volume, number, date (PATCH /api/issues/{id}). */
	details: async (event) => {
		const form = await event.request.formData();
		const number = (name: string) => (field(form, name).trim() === '' ? null : Number(field(form, name)));
		const body = {
			publication: field(form, 'publication'),
			tagline: field(form, 'tagline').trim() || null,
			volume: number('volume'),
			number: number('number'),
			date: field(form, 'date') || null
		};
		const answer = await submitToApi(event, updateIssue, body, { method: 'PATCH', form });
		if (!('ok' in answer)) return answer;
		return { form: 'details', said: 'Saved the issue’s details' } satisfies Said;
	}
};

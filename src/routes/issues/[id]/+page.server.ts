import { error } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { requireUser } from '$lib/server/guards';
import { canGlobal } from '$lib/server/policies';
import { getBoard } from '$lib/server/queries/issues';
import type { Board, BoardPiece } from '$lib/domain/board';
import type { PageServerLoad } from './$types';

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

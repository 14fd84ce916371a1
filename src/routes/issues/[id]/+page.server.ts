import { error } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { requireUser } from '$lib/server/guards';
import { canGlobal } from '$lib/server/policies';
import { getBoard } from '$lib/server/queries/issues';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const actor = requireUser(locals, url);
	if (!canGlobal(actor, 'view_issues')) error(403, 'You may not see the issues');
	const { db, config } = await galley();
	const board = await getBoard(db, actor, params.id, config.timeZone);
	if (!board) error(404, 'No such issue');
	// what the editor may add to the board is searched for in each section's picker (GET /api/pieces?issue=none)
	return { board: JSON.parse(JSON.stringify(board)) as typeof board };
};

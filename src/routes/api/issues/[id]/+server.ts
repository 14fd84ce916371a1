import { json } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { apiError, readJson, requireActor, route } from '$lib/server/api/http';
import { UpdateIssueBody } from '$lib/server/api/contract';
import { requireCalendarDay, requirePlanner } from '$lib/server/api/issues';
import { canGlobal } from '$lib/server/policies';
import { updateIssue } from '$lib/server/commands/issues';
import { getBoard, getIssue } from '$lib/server/queries/issues';
import { announceBoardChanged } from '$lib/server/live/announce';
import type { RequestHandler } from './$types';

/**
 * The board: the issue, its sections in order with their pieces in order, and its pieces in no section
 * (`unplaced`). Everyone signed in sees the issue and its sections; only the pieces they may see.
 */
export const GET: RequestHandler = route(async ({ locals, params }) => {
	const actor = requireActor(locals);
	if (!canGlobal(actor, 'view_issues')) return apiError(403, 'You may not see the issues');
	const { db, config } = await galley();
	const board = await getBoard(db, actor, params.id, config.timeZone);
	if (!board) return apiError(404, 'No such issue');
	return json(board);
});

/** Change the issue's publication, tagline, volume, number or date (the editor only). */
export const PATCH: RequestHandler = route(async ({ locals, params, request }) => {
	const actor = requireActor(locals);
	requirePlanner(actor);
	const body = await readJson(request, UpdateIssueBody);
	requireCalendarDay(body.date);
	const { db, feed } = await galley();
	if (!(await updateIssue(db, params.id, body))) return apiError(404, 'No such issue');
	announceBoardChanged(feed, params.id);
	return json({ issue: await getIssue(db, params.id) });
});

import { json } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { apiError, readJson, requireActor, route } from '$lib/server/api/http';
import { CreateIssueBody } from '$lib/server/api/contract';
import { requireCalendarDay, requirePlanner } from '$lib/server/api/issues';
import { canGlobal } from '$lib/server/policies';
import { createIssue } from '$lib/server/commands/issues';
import { getIssue, listIssues } from '$lib/server/queries/issues';
import type { RequestHandler } from './$types';

/** Every issue, newest first, and `next`: the publication, tagline, volume and number offered for the next issue. */
export const GET: RequestHandler = route(async ({ locals }) => {
	const actor = requireActor(locals);
	if (!canGlobal(actor, 'view_issues')) return apiError(403, 'You may not see the issues');
	const { db } = await galley();
	return json({ ...(await listIssues(db)), actions: { plan: canGlobal(actor, 'plan_issues') } });
});

/** Create an issue (the editor only), with its sections in order when `sections` names them. */
export const POST: RequestHandler = route(async ({ locals, request }) => {
	const actor = requireActor(locals);
	requirePlanner(actor);
	const body = await readJson(request, CreateIssueBody);
	requireCalendarDay(body.date);
	const { db } = await galley();
	const id = await createIssue(db, body);
	return json({ issue: await getIssue(db, id) }, { status: 201 });
});

import { json } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { apiError, readJson, requireActor, route } from '$lib/server/api/http';
import { UpdateSectionBody } from '$lib/server/api/contract';
import { requirePlanner } from '$lib/server/api/issues';
import { deleteSection, updateSection } from '$lib/server/commands/issues';
import { announceBoardChanged } from '$lib/server/live/announce';
import type { RequestHandler } from './$types';

/** Rename a section or move it (the other sections shift; positions stay 0..n-1). The editor only. */
export const PATCH: RequestHandler = route(async ({ locals, params, request }) => {
	const actor = requireActor(locals);
	requirePlanner(actor);
	const body = await readJson(request, UpdateSectionBody);
	const { db, feed } = await galley();
	const section = await updateSection(db, params.id, body);
	if (!section) return apiError(404, 'No such section');
	announceBoardChanged(feed, section.issueId);
	return json({ section });
});

/** Delete a section: its pieces stay in the issue, in no section (unplaced). The editor only. */
export const DELETE: RequestHandler = route(async ({ locals, params }) => {
	const actor = requireActor(locals);
	requirePlanner(actor);
	const { db, feed } = await galley();
	const issueId = await deleteSection(db, params.id);
	if (!issueId) return apiError(404, 'No such section');
	announceBoardChanged(feed, issueId);
	return json({ ok: true, issueId });
});

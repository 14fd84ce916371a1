import { json } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { apiError, readJson, requireActor, route } from '$lib/server/api/http';
import { CreateSectionBody } from '$lib/server/api/contract';
import { requirePlanner } from '$lib/server/api/issues';
import { addSection } from '$lib/server/commands/issues';
import { announceBoardChanged } from '$lib/server/live/announce';
import type { RequestHandler } from './$types';

/** Append a section to the table of contents (the editor only). */
export const POST: RequestHandler = route(async ({ locals, params, request }) => {
	const actor = requireActor(locals);
	requirePlanner(actor);
	const body = await readJson(request, CreateSectionBody);
	const { db, feed } = await galley();
	const section = await addSection(db, params.id, body.title);
	if (!section) return apiError(404, 'No such issue');
	announceBoardChanged(feed, params.id);
	return json({ section }, { status: 201 });
});

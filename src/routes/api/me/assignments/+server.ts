import { json } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { requireActor, route } from '$lib/server/api/http';
import { myAssignments } from '$lib/server/queries/assignments';
import type { RequestHandler } from './$types';

/** The caller's assignments: what waits for them first, then late ones, then by due day (docs/api.md). */
export const GET: RequestHandler = route(async ({ locals }) => {
	const actor = requireActor(locals);
	const { db, config } = await galley();
	return json({ assignments: await myAssignments(db, actor, config.timeZone), timeZone: config.timeZone }, { headers: { 'cache-control': 'no-store' } });
});

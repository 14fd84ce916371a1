import { json } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { apiError, requireActor, route } from '$lib/server/api/http';
import { canGlobal } from '$lib/server/policies';
import { listPeopleAudit } from '$lib/server/commands/people-audit';
import type { RequestHandler } from './$types';

/** What was done to people and invites, newest first (the editor). */
export const GET: RequestHandler = route(async ({ locals }) => {
	const actor = requireActor(locals);
	if (!canGlobal(actor, 'read_people_audit')) return apiError(403, 'Only the editor reads the people audit');
	const { db } = await galley();
	return json({ events: await listPeopleAudit(db) });
});

import { json } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { apiError, readJson, requireActor, route } from '$lib/server/api/http';
import { ContributorBody } from '$lib/server/api/contract';
import { getContributor, piecesAuthoredBy } from '$lib/server/queries/contributors';
import { updateContributor } from '$lib/server/commands/contributors';
import { canEditProfile } from '$lib/server/policies';
import type { RequestHandler } from './$types';

/** Edit a profile: its own person, or the editor. Pieces show the new bio unless they override it (open pages at once). */
export const PATCH: RequestHandler = route(async ({ locals, params, request }) => {
	const actor = requireActor(locals);
	const { db, collab } = await galley();
	const profile = await getContributor(db, params.id);
	if (!profile) return apiError(404, 'No such contributor');
	if (!canEditProfile(actor, profile)) return apiError(403, 'You may edit only your own profile');
	const body = await readJson(request, ContributorBody);
	const contributor = await updateContributor(db, params.id, body);
	// the pages open on pieces this person is an author of show the new name, affiliation and bio
	for (const pieceId of await piecesAuthoredBy(db, params.id)) await collab.detailsChanged(pieceId);
	return json({ contributor });
});

import { json } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import { galley } from '$lib/server/runtime';
import { apiError, readJson, requireActor, route } from '$lib/server/api/http';
import { ContributorBody } from '$lib/server/api/contract';
import { contributors } from '$lib/server/db/schema';
import { bioFromText, bioToText, contributorColumns, piecesAuthoredBy } from '$lib/server/queries/contributors';
import { canEditProfile } from '$lib/server/policies';
import type { RequestHandler } from './$types';

/** Edit a profile: its own person, or the editor. Pieces show the new bio unless they override it (open pages at once). */
export const PATCH: RequestHandler = route(async ({ locals, params, request }) => {
	const actor = requireActor(locals);
	const { db, collab } = await galley();
	const [profile] = await db.select(contributorColumns).from(contributors).where(eq(contributors.id, params.id)).limit(1);
	if (!profile) return apiError(404, 'No such contributor');
	if (!canEditProfile(actor, profile)) return apiError(403, 'You may edit only your own profile');
	const body = await readJson(request, ContributorBody);
	const [row] = await db
		.update(contributors)
		.set({
			...(body.name !== undefined ? { name: body.name } : {}),
			...(body.affiliation !== undefined ? { affiliation: body.affiliation } : {}),
			...(body.bio !== undefined ? { bio: bioFromText(body.bio) } : {})
		})
		.where(eq(contributors.id, params.id))
		.returning(contributorColumns);
	// the pages open on pieces this person is an author of show the new name, affiliation and bio
	for (const pieceId of await piecesAuthoredBy(db, params.id)) await collab.detailsChanged(pieceId);
	return json({ contributor: { id: row.id, userId: row.userId, name: row.name, affiliation: row.affiliation, bio: bioToText(row.bio) } });
});

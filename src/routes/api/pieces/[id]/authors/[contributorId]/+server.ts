import { galley } from '$lib/server/runtime';
import { readJson, requireActor, route } from '$lib/server/api/http';
import { PieceAuthorBioBody } from '$lib/server/api/contract';
import { authorizePiece, authorsChangeAnswer, expectedDetailsVersion } from '$lib/server/api/pieces';
import { removePieceAuthor, setAuthorBio } from '$lib/server/commands/pieces';
import type { RequestHandler } from './$types';

/**
 * Write this author's bio for this piece (null: the profile's again). With `version` (or If-Match),
 * refused with 409 and the current list when the details changed since. 404 when they are not an author.
 */
export const PATCH: RequestHandler = route(async ({ locals, params, request }) => {
	const actor = requireActor(locals);
	const { db, collab, feed } = await galley();
	await authorizePiece(db, actor, params.id, 'update_details');
	const body = await readJson(request, PieceAuthorBioBody);
	const outcome = await setAuthorBio(db, params.id, params.contributorId, body.bioOverride, expectedDetailsVersion(request, body.version));
	return authorsChangeAnswer(db, { collab, feed }, params.id, outcome);
});

/** Remove this author; the others keep their order. Not an author (removed meanwhile): 200, nothing changes. */
export const DELETE: RequestHandler = route(async ({ locals, params, request }) => {
	const actor = requireActor(locals);
	const { db, collab, feed } = await galley();
	await authorizePiece(db, actor, params.id, 'update_details');
	const outcome = await removePieceAuthor(db, params.id, params.contributorId, expectedDetailsVersion(request, undefined));
	return authorsChangeAnswer(db, { collab, feed }, params.id, outcome);
});

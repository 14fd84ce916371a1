import { json } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { apiError, readJson, requireActor, route } from '$lib/server/api/http';
import { UpdatePieceBody } from '$lib/server/api/contract';
import { authorizePiece, detailsETag, detailsRefusal, expectedDetailsVersion } from '$lib/server/api/pieces';
import { getPieceFor } from '$lib/server/queries/pieces';
import { deleteArchivedPiece, updatePieceDetails } from '$lib/server/commands/pieces';
import { announcePieceChange } from '$lib/server/live/piece-events';
import type { RequestHandler } from './$types';

/** The piece, with `detailsVersion` (also the ETag) to name in a change of its details. */
export const GET: RequestHandler = route(async ({ locals, params }) => {
	const actor = requireActor(locals);
	const { db } = await galley();
	await authorizePiece(db, actor, params.id, 'view');
	const piece = await getPieceFor(db, actor, params.id);
	return json({ piece }, { headers: piece ? { etag: detailsETag(piece.detailsVersion) } : {} });
});

/**
 * Change the title or kind. With `version` (or If-Match), refused with 409 and the current piece when
 * the details changed since. Every open page of the piece is told (docs/protocol.md, the `piece` notice).
 */
export const PATCH: RequestHandler = route(async ({ locals, params, request }) => {
	const actor = requireActor(locals);
	const { db, collab, feed } = await galley();
	await authorizePiece(db, actor, params.id, 'update_details');
	const { version, ...patch } = await readJson(request, UpdatePieceBody);
	const outcome = await updatePieceDetails(db, params.id, patch, expectedDetailsVersion(request, version));
	const refused = detailsRefusal(outcome, async () => ({ piece: await getPieceFor(db, actor, params.id) }));
	if (refused) return refused;
	await collab.detailsChanged(params.id);
	const piece = await getPieceFor(db, actor, params.id);
	if (piece && outcome.outcome === 'changed') announcePieceChange(feed, params.id, piece.issueId);
	return json({ piece }, { headers: piece ? { etag: detailsETag(piece.detailsVersion) } : {} });
});

/**
 * The editor deletes an archived piece with its document and everything of it: 204. 409 for a piece
 * that is not archived (archive it first), 403 for anyone but the editor, 404 for no such piece. Open
 * connections to it are closed (4003), lists and its issue's board hear it.
 */
export const DELETE: RequestHandler = route(async ({ locals, params }) => {
	const actor = requireActor(locals);
	const { db, collab, feed } = await galley();
	await authorizePiece(db, actor, params.id, 'delete');
	const result = await deleteArchivedPiece(db, params.id);
	if (result.outcome !== 'deleted') {
		return result.outcome === 'missing' ? apiError(404, 'No such piece') : apiError(409, 'Only an archived piece can be deleted: archive it first');
	}
	await collab.rightsChanged(params.id);
	announcePieceChange(feed, params.id, result.issueId);
	return new Response(null, { status: 204 });
});

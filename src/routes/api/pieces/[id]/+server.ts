import { json } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { apiError, readJson, requireActor, route } from '$lib/server/api/http';
import { UpdatePieceBody } from '$lib/server/api/contract';
import { authorizePiece, detailsETag, detailsRefusal, expectedDetailsVersion } from '$lib/server/api/pieces';
import { requirePlanner } from '$lib/server/api/issues';
import { getPieceFor } from '$lib/server/queries/pieces';
import { deleteArchivedPiece, updatePieceDetails } from '$lib/server/commands/pieces';
import { placePiece } from '$lib/server/commands/placing';
import { sectionIssue } from '$lib/server/commands/issues';
import { getIssue } from '$lib/server/queries/issues';
import { announceBoardChanged, announcePieceChanged } from '$lib/server/live/announce';
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
 * Change the title or kind, and/or place the piece in an issue's table of contents (`issueId`, `sectionId`,
 * `position`: the editor only, whatever the piece's review state). Details: with `version` (or If-Match),
 * refused with 409 and the current piece when the details changed since; every open page of the piece is
 * told (docs/protocol.md, the `piece` notice). Placing needs no version. A placing that names an unknown
 * issue or a section of another issue is refused (422) before anything changes.
 */
export const PATCH: RequestHandler = route(async ({ locals, params, request }) => {
	const actor = requireActor(locals);
	const { db, collab, feed } = await galley();
	// a piece the caller may not see answers 404 whatever the body (its existence is not confirmed)
	await authorizePiece(db, actor, params.id, 'view');
	const { version, issueId, sectionId, position, ...details } = await readJson(request, UpdatePieceBody);
	const placing = issueId !== undefined || sectionId !== undefined || position !== undefined;
	const detailsToo = details.title !== undefined || details.kind !== undefined;
	if (placing) {
		requirePlanner(actor);
		// checked before any change, so a refused placing leaves the details unchanged too
		if (issueId && !(await getIssue(db, issueId))) return apiError(422, 'issueId: no such issue', 'issueId');
		if (sectionId && issueId !== undefined && (await sectionIssue(db, sectionId)) !== issueId) return apiError(422, 'sectionId: not a section of this issue', 'sectionId');
	}
	if (detailsToo) {
		await authorizePiece(db, actor, params.id, 'update_details');
		const outcome = await updatePieceDetails(db, params.id, details, expectedDetailsVersion(request, version));
		const refused = detailsRefusal(outcome, async () => ({ piece: await getPieceFor(db, actor, params.id) }));
		if (refused) return refused;
		await collab.detailsChanged(params.id);
	}
	if (placing) {
		const placed = await placePiece(db, params.id, { issueId, sectionId, position });
		if (placed.outcome === 'missing_piece') return apiError(404, 'No such piece');
		if (placed.outcome === 'invalid') return apiError(422, placed.message, placed.field);
		for (const id of new Set([placed.from, placed.to])) if (id) announceBoardChanged(feed, id);
	}
	await announcePieceChanged(feed, db, params.id);
	const piece = await getPieceFor(db, actor, params.id);
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
	announcePieceChange(feed, params.id, result.issueId); // the row is gone: announce with the issue it was in
	if (result.issueId) announceBoardChanged(feed, result.issueId);
	return new Response(null, { status: 204 });
});

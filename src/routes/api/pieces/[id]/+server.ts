import { json } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { readJson, requireActor, route } from '$lib/server/api/http';
import { UpdatePieceBody } from '$lib/server/api/contract';
import { authorizePiece, detailsETag, detailsRefusal, expectedDetailsVersion } from '$lib/server/api/pieces';
import { getPieceFor } from '$lib/server/queries/pieces';
import { updatePieceDetails } from '$lib/server/commands/pieces';
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
	const { db, collab } = await galley();
	await authorizePiece(db, actor, params.id, 'update_details');
	const { version, ...patch } = await readJson(request, UpdatePieceBody);
	const outcome = await updatePieceDetails(db, params.id, patch, expectedDetailsVersion(request, version));
	const refused = detailsRefusal(outcome, async () => ({ piece: await getPieceFor(db, actor, params.id) }));
	if (refused) return refused;
	await collab.detailsChanged(params.id);
	const piece = await getPieceFor(db, actor, params.id);
	return json({ piece }, { headers: piece ? { etag: detailsETag(piece.detailsVersion) } : {} });
});

import { galley } from '$lib/server/runtime';
import { apiError, readQuery, requireActor, route } from '$lib/server/api/http';
import { VersionContentQuery } from '$lib/server/api/contract';
import { authorizePiece } from '$lib/server/api/pieces';
import { contentResponse } from '$lib/server/api/content';
import { jsonFromYjsState } from '$lib/server/content/document';
import { pieceAuthorsOf } from '$lib/server/queries/contributors';
import { getPieceFor } from '$lib/server/queries/pieces';
import { getVersion } from '$lib/server/queries/versions';
import type { RequestHandler } from './$types';

/** A version's text, rendered exactly as GET /api/pieces/{id}/content renders the piece (same formats, same headers). */
export const GET: RequestHandler = route(async ({ locals, params, url }) => {
	const actor = requireActor(locals);
	const { format } = readQuery(url, VersionContentQuery);
	const { db } = await galley();
	await authorizePiece(db, actor, params.id, 'view');
	const [found, authors, piece] = await Promise.all([getVersion(db, params.id, params.versionId), pieceAuthorsOf(db, params.id), getPieceFor(db, actor, params.id)]);
	if (!found) return apiError(404, 'No such version of this piece');
	return contentResponse(jsonFromYjsState(found.state, params.id), format, authors.map((a) => a.bio).filter(Boolean), piece?.title ?? '');
});

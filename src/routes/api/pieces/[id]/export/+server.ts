import { galley } from '$lib/server/runtime';
import { apiError, readQuery, requireActor, route } from '$lib/server/api/http';
import { ExportQuery } from '$lib/server/api/contract';
import { authorizePiece } from '$lib/server/api/pieces';
import { pieceExport } from '$lib/server/api/export';
import { assemblePiece } from '$lib/server/queries/assembly';
import type { RequestHandler } from './$types';

/** The piece alone as Markdown, print HTML or PDF (docs/api.md "Exporting an issue or a piece"). */
export const GET: RequestHandler = route(async ({ locals, params, url }) => {
	const actor = requireActor(locals);
	const { db, collab, config } = await galley();
	// a piece the caller may not see is a 404 whatever the query, like an unknown one
	await authorizePiece(db, actor, params.id, 'view');
	const { format } = readQuery(url, ExportQuery);
	const piece = await assemblePiece(db, (id) => collab.readState(id), actor, params.id);
	if (!piece) return apiError(404, 'No such piece');
	return pieceExport(piece, format, config.chromiumPath);
});

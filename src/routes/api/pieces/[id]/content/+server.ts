import { galley } from '$lib/server/runtime';
import { readQuery, requireActor, route } from '$lib/server/api/http';
import { ContentQuery } from '$lib/server/api/contract';
import { authorizePiece } from '$lib/server/api/pieces';
import { jsonFromYjsState } from '$lib/server/content/document';
import { contentResponse } from '$lib/server/api/content';
import { pieceAuthorsOf } from '$lib/server/queries/contributors';
import { getPieceFor } from '$lib/server/queries/pieces';
import type { RequestHandler } from './$types';

/**
 * The piece's content rendered on the server from its Yjs state (live state when the piece is open).
 * Markdown and HTML are exports: downloaded as attachments, and sandboxed (no script, no same-origin) if a
 * browser shows them anyway, so an export never runs as a page of the app's origin. JSON is data for clients.
 */
export const GET: RequestHandler = route(async ({ locals, params, url }) => {
	const actor = requireActor(locals);
	const { format } = readQuery(url, ContentQuery);
	const { db, collab } = await galley();
	await authorizePiece(db, actor, params.id, 'view');
	const [state, authors, piece] = await Promise.all([collab.readState(params.id), pieceAuthorsOf(db, params.id), getPieceFor(db, actor, params.id)]);
	// Markdown and HTML end with the authors' bios, as the bulletin prints them; JSON is the document alone.
	return contentResponse(jsonFromYjsState(state, params.id), format, authors.map((a) => a.bio).filter(Boolean), piece?.title ?? '');
});

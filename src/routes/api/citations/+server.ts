import { json } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { readQuery, requireActor, route } from '$lib/server/api/http';
import { CitationsQuery } from '$lib/server/api/contract';
import { authorizePiece } from '$lib/server/api/pieces';
import { listCitations } from '$lib/server/queries/projections';
import type { RequestHandler } from './$types';

/** Citations across the pieces the caller may read ("every citation of Varesh Daily in this issue"). */
export const GET: RequestHandler = route(async ({ locals, url }) => {
	const actor = requireActor(locals);
	const query = readQuery(url, CitationsQuery);
	const { db } = await galley();
	if (query.pieceId) await authorizePiece(db, actor, query.pieceId, 'view');
	return json({ citations: await listCitations(db, actor, { pieceId: query.pieceId, issueId: query.issueId }, { source: query.source }) }, { headers: { 'cache-control': 'no-store' } });
});

import { json } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { readQuery, requireActor, route } from '$lib/server/api/http';
import { QaBlocksQuery } from '$lib/server/api/contract';
import { authorizePiece } from '$lib/server/api/pieces';
import { listQaBlocks } from '$lib/server/queries/projections';
import type { RequestHandler } from './$types';

/** Q&A turns across the interviews the caller may read ("all answers by AG"). */
export const GET: RequestHandler = route(async ({ locals, url }) => {
	const actor = requireActor(locals);
	const query = readQuery(url, QaBlocksQuery);
	const { db } = await galley();
	if (query.pieceId) await authorizePiece(db, actor, query.pieceId, 'view');
	return json({ qaBlocks: await listQaBlocks(db, actor, { pieceId: query.pieceId, issueId: query.issueId }, { speaker: query.speaker, role: query.role }) }, { headers: { 'cache-control': 'no-store' } });
});

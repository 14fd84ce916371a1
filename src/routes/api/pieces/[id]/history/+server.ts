import { json } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { requireActor, route } from '$lib/server/api/http';
import { authorizePiece } from '$lib/server/api/pieces';
import { pieceHistory } from '$lib/server/queries/history';
import type { RequestHandler } from './$types';

/** The piece's review moves and versions, newest first (docs/api.md, "Review and history"). */
export const GET: RequestHandler = route(async ({ locals, params }) => {
	const actor = requireActor(locals);
	const { db } = await galley();
	await authorizePiece(db, actor, params.id, 'view');
	return json({ history: await pieceHistory(db, params.id) });
});

import { json } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { ApiFailure, readJson, requireActor, route } from '$lib/server/api/http';
import { UpdatePieceBody } from '$lib/server/api/contract';
import { authorizePiece, lockedPiece } from '$lib/server/api/pieces';
import { getPieceFor } from '$lib/server/queries/pieces';
import { updatePieceDetails } from '$lib/server/commands/pieces';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = route(async ({ locals, params }) => {
	const actor = requireActor(locals);
	const { db } = await galley();
	await authorizePiece(db, actor, params.id, 'view');
	return json({ piece: await getPieceFor(db, actor, params.id) });
});

export const PATCH: RequestHandler = route(async ({ locals, params, request }) => {
	const actor = requireActor(locals);
	const { db } = await galley();
	await authorizePiece(db, actor, params.id, 'update_details');
	const body = await readJson(request, UpdatePieceBody);
	// locked since the check (approved meanwhile): nothing changed
	if (!(await updatePieceDetails(db, params.id, body))) throw new ApiFailure(lockedPiece());
	return json({ piece: await getPieceFor(db, actor, params.id) });
});

import { json } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { apiError, readJson, requireActor, route } from '$lib/server/api/http';
import { CreatePieceBody } from '$lib/server/api/contract';
import { canGlobal } from '$lib/server/policies';
import { getPieceFor, listPiecesFor } from '$lib/server/queries/pieces';
import { createPiece } from '$lib/server/commands/pieces';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = route(async ({ locals }) => {
	const actor = requireActor(locals);
	if (!canGlobal(actor, 'list_pieces')) return apiError(403, 'You may not list pieces');
	const { db } = await galley();
	return json({ pieces: await listPiecesFor(db, actor) });
});

export const POST: RequestHandler = route(async ({ locals, request }) => {
	const actor = requireActor(locals);
	if (!canGlobal(actor, 'create_piece')) return apiError(403, 'You may not create pieces');
	const body = await readJson(request, CreatePieceBody);
	const { db } = await galley();
	const id = await createPiece(db, { kind: body.kind, title: body.title, createdBy: actor.id });
	return json({ piece: await getPieceFor(db, actor, id) }, { status: 201 });
});

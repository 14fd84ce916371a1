import { json } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { apiError, readJson, readQuery, requireActor, route } from '$lib/server/api/http';
import { CreatePieceBody, ListPiecesQuery } from '$lib/server/api/contract';
import { listPieces } from '$lib/server/queries/piece-list';
import { canGlobal } from '$lib/server/policies';
import { getPieceFor } from '$lib/server/queries/pieces';
import { createPiece } from '$lib/server/commands/pieces';
import { contentFromPlainText } from '$lib/server/content/plain-text';
import { announcePieceChange } from '$lib/server/live/piece-events';
import type { RequestHandler } from './$types';

/** The pieces the caller may see: searched, filtered, sorted and paged (docs/api.md, "The pieces list"). */
export const GET: RequestHandler = route(async ({ locals, url }) => {
	const actor = requireActor(locals);
	if (!canGlobal(actor, 'list_pieces')) return apiError(403, 'You may not list pieces');
	const query = readQuery(url, ListPiecesQuery);
	const { db, config } = await galley();
	return json(await listPieces(db, actor, query, config.timeZone));
});

export const POST: RequestHandler = route(async ({ locals, request }) => {
	const actor = requireActor(locals);
	if (!canGlobal(actor, 'create_piece')) return apiError(403, 'You may not create pieces');
	const body = await readJson(request, CreatePieceBody);
	const { db, feed } = await galley();
	const id = await createPiece(db, { kind: body.kind, title: body.title, createdBy: actor.id, content: body.text === undefined ? undefined : contentFromPlainText(body.text) });
	announcePieceChange(feed, id, null); // open lists show it
	return json({ piece: await getPieceFor(db, actor, id) }, { status: 201 });
});

import { json } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { apiError, readJson, requireActor, route } from '$lib/server/api/http';
import { VersionBody } from '$lib/server/api/contract';
import { authorizePiece } from '$lib/server/api/pieces';
import { saveVersion } from '$lib/server/commands/versions';
import { listVersions } from '$lib/server/queries/versions';
import { announcePieceActivity } from '$lib/server/live/announce';
import { MAX_VERSION_LABEL } from '$lib/domain/versions';
import type { RequestHandler } from './$types';

/** The piece's versions, newest first (saved at review moves, named, and before restores). */
export const GET: RequestHandler = route(async ({ locals, params }) => {
	const actor = requireActor(locals);
	const { db } = await galley();
	await authorizePiece(db, actor, params.id, 'view');
	return json({ versions: await listVersions(db, params.id) });
});

/** Save the text as it is now as a named version: whoever writes in the text or moves it through review. */
export const POST: RequestHandler = route(async ({ locals, params, request }) => {
	const actor = requireActor(locals);
	const { db, collab, feed } = await galley();
	await authorizePiece(db, actor, params.id, 'save_version');
	const label = (await readJson(request, VersionBody)).label.trim();
	if (label.length < 1 || label.length > MAX_VERSION_LABEL) return apiError(422, `A version’s name is 1 to ${MAX_VERSION_LABEL} characters`, 'label');
	const version = await saveVersion(db, collab, { pieceId: params.id, kind: 'named', label, createdBy: { id: actor.id, name: actor.name } });
	announcePieceActivity(feed, params.id, 'history');
	return json({ version }, { status: 201 });
});

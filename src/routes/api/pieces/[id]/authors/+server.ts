import { json } from '@sveltejs/kit';
import { inArray } from 'drizzle-orm';
import { galley } from '$lib/server/runtime';
import { apiError, readJson, requireActor, route } from '$lib/server/api/http';
import { PieceAuthorsBody } from '$lib/server/api/contract';
import { authorizePiece, lockedPiece } from '$lib/server/api/pieces';
import { pieceAuthorsOf } from '$lib/server/queries/contributors';
import { setPieceAuthors } from '$lib/server/commands/pieces';
import { contributors } from '$lib/server/db/schema';
import type { RequestHandler } from './$types';

/** The authors whose bios end the piece. */
export const GET: RequestHandler = route(async ({ locals, params }) => {
	const actor = requireActor(locals);
	const { db } = await galley();
	await authorizePiece(db, actor, params.id, 'view');
	return json({ authors: await pieceAuthorsOf(db, params.id) });
});

export const PUT: RequestHandler = route(async ({ locals, params, request }) => {
	const actor = requireActor(locals);
	const { db } = await galley();
	await authorizePiece(db, actor, params.id, 'update_details');
	const body = await readJson(request, PieceAuthorsBody);
	const ids = [...new Set(body.authors.map((a) => a.contributorId))];
	if (ids.length !== body.authors.length) return apiError(400, 'authors: each contributor may appear once', 'authors');
	if (ids.length) {
		const found = await db.select({ id: contributors.id }).from(contributors).where(inArray(contributors.id, ids));
		const missing = ids.filter((id) => !found.some((f) => f.id === id));
		if (missing.length) return apiError(400, `authors: no contributor ${missing[0]}`, 'authors');
	}
	// locked since the check (approved meanwhile): the authors stay as they were
	if (!(await setPieceAuthors(db, params.id, body.authors))) return lockedPiece();
	return json({ authors: await pieceAuthorsOf(db, params.id) });
});

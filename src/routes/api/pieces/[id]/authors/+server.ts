import { galley } from '$lib/server/runtime';
import { apiError, readJson, requireActor, route } from '$lib/server/api/http';
import { AddPieceAuthorBody, PieceAuthorsBody } from '$lib/server/api/contract';
import { authorizePiece, authorsChangeAnswer, authorsResponse, expectedDetailsVersion } from '$lib/server/api/pieces';
import { missingContributors } from '$lib/server/queries/contributors';
import { addPieceAuthor, setPieceAuthors } from '$lib/server/commands/pieces';
import type { RequestHandler } from './$types';

/** The authors whose bios end the piece, with the details `version` (also the ETag) to name in a change. */
export const GET: RequestHandler = route(async ({ locals, params }) => {
	const actor = requireActor(locals);
	const { db } = await galley();
	await authorizePiece(db, actor, params.id, 'view');
	return authorsResponse(db, params.id);
});

/**
 * Replace the whole list. With `version` (or If-Match), refused with 409 and the current list when the
 * details changed since; to add, remove or re-word one author, use POST here and …/authors/{contributorId}.
 */
export const PUT: RequestHandler = route(async ({ locals, params, request }) => {
	const actor = requireActor(locals);
	const { db, collab, feed } = await galley();
	await authorizePiece(db, actor, params.id, 'update_details');
	const body = await readJson(request, PieceAuthorsBody);
	const ids = [...new Set(body.authors.map((a) => a.contributorId))];
	if (ids.length !== body.authors.length) return apiError(400, 'authors: each contributor may appear once', 'authors');
	const missing = await missingContributors(db, ids);
	if (missing.length) return apiError(400, `authors: no contributor ${missing[0]}`, 'authors');
	const outcome = await setPieceAuthors(db, params.id, body.authors, expectedDetailsVersion(request, body.version));
	return authorsChangeAnswer(db, { collab, feed }, params.id, outcome);
});

/** Add one author after the others (one already an author stays as they are); the others are untouched. */
export const POST: RequestHandler = route(async ({ locals, params, request }) => {
	const actor = requireActor(locals);
	const { db, collab, feed } = await galley();
	await authorizePiece(db, actor, params.id, 'update_details');
	const body = await readJson(request, AddPieceAuthorBody);
	if ((await missingContributors(db, [body.contributorId])).length) return apiError(400, `contributorId: no contributor ${body.contributorId}`, 'contributorId');
	const outcome = await addPieceAuthor(db, params.id, body, expectedDetailsVersion(request, body.version));
	return authorsChangeAnswer(db, { collab, feed }, params.id, outcome);
});


import { json } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { apiError, readQuery, requireActor, route } from '$lib/server/api/http';
import { ImportIssueQuery } from '$lib/server/api/contract';
import { readArchiveBody } from '$lib/server/api/archive';
import { canGlobal } from '$lib/server/policies';
import { ArchiveError, parseArchive } from '$lib/server/archive/parse';
import { importArchive, previewArchiveImport } from '$lib/server/commands/archive-import';
import { getIssue } from '$lib/server/queries/issues';
import { announcePieceChange } from '$lib/server/live/piece-events';
import type { RequestHandler } from './$types';

/**
 * Import an archived issue (the editor only): its text as the body. `?dryRun=1`: what was found, nothing
 * written. Otherwise one transaction creates the issue, its sections and pieces, contributors and sources.
 */
export const POST: RequestHandler = route(async ({ locals, request, url }) => {
	const actor = requireActor(locals);
	if (!canGlobal(actor, 'import_issues')) return apiError(403, 'Only the editor imports issues');
	const { dryRun } = readQuery(url, ImportIssueQuery);
	const { text, bytes } = await readArchiveBody(request);
	let parsed;
	try {
		parsed = parseArchive(text, bytes);
	} catch (err) {
		if (err instanceof ArchiveError) return apiError(422, err.message, 'text');
		throw err;
	}
	const { db, feed } = await galley();
	if (dryRun === '1' || dryRun === 'true') return json(await previewArchiveImport(db, parsed));
	const { issueId, pieceIds } = await importArchive(db, parsed, actor.id);
	for (const id of pieceIds) announcePieceChange(feed, id, issueId); // open pieces lists show them
	return json({ issue: await getIssue(db, issueId) }, { status: 201 });
});

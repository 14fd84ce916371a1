import { json } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { apiError, requireActor, route } from '$lib/server/api/http';
import { authorizeRestore } from '$lib/server/api/versions';
import { restoreVersion } from '$lib/server/commands/versions';
import { RightsChangedMeanwhile } from '$lib/server/commands/transcript';
import { getPieceFor } from '$lib/server/queries/pieces';
import { announcePieceActivity, announcePieceChanged } from '$lib/server/live/announce';
import type { RequestHandler } from './$types';

/**
 * Put a version's text back: the text as it is now is saved first (a `before_restore` version), then the
 * old text is applied to the live document as a new change, which every open editor sees at once.
 */
export const POST: RequestHandler = route(async ({ locals, params }) => {
	const actor = requireActor(locals);
	const { db, collab, feed } = await galley();
	const rightsSeen = collab.rightsVersion(params.id);
	await authorizeRestore(db, actor, params.id);
	let version;
	try {
		version = await restoreVersion(db, collab, { pieceId: params.id, versionId: params.versionId, actor: { id: actor.id, name: actor.name }, rightsSeen });
	} catch (err) {
		if (err instanceof RightsChangedMeanwhile) return apiError(409, 'The piece was locked or its rights changed meanwhile; nothing was restored. Reload and try again');
		throw err;
	}
	if (!version) return apiError(404, 'No such version of this piece');
	announcePieceActivity(feed, params.id, 'history');
	await announcePieceChanged(feed, db, params.id);
	return json({ version, piece: await getPieceFor(db, actor, params.id) });
});

import { error } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { requireUser } from '$lib/server/guards';
import { getPieceFor, loadPieceSubject, transitionsFor } from '$lib/server/queries/pieces';
import { jsonFromYjsState } from '$lib/server/content/document';
import { renderPreviewHTML } from '$lib/server/content/render';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const actor = requireUser(locals, url);
	const { db, collab } = await galley();
	const [piece, subject] = await Promise.all([getPieceFor(db, actor, params.id), loadPieceSubject(db, params.id, actor.id)]);
	if (!piece || !subject || !piece.actions.view) error(404, { message: 'No such piece, or it is not shared with you.' });
	// The piece's text, shown at once while the editor loads it (a long interview takes a moment).
	const preview = renderPreviewHTML(jsonFromYjsState(await collab.readState(params.id), params.id));
	// what the page shows until the connection's `piece` notice replaces it (docs/protocol.md)
	return { piece, transitions: transitionsFor(actor, subject), preview };
};

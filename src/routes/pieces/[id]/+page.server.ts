import { error } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { requireUser } from '$lib/server/guards';
import { getPieceFor, loadPieceSubject, transitionsFor } from '$lib/server/queries/pieces';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const actor = requireUser(locals, url);
	const { db } = await galley();
	const [piece, subject] = await Promise.all([getPieceFor(db, actor, params.id), loadPieceSubject(db, params.id, actor.id)]);
	if (!piece || !subject || !piece.actions.view) error(404, { message: 'No such piece, or it is not shared with you.' });
	// what the page shows until the connection's `piece` notice replaces it (docs/protocol.md)
	return { piece, transitions: transitionsFor(actor, subject) };
};

import { error } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { requireUser } from '$lib/server/guards';
import { getPieceFor } from '$lib/server/queries/pieces';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const actor = requireUser(locals, url);
	const { db } = await galley();
	const piece = await getPieceFor(db, actor, params.id);
	if (!piece || !piece.actions.view) error(404, { message: 'No such piece, or it is not shared with you.' });
	return { piece };
};

import { galley } from '$lib/server/runtime';
import { requireUser } from '$lib/server/guards';
import { listPiecesFor } from '$lib/server/queries/pieces';
import { canGlobal } from '$lib/server/policies';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireUser(locals, url);
	const { db } = await galley();
	return { pieces: await listPiecesFor(db, actor), canCreate: canGlobal(actor, 'create_piece') };
};

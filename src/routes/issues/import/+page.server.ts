import { error } from '@sveltejs/kit';
import { requireUser } from '$lib/server/guards';
import { canGlobal } from '$lib/server/policies';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireUser(locals, url);
	if (!canGlobal(actor, 'import_issues')) error(403, 'Only the editor imports issues');
	return {};
};

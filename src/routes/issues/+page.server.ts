import { error } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { requireUser } from '$lib/server/guards';
import { canGlobal } from '$lib/server/policies';
import { listIssues } from '$lib/server/queries/issues';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireUser(locals, url);
	if (!canGlobal(actor, 'view_issues')) error(403, 'You may not see the issues');
	const { db } = await galley();
	const { issues, next } = await listIssues(db);
	return { issues, next, canPlan: canGlobal(actor, 'plan_issues'), canImport: canGlobal(actor, 'import_issues') };
};

import { galley } from '$lib/server/runtime';
import { requireUser } from '$lib/server/guards';
import { myAssignments } from '$lib/server/queries/assignments';
import type { PageServerLoad } from './$types';

/** "My assignments": what is the person's, what waits for them, what is due and overdue. */
export const load: PageServerLoad = async ({ locals, url, depends }) => {
	const actor = requireUser(locals, url);
	depends('galley:my-assignments');
	const { db, config } = await galley();
	return { assignments: await myAssignments(db, actor, config.timeZone), timeZone: config.timeZone };
};

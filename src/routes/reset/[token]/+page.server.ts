import { galley } from '$lib/server/runtime';
import { CLOSED_RESET_LINK_MESSAGES, findResetLink } from '$lib/server/commands/people';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params }) => {
	const { db } = await galley();
	const { state, user } = await findResetLink(db, params.token);
	if (state === 'open' && user) return { person: { name: user.name, email: user.email }, closed: null };
	return { person: null, closed: CLOSED_RESET_LINK_MESSAGES[state === 'open' ? 'unknown' : state] };
};

import { galley } from '$lib/server/runtime';
import { CLOSED_INVITE_MESSAGES, findInvite } from '$lib/server/commands/accounts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params }) => {
	const { db } = await galley();
	const found = await findInvite(db, params.token);
	if (found?.state === 'open') return { invite: { email: found.invite.email, name: found.invite.name, role: found.invite.role }, closed: null };
	const state = found?.state ?? 'unknown';
	return { invite: null, closed: { state, message: CLOSED_INVITE_MESSAGES[state] } };
};

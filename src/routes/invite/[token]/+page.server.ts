import { galley } from '$lib/server/runtime';
import { findOpenInvite } from '$lib/server/commands/accounts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params }) => {
	const { db } = await galley();
	const invite = await findOpenInvite(db, params.token);
	return { invite: invite ? { email: invite.email, name: invite.name, role: invite.role } : null };
};

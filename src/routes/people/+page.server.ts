import { galley } from '$lib/server/runtime';
import { requireUser } from '$lib/server/guards';
import { canGlobal } from '$lib/server/policies';
import { listOpenInvites, listPeople } from '$lib/server/commands/accounts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireUser(locals, url);
	const { db } = await galley();
	const canInvite = canGlobal(actor, 'invite_people');
	return { people: await listPeople(db), invites: canInvite ? await listOpenInvites(db) : [], canInvite };
};

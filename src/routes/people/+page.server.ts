import { galley } from '$lib/server/runtime';
import { requireUser } from '$lib/server/guards';
import { canGlobal } from '$lib/server/policies';
import { listOpenInvites } from '$lib/server/commands/accounts';
import { listPeopleFor } from '$lib/server/queries/people';
import { listPeopleAudit } from '$lib/server/commands/people-audit';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireUser(locals, url);
	const { db } = await galley();
	const canInvite = canGlobal(actor, 'invite_people');
	const canManage = actor.role === 'editor'; // what the People page offers; the API asks the policies per person
	return {
		people: await listPeopleFor(db, actor),
		invites: canInvite ? await listOpenInvites(db) : [],
		audit: canGlobal(actor, 'read_people_audit') ? await listPeopleAudit(db, 50) : [],
		canInvite,
		canManage,
		me: actor.id
	};
};

import { galley } from '$lib/server/runtime';
import { requireUser } from '$lib/server/guards';
import { canGlobal, canPerson } from '$lib/server/policies';
import { listOpenInvites } from '$lib/server/commands/accounts';
import { listPeopleFor } from '$lib/server/queries/people';
import { listPeopleAudit } from '$lib/server/commands/people-audit';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireUser(locals, url);
	const { db } = await galley();
	const canInvite = canGlobal(actor, 'invite_people');
	// What the page offers for each person is what the policies allow (the API asks them again).
	const people = (await listPeopleFor(db, actor)).map((person) => ({
		...person,
		may: {
			changeRole: canPerson(actor, 'change_role', person),
			issueResetLink: canPerson(actor, 'issue_reset_link', person),
			remove: canPerson(actor, 'remove', person)
		}
	}));
	return {
		people,
		invites: canInvite ? await listOpenInvites(db) : [],
		audit: canGlobal(actor, 'read_people_audit') ? await listPeopleAudit(db, 50) : [],
		canInvite,
	};
};

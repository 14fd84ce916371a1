import { galley } from '$lib/server/runtime';
import { requireUser } from '$lib/server/guards';
import { canGlobal, canPerson } from '$lib/server/policies';
import { listOpenInvites } from '$lib/server/commands/accounts';
import { listPeopleFor } from '$lib/server/queries/people';
import { listPeopleAudit } from '$lib/server/commands/people-audit';
import { field, submitToApi } from '$lib/server/api/form-action';
import { POST as invitePerson } from '../api/people/+server';
import { PATCH as changePerson, DELETE as removePerson } from '../api/people/[id]/+server';
import { POST as issueResetLink } from '../api/people/[id]/reset-link/+server';
import { DELETE as revokeInvite } from '../api/people/invites/[id]/+server';
import type { Actions, PageServerLoad } from './$types';

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

export const actions: Actions = {
	/** POST /api/people: an invite link, or an account with an initial password. */
	invite: async (event) => {
		const form = await event.request.formData();
		const password = field(form, 'mode') === 'password' ? { password: field(form, 'password') } : {};
		const answer = await submitToApi<{ inviteUrl?: string; user?: { name: string } }>(event, invitePerson, { name: field(form, 'name'), email: field(form, 'email'), role: field(form, 'role') || 'contributor', ...password }, { form });
		if (!('ok' in answer)) return answer;
		return { invited: { inviteUrl: answer.data.inviteUrl ?? null, created: answer.data.user?.name ?? null } };
	},
	/** PATCH /api/people/{id}: a new role. */
	changeRole: async (event) => {
		const form = await event.request.formData();
		const role = field(form, 'role');
		const answer = await submitToApi(event, changePerson, { role }, { method: 'PATCH', params: { id: field(form, 'personId') }, form });
		if (!('ok' in answer)) return answer;
		return { notice: `${field(form, 'personName')} is now ${role === 'editor' ? 'an editor' : 'a contributor'}.` };
	},
	/** POST /api/people/{id}/reset-link: shown once, for that person. */
	issueReset: async (event) => {
		const form = await event.request.formData();
		const personId = field(form, 'personId');
		const answer = await submitToApi<{ url: string; expiresAt: string }>(event, issueResetLink, undefined, { params: { id: personId }, form });
		if (!('ok' in answer)) return answer;
		return { resetLink: { personId, name: field(form, 'personName'), url: answer.data.url, expiresAt: answer.data.expiresAt } };
	},
	/** DELETE /api/people/{id}. */
	remove: async (event) => {
		const form = await event.request.formData();
		const answer = await submitToApi(event, removePerson, undefined, { method: 'DELETE', params: { id: field(form, 'personId') }, form });
		if (!('ok' in answer)) return answer;
		return { notice: `${field(form, 'personName')} was removed.` };
	},
	/** DELETE /api/people/invites/{id}. */
	revokeInvite: async (event) => {
		const form = await event.request.formData();
		const answer = await submitToApi(event, revokeInvite, undefined, { method: 'DELETE', params: { id: field(form, 'inviteId') }, form });
		if (!('ok' in answer)) return answer;
		return { notice: `The invite for ${field(form, 'email')} was revoked.` };
	}
};

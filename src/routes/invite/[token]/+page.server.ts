import { redirect } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { CLOSED_INVITE_MESSAGES, findInvite } from '$lib/server/commands/accounts';
import { field, submitToApi } from '$lib/server/api/form-action';
import { POST as accept } from '../../api/invites/[token]/+server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params }) => {
	const { db } = await galley();
	const found = await findInvite(db, params.token);
	if (found?.state === 'open') return { invite: { email: found.invite.email, name: found.invite.name, role: found.invite.role }, closed: null };
	const state = found?.state ?? 'unknown';
	return { invite: null, closed: { state, message: CLOSED_INVITE_MESSAGES[state] } };
};

export const actions: Actions = {
	/** Accept the invite (POST /api/invites/{token}): the account is made and signed in. */
	default: async (event) => {
		const form = await event.request.formData();
		const answer = await submitToApi(event, accept, { name: field(form, 'name'), password: field(form, 'password') }, { form });
		if (!('ok' in answer)) return answer;
		redirect(303, '/pieces');
	}
};

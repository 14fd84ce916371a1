import { redirect } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { CLOSED_RESET_LINK_MESSAGES, findResetLink } from '$lib/server/commands/people';
import { field, refuse, submitToApi } from '$lib/server/api/form-action';
import { POST as useLink } from '../../api/password-resets/[token]/+server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params }) => {
	const { db } = await galley();
	const { state, user } = await findResetLink(db, params.token);
	if (state === 'open' && user) return { person: { name: user.name, email: user.email }, closed: null };
	return { person: null, closed: CLOSED_RESET_LINK_MESSAGES[state === 'open' ? 'unknown' : state] };
};

export const actions: Actions = {
	/** Set the new password with the link (POST /api/password-resets/{token}), signed in. */
	default: async (event) => {
		const form = await event.request.formData();
		const newPassword = field(form, 'newPassword');
		if (newPassword !== field(form, 'repeat')) return refuse(form, 400, 'repeat', 'The two passwords differ');
		const answer = await submitToApi(event, useLink, { newPassword }, { form });
		if (!('ok' in answer)) return answer;
		redirect(303, '/pieces');
	}
};

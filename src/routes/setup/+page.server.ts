import { redirect } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { hasAnyAccount } from '$lib/server/commands/accounts';
import { field, submitToApi } from '$lib/server/api/form-action';
import { POST as setUp } from '../api/setup/+server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	const { db } = await galley();
	if (await hasAnyAccount(db)) redirect(303, '/login');
};

export const actions: Actions = {
	/** Create the first account, the editor's (POST /api/setup), signed in. */
	default: async (event) => {
		const form = await event.request.formData();
		const answer = await submitToApi(event, setUp, { name: field(form, 'name'), email: field(form, 'email'), password: field(form, 'password') }, { form });
		if (!('ok' in answer)) return answer;
		redirect(303, '/pieces');
	}
};

import { redirect } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { hasAnyAccount } from '$lib/server/commands/accounts';
import { field, submitToApi } from '$lib/server/api/form-action';
import { safeNext } from '$lib/navigation';
import { POST as login } from '../api/auth/login/+server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const { db } = await galley();
	if (!(await hasAnyAccount(db))) redirect(303, '/setup');
	if (locals.actor) redirect(303, safeNext(url.searchParams.get('next')));
};

export const actions: Actions = {
	/** Sign in (POST /api/auth/login), then on to `next`: the deep link that sent the person here. */
	default: async (event) => {
		const form = await event.request.formData();
		const answer = await submitToApi(event, login, { email: field(form, 'email'), password: field(form, 'password') }, { form });
		if (!('ok' in answer)) return answer;
		redirect(303, safeNext(event.url.searchParams.get('next')));
	}
};

import { redirect } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { hasAnyAccount } from '$lib/server/commands/accounts';
import { submitToApi } from '$lib/server/api/form-action';
import { POST as logout } from './api/auth/logout/+server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const { db } = await galley();
	if (!(await hasAnyAccount(db))) redirect(303, '/setup');
	redirect(303, locals.actor ? '/pieces' : '/login');
};

export const actions: Actions = {
	/** The header's Sign out (every page's): POST /api/auth/logout, then the sign-in page. */
	signOut: async (event) => {
		await submitToApi(event, logout, undefined);
		redirect(303, '/login');
	}
};

import { redirect } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { hasAnyAccount } from '$lib/server/commands/accounts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const { db } = await galley();
	if (!(await hasAnyAccount(db))) redirect(303, '/setup');
	redirect(303, locals.actor ? '/pieces' : '/login');
};

import { redirect } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { hasAnyAccount } from '$lib/server/commands/accounts';
import { safeNext } from '$lib/navigation';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const { db } = await galley();
	if (!(await hasAnyAccount(db))) redirect(303, '/setup');
	if (locals.actor) redirect(303, safeNext(url.searchParams.get('next')));
};

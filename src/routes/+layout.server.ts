import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals }) => {
	const a = locals.actor;
	return { user: a ? { id: a.id, name: a.name, email: a.email, role: a.role, color: a.color } : null };
};

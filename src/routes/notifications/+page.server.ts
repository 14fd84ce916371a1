import { galley } from '$lib/server/runtime';
import { requireUser } from '$lib/server/guards';
import { listNotifications, NOTIFICATIONS_PAGE } from '$lib/server/notifications/inbox';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireUser(locals, url);
	const { db } = await galley();
	return { notifications: (await listNotifications(db, actor.id)) ?? [], pageSize: NOTIFICATIONS_PAGE };
};

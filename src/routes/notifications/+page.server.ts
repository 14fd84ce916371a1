import { galley } from '$lib/server/runtime';
import { requireUser } from '$lib/server/guards';
import { listNotifications, NOTIFICATIONS_PAGE } from '$lib/server/notifications/inbox';
import { field, submitToApi } from '$lib/server/api/form-action';
import { POST as markRead } from '../api/notifications/read/+server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireUser(locals, url);
	const { db } = await galley();
	return { notifications: (await listNotifications(db, actor.id)) ?? [], pageSize: NOTIFICATIONS_PAGE };
};

export const actions: Actions = {
	/** POST /api/notifications/read: one (`id`) or all (`all`). */
	read: async (event) => {
		const form = await event.request.formData();
		const body = form.has('all') ? { all: true as const } : { ids: [field(form, 'id')] };
		const answer = await submitToApi<{ unread: number }>(event, markRead, body, { form });
		if (!('ok' in answer)) return answer;
		return { read: { ...body, unread: answer.data.unread } };
	}
};

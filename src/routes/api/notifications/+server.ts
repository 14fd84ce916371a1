import { json } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { apiError, readQuery, requireActor, route } from '$lib/server/api/http';
import { NotificationsQuery } from '$lib/server/api/contract';
import { listNotifications, unreadCount } from '$lib/server/notifications/inbox';
import type { RequestHandler } from './$types';

/** The caller's notifications, newest first (50 unless `limit` says; `before` pages on), and their unread count. */
export const GET: RequestHandler = route(async ({ locals, url }) => {
	const actor = requireActor(locals);
	const query = readQuery(url, NotificationsQuery);
	const { db } = await galley();
	const list = await listNotifications(db, actor.id, query);
	if (!list) return apiError(404, 'No such notification of yours to page from', 'before');
	return json({ notifications: list, unread: await unreadCount(db, actor.id) });
});

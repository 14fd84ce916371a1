import { json } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { readJson, requireActor, route } from '$lib/server/api/http';
import { MarkNotificationsReadBody } from '$lib/server/api/contract';
import { markRead, unreadCount } from '$lib/server/notifications/inbox';
import type { RequestHandler } from './$types';

/**
 * Mark the caller's notifications read, by id or all. Ids that are not the caller's (someone else's, or
 * unknown) are ignored, so nothing tells whether they exist. Answers the new unread count; the caller's
 * other open pages hear a `notifications` event.
 */
export const POST: RequestHandler = route(async ({ locals, request }) => {
	const actor = requireActor(locals);
	const body = await readJson(request, MarkNotificationsReadBody);
	const { db, notifier } = await galley();
	const changed = await markRead(db, actor.id, body);
	if (changed) notifier.changed([actor.id]);
	return json({ unread: await unreadCount(db, actor.id) });
});

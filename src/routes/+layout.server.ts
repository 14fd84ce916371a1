import type { LayoutServerLoad } from './$types';
import { galley } from '$lib/server/runtime';
import { unreadCount } from '$lib/server/notifications/inbox';
import { logger } from '$lib/server/log';

export const load: LayoutServerLoad = async ({ locals }) => {
	const a = locals.actor;
	if (!a) return { user: null, unread: 0 };
	const { db } = await galley();
	// the header's count is a convenience: a failure to read it must not fail the page
	const unread = await unreadCount(db, a.id).catch((err) => {
		logger.error({ err }, 'reading the unread notification count failed');
		return 0;
	});
	return { user: { id: a.id, name: a.name, email: a.email, role: a.role, color: a.color }, unread };
};

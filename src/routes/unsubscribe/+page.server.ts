import { fail } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { unsubscribe, unsubscribeSubject } from '$lib/server/notifications/unsubscribe';
import type { Actions, PageServerLoad } from './$types';

// The link at the end of each notification e-mail (notifications/unsubscribe.ts). Opening it changes
// nothing; the button (or a mail client's one-click POST, RFC 8058) turns the e-mails off. No sign-in needed.

export const load: PageServerLoad = async ({ url }) => {
	const { db } = await galley();
	const subject = await unsubscribeSubject(db, url.searchParams.get('u'), url.searchParams.get('t'));
	return { valid: !!subject, email: subject?.email ?? null, alreadyOff: subject ? !subject.emailNotifications : false };
};

export const actions: Actions = {
	default: async ({ url }) => {
		const { db } = await galley();
		const subject = await unsubscribeSubject(db, url.searchParams.get('u'), url.searchParams.get('t'));
		if (!subject) return fail(404, { message: 'This unsubscribe link is not valid (it may be from before a password change).' });
		await unsubscribe(db, subject.id);
		return { done: true };
	}
};

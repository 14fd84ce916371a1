import { redirect } from '@sveltejs/kit';
import type { Actor } from './auth/sessions';

/** Pages that need a signed-in user send everyone else to the sign-in page, coming back afterwards. */
export function requireUser(locals: App.Locals, url: URL): Actor {
	if (!locals.actor) redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
	return locals.actor;
}

import { json } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { apiError, readJson, route } from '$lib/server/api/http';
import { LoginBody } from '$lib/server/api/contract';
import { checkCredentials } from '$lib/server/commands/accounts';
import { publicUser, startSession } from '$lib/server/api/session-cookie';
import { tooManyRequests } from '$lib/server/api/too-many';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = route(async ({ request, cookies, getClientAddress }) => {
	const { db, config, limits } = await galley();
	const body = await readJson(request, LoginBody);
	const address = getClientAddress();
	// Refused before the password is checked: a limited attempt learns nothing about it.
	const limited = await limits.loginAttempt(address, body.email);
	if (limited) return tooManyRequests(limited);
	const user = await checkCredentials(db, body.email, body.password);
	if (!user) {
		await limits.loginFailed(address, body.email);
		return apiError(401, 'Wrong e-mail or password', 'password');
	}
	await limits.loginSucceeded(address, body.email);
	await startSession(db, cookies, user.id, config.secureCookies);
	return json({ user: publicUser(user) });
});

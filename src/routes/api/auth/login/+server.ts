import { json } from '@sveltejs/kit';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { galley } from '$lib/server/runtime';
import { apiError, readJson, route } from '$lib/server/api/http';
import { LoginBody } from '$lib/server/api/contract';
import { checkCredentials } from '$lib/server/commands/accounts';
import { publicUser, startSession } from '$lib/server/api/session-cookie';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = route(async ({ request, cookies, getClientAddress }) => {
	const { db, config, loginLimiter } = await galley();
	const body = await readJson(request, LoginBody);
	const key = `${body.email.toLowerCase()}|${getClientAddress()}`;
	const limited = await loginLimiter.get(key);
	if (limited && limited.remainingPoints <= 0) return tooMany(limited.msBeforeNext);
	const user = await checkCredentials(db, body.email, body.password);
	if (!user) {
		try {
			await loginLimiter.consume(key);
		} catch (res) {
			if (res instanceof RateLimiterRes) return tooMany(res.msBeforeNext);
			throw res;
		}
		return apiError(401, 'Wrong e-mail or password', 'password');
	}
	await loginLimiter.delete(key);
	await startSession(db, cookies, user.id, config.secureCookies);
	return json({ user: publicUser(user) });
});

function tooMany(ms: number) {
	const minutes = Math.max(1, Math.ceil(ms / 60000));
	const res = apiError(429, `Too many failed sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`);
	res.headers.set('retry-after', String(Math.ceil(ms / 1000)));
	return res;
}

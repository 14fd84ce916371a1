import { json } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { apiError, readJson, route } from '$lib/server/api/http';
import { AcceptInviteBody } from '$lib/server/api/contract';
import { acceptInvite, EmailTaken, findOpenInvite } from '$lib/server/commands/accounts';
import { publicUser, startSession } from '$lib/server/api/session-cookie';
import { colorFor } from '$lib/domain/people';
import { tooManyRequests } from '$lib/server/api/too-many';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = route(async ({ params }) => {
	const { db } = await galley();
	const invite = await findOpenInvite(db, params.token);
	if (!invite) return apiError(404, 'This invite link is not valid any more: ask the editor for a new one');
	return json({ email: invite.email, name: invite.name, role: invite.role });
});

export const POST: RequestHandler = route(async ({ params, request, cookies, getClientAddress }) => {
	const { db, config, limits } = await galley();
	const limited = await limits.inviteAttempt(getClientAddress());
	if (limited) return tooManyRequests(limited);
	const body = await readJson(request, AcceptInviteBody);
	const invite = await findOpenInvite(db, params.token);
	if (!invite) return apiError(404, 'This invite link is not valid any more: ask the editor for a new one');
	try {
		const id = await acceptInvite(db, params.token, body);
		if (!id) return apiError(404, 'This invite link is not valid any more: ask the editor for a new one');
		await startSession(db, cookies, id, config.secureCookies);
		return json({ user: publicUser({ id, email: invite.email, name: body.name, role: invite.role, color: colorFor(id) }) }, { status: 201 });
	} catch (err) {
		if (err instanceof EmailTaken) return apiError(409, err.message, 'email');
		throw err;
	}
});

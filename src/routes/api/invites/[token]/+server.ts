import { json } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { apiError, readJson, route } from '$lib/server/api/http';
import { AcceptInviteBody } from '$lib/server/api/contract';
import { acceptInvite, CLOSED_INVITE_MESSAGES, findInvite, InviteClosed, type InviteState } from '$lib/server/commands/accounts';
import { publicUser, startSession } from '$lib/server/api/session-cookie';
import { colorFor } from '$lib/domain/people';
import { tooManyRequests } from '$lib/server/api/too-many';
import type { RequestHandler } from './$types';

/**
 * An invite that cannot be accepted. Used already (or someone joined with its address): 409, as the losers
 * of concurrent accepts get. Revoked, replaced, expired or unknown: 404 (no such open invite). The message says which.
 */
function closed(state: Exclude<InviteState, 'open'> | 'unknown', forAccept: boolean): Response {
	const message = CLOSED_INVITE_MESSAGES[state];
	if (forAccept && (state === 'accepted' || state === 'joined')) return apiError(409, message, state === 'joined' ? 'email' : undefined);
	return apiError(404, message);
}

export const GET: RequestHandler = route(async ({ params }) => {
	const { db } = await galley();
	const found = await findInvite(db, params.token);
	if (!found) return closed('unknown', false);
	if (found.state !== 'open') return closed(found.state, false);
	const { invite } = found;
	return json({ email: invite.email, name: invite.name, role: invite.role });
});

export const POST: RequestHandler = route(async ({ params, request, cookies, getClientAddress }) => {
	const { db, config, limits } = await galley();
	const limited = await limits.inviteAttempt(getClientAddress());
	if (limited) return tooManyRequests(limited);
	const body = await readJson(request, AcceptInviteBody);
	const found = await findInvite(db, params.token);
	if (!found) return closed('unknown', true);
	if (found.state !== 'open') return closed(found.state, true);
	try {
		const { userId, invite } = await acceptInvite(db, params.token, body);
		await startSession(db, cookies, userId, config.secureCookies);
		return json({ user: publicUser({ id: userId, email: invite.email, name: body.name, role: invite.role, color: colorFor(userId) }) }, { status: 201 });
	} catch (err) {
		if (err instanceof InviteClosed) return closed(err.state, true);
		throw err;
	}
});

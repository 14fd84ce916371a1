import { json } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { readJson, requireActor, route, apiError } from '$lib/server/api/http';
import { TokenBody } from '$lib/server/api/contract';
import { createApiToken } from '$lib/server/auth/sessions';
import { listApiTokens } from '$lib/server/queries/tokens';
import { canGlobal } from '$lib/server/policies';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = route(async ({ locals }) => {
	const actor = requireActor(locals);
	const { db } = await galley();
	const tokens = await listApiTokens(db, actor);
	return json({ tokens });
});

export const POST: RequestHandler = route(async ({ locals, request }) => {
	const actor = requireActor(locals);
	if (!canGlobal(actor, 'create_token')) return apiError(403, 'You may not create API tokens');
	const body = await readJson(request, TokenBody);
	const expiresAt =
		body.expiresAt !== undefined ? new Date(body.expiresAt) : body.expiresInDays !== undefined ? new Date(Date.now() + body.expiresInDays * 24 * 3600 * 1000) : null;
	if (expiresAt && expiresAt.getTime() <= Date.now()) return apiError(400, 'expiresAt: must be in the future', 'expiresAt');
	const { db } = await galley();
	const created = await createApiToken(db, actor.id, body.name, expiresAt);
	return json(created, { status: 201 });
});

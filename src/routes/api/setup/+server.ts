import { json } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { apiError, readJson, route } from '$lib/server/api/http';
import { SetupBody } from '$lib/server/api/contract';
import { createFirstAccount, hasAnyAccount, SetupAlreadyDone } from '$lib/server/commands/accounts';
import { publicUser, startSession } from '$lib/server/api/session-cookie';
import { colorFor } from '$lib/domain/people';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async () => {
	const { db } = await galley();
	return json({ needed: !(await hasAnyAccount(db)) });
};

export const POST: RequestHandler = route(async ({ request, cookies }) => {
	const { db, config } = await galley();
	if (await hasAnyAccount(db)) return apiError(409, 'Galley is already set up: sign in instead');
	const body = await readJson(request, SetupBody);
	try {
		const id = await createFirstAccount(db, body);
		await startSession(db, cookies, id, config.secureCookies);
		return json({ user: publicUser({ id, email: body.email.toLowerCase(), name: body.name, role: 'editor', color: colorFor(id) }) }, { status: 201 });
	} catch (err) {
		if (err instanceof SetupAlreadyDone) return apiError(409, 'Galley is already set up: sign in instead');
		throw err;
	}
});

import { json } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { requireActor, route } from '$lib/server/api/http';
import { bioToText, listContributors } from '$lib/server/queries/contributors';
import type { RequestHandler } from './$types';

/** Contributor profiles: name, affiliation and the bio that ends their pieces. */
export const GET: RequestHandler = route(async ({ locals }) => {
	requireActor(locals);
	const { db } = await galley();
	const rows = await listContributors(db);
	return json({ contributors: rows.map((c) => ({ id: c.id, userId: c.userId, name: c.name, affiliation: c.affiliation, bio: bioToText(c.bio) })) });
});

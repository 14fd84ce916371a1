import { json } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import { galley } from '$lib/server/runtime';
import { apiError, readJson, requireActor, route } from '$lib/server/api/http';
import { SourceBody } from '$lib/server/api/contract';
import { sources } from '$lib/server/db/schema';
import { canSource } from '$lib/server/policies';
import type { RequestHandler } from './$types';

/**
 * Edit a library entry (rename, re-point): the editor only. Citations carry their own copy of name and
 * URL, so no piece is rewritten. Checked before the id is looked up: a contributor learns nothing of ids.
 */
export const PATCH: RequestHandler = route(async ({ locals, params, request }) => {
	if (!canSource(requireActor(locals), 'update')) return apiError(403, 'Only the editor edits the sources of the library; add a new one instead');
	const body = await readJson(request, SourceBody.partial());
	const { db } = await galley();
	const rows = await db
		.update(sources)
		.set({ ...(body.name !== undefined ? { name: body.name } : {}), ...(body.url !== undefined ? { url: body.url } : {}) })
		.where(eq(sources.id, params.id))
		.returning({ id: sources.id, name: sources.name, url: sources.url });
	if (rows.length === 0) return apiError(404, 'No such source');
	return json({ source: rows[0] });
});

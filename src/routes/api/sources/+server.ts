import { json } from '@sveltejs/kit';
import { asc, ilike, sql } from 'drizzle-orm';
import { galley } from '$lib/server/runtime';
import { apiError, readJson, requireActor, route } from '$lib/server/api/http';
import { SourceBody } from '$lib/server/api/contract';
import { sources } from '$lib/server/db/schema';
import { canSource } from '$lib/server/policies';
import { newId } from '$lib/server/auth/tokens';
import type { RequestHandler } from './$types';

const columns = { id: sources.id, name: sources.name, url: sources.url };

/** The source library, for autocomplete when citing. */
export const GET: RequestHandler = route(async ({ locals, url }) => {
	if (!canSource(requireActor(locals), 'list')) return apiError(403, 'You may not read the source library');
	const { db } = await galley();
	const q = (url.searchParams.get('q') ?? '').trim();
	const rows = await db
		.select(columns)
		.from(sources)
		.where(q ? ilike(sources.name, `%${q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`) : undefined)
		.orderBy(asc(sources.name))
		.limit(50);
	return json({ sources: rows });
});

/** Add a source: open to every contributor. */
export const POST: RequestHandler = route(async ({ locals, request }) => {
	if (!canSource(requireActor(locals), 'create')) return apiError(403, 'You may not add sources');
	const body = await readJson(request, SourceBody);
	const { db } = await galley();
	const [existing] = await db.select(columns).from(sources).where(sql`lower(${sources.name}) = lower(${body.name})`).limit(1);
	if (existing) return apiError(409, `"${existing.name}" is already in the library`, 'name');
	const [source] = await db.insert(sources).values({ id: newId(), name: body.name, url: body.url ?? null }).returning(columns);
	return json({ source }, { status: 201 });
});

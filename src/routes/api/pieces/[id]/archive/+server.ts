import { requireActor, route } from '$lib/server/api/http';
import { archiveOrRestore } from '$lib/server/api/archiving';
import type { RequestHandler } from './$types';

/** The editor archives a piece: out of every list and board, read-only, until restored (docs/api.md). */
export const POST: RequestHandler = route(async ({ locals, params }) => archiveOrRestore(requireActor(locals), params.id, true));

import { requireActor, route } from '$lib/server/api/http';
import { archiveOrRestore } from '$lib/server/api/archiving';
import type { RequestHandler } from './$types';

/** The editor restores an archived piece: back in the lists, editable as before (docs/api.md). */
export const POST: RequestHandler = route(async ({ locals, params }) => archiveOrRestore(requireActor(locals), params.id, false));

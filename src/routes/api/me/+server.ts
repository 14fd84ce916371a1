import { json } from '@sveltejs/kit';
import { requireActor, route } from '$lib/server/api/http';
import { publicUser } from '$lib/server/api/session-cookie';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = route(async ({ locals }) => json({ user: publicUser(requireActor(locals)) }));

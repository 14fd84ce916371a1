import { json } from '@sveltejs/kit';
import { openApiDocument } from '$lib/server/api/contract';

export const GET = () => json(openApiDocument());

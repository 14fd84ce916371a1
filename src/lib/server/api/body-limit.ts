import type { Handle } from '@sveltejs/kit';
import { MAX_REQUEST_BODY_BYTES } from '$lib/domain/limits';
import { bodyTooLarge, isApiErrorBody } from './http';
import { ARCHIVE_IMPORT_PATH, archiveTooLarge } from './archive';

/**
 * One body limit for every route, answered in the API's error shape. A declared length over it is refused
 * before anything reads the body. A chunked body has no declared length: adapter-node (given the same limit
 * as BODY_SIZE_LIMIT by server/index.ts) errors the body stream once it passes the limit; readJson and the
 * transcript route answer that themselves, and any other 413 SvelteKit makes of it (`{"message":"Payload Too
 * Large"}`, or an HTML error page) becomes ours here. The issue import answers an oversized issue with its
 * own 422 (api/archive.ts), as it answers every other text it cannot import.
 */
export const bodyLimit: Handle = async ({ event, resolve }) => {
	const declared = Number(event.request.headers.get('content-length') ?? 0);
	const tooLarge = event.url.pathname === ARCHIVE_IMPORT_PATH ? archiveTooLarge : bodyTooLarge;
	if (declared > MAX_REQUEST_BODY_BYTES) return tooLarge();
	const response = await resolve(event);
	if (response.status !== 413) return response;
	const body = await response
		.clone()
		.json()
		.catch(() => null);
	return isApiErrorBody(body) ? response : tooLarge();
};

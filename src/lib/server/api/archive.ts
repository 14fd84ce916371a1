// Reading the body of an issue import: text/plain as archived (or JSON `{ text }`), within the one body
// limit, where over it is the import's 422 (what the issue asks of bad input), not the 413 of other routes.
import { ApiFailure, apiError, isBodyTooLarge } from './http';
import { ImportIssueBody } from './contract';
import { MAX_REQUEST_BODY_BYTES } from '../../domain/limits';
import { ARCHIVE_TOO_LARGE_MESSAGE } from '../archive/text';

/** The path of the import: the body limit answers it with `archiveTooLarge` instead of a 413. */
export const ARCHIVE_IMPORT_PATH = '/api/issues/import';

/** 422 for an archived issue over the size limit (the body limit's answer on the import route). */
export function archiveTooLarge(): Response {
	return apiError(422, ARCHIVE_TOO_LARGE_MESSAGE, 'text');
}

/** The issue's text and its size in bytes as sent; 415/400/422 for a body that is none. */
export async function readArchiveBody(request: Request): Promise<{ text: string; bytes: number }> {
	const type = (request.headers.get('content-type') ?? '').toLowerCase();
	let raw: Uint8Array;
	try {
		raw = new Uint8Array(await request.arrayBuffer());
	} catch (err) {
		if (isBodyTooLarge(err)) throw new ApiFailure(archiveTooLarge());
		throw err;
	}
	if (raw.length > MAX_REQUEST_BODY_BYTES) throw new ApiFailure(archiveTooLarge()); // `vite dev` has no adapter-node limit
	if (type.startsWith('application/json')) {
		let body: unknown;
		try {
			body = JSON.parse(new TextDecoder().decode(raw));
		} catch {
			throw new ApiFailure(apiError(400, 'The body is not valid JSON'));
		}
		const parsed = ImportIssueBody.safeParse(body);
		if (!parsed.success) {
			const issue = parsed.error.issues[0];
			const field = issue.path.join('.') || 'text';
			throw new ApiFailure(apiError(400, `${field}: ${issue.message}`, field));
		}
		return { text: parsed.data.text, bytes: new TextEncoder().encode(parsed.data.text).length };
	}
	if (type.startsWith('text/plain') || type === '') return { text: new TextDecoder('utf-8', { fatal: false }).decode(raw), bytes: raw.length };
	throw new ApiFailure(apiError(415, 'Send the issue as text/plain (as archived), or JSON { "text": … }'));
}

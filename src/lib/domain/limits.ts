/**
 * The largest request body Galley accepts, on every route: 5 MiB. It is also the transcript limit (a
 * transcript sent as JSON counts with its quoting). The production server hands it to adapter-node as
 * BODY_SIZE_LIMIT, so there is one limit; over it, the answer is 413 in the API's error shape.
 */
export const MAX_REQUEST_BODY_BYTES = 5 * 1024 * 1024;

/** "5 MiB" */
export function formatMiB(bytes: number): string {
	return `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
}

export const BODY_TOO_LARGE_MESSAGE = `The request body is too large: the limit is ${formatMiB(MAX_REQUEST_BODY_BYTES)} (${MAX_REQUEST_BODY_BYTES.toLocaleString('en-US')} bytes).`;

/** A comment's body: at most this many characters once trimmed (and at least one). */
export const COMMENT_MAX_CHARS = 5000;

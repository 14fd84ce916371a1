import { json } from '@sveltejs/kit';
import type { z } from 'zod';
import type { Actor } from '../auth/sessions';
import { BODY_TOO_LARGE_MESSAGE } from '$lib/domain/limits';

/** A JSON error: `{ "error": { "message": "...", "field": "title" } }`. */
export function apiError(status: number, message: string, field?: string): Response {
	return json({ error: { message, ...(field ? { field } : {}) } }, { status });
}

/** 413 for a request body over MAX_REQUEST_BODY_BYTES. */
export function bodyTooLarge(): Response {
	return apiError(413, BODY_TOO_LARGE_MESSAGE);
}

/**
 * Whether reading a request body failed because it is over the limit: adapter-node (given our limit as
 * BODY_SIZE_LIMIT) errors the body stream with a 413 once more bytes arrive, chunked or not.
 */
export function isBodyTooLarge(err: unknown): boolean {
	return typeof err === 'object' && err !== null && (err as { status?: unknown }).status === 413;
}

/** Whether `body` is exactly the API's error shape. */
export function isApiErrorBody(body: unknown): boolean {
	if (typeof body !== 'object' || body === null || Object.keys(body).join() !== 'error') return false;
	const error = (body as { error: unknown }).error;
	return typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string';
}

export class ApiFailure extends Error {
	constructor(readonly response: Response) {
		super('api failure');
	}
}

/** Parse and validate a JSON body; a bad body becomes a 400 naming the first offending field. */
export async function readJson<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S>> {
	const type = request.headers.get('content-type') ?? '';
	if (!type.toLowerCase().includes('application/json')) {
		throw new ApiFailure(apiError(415, 'Send a JSON body with content-type: application/json'));
	}
	let body: unknown;
	try {
		body = await request.json();
	} catch (err) {
		if (isBodyTooLarge(err)) throw new ApiFailure(bodyTooLarge());
		throw new ApiFailure(apiError(400, 'The body is not valid JSON'));
	}
	const parsed = schema.safeParse(body);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		const field = issue.path.join('.') || undefined;
		throw new ApiFailure(apiError(400, field ? `${field}: ${issue.message}` : issue.message, field));
	}
	return parsed.data;
}

/** Validate query parameters (the first value of each); a bad one becomes a 400 naming it. */
export function readQuery<S extends z.ZodType>(url: URL, schema: S): z.infer<S> {
	const parsed = schema.safeParse(Object.fromEntries(url.searchParams));
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		const field = issue.path.join('.') || undefined;
		throw new ApiFailure(apiError(400, field ? `${field}: ${issue.message}` : issue.message, field));
	}
	return parsed.data;
}

export function requireActor(locals: App.Locals): Actor {
	if (!locals.actor) throw new ApiFailure(apiError(401, 'Sign in or send an API token (Authorization: Bearer …)'));
	return locals.actor;
}

/** What a unique violation of a known index means to the caller (the index name → field and message). */
const UNIQUE_CONFLICTS: Record<string, { field?: string; message: string }> = {
	users_email_idx: { field: 'email', message: 'This e-mail address already has an account' }
};

/**
 * The unique violation (SQLSTATE 23505) behind an error, if it is one: Postgres (postgres.js) and PGlite
 * both report the code; drizzle wraps the driver's error as its `cause`. Returns the violated index's name.
 */
export function uniqueViolation(err: unknown): { constraint: string | null } | null {
	for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
		const { code, constraint_name, constraint } = e as { code?: unknown; constraint_name?: unknown; constraint?: unknown };
		if (code === '23505') {
			const name = typeof constraint_name === 'string' ? constraint_name : typeof constraint === 'string' ? constraint : null;
			return { constraint: name };
		}
	}
	return null;
}

/** A unique violation as the API answers it: 409, naming the field when the index is known. */
export function conflictResponse(violation: { constraint: string | null }): Response {
	const known = violation.constraint ? UNIQUE_CONFLICTS[violation.constraint] : undefined;
	return apiError(409, known?.message ?? 'This conflicts with something that already exists', known?.field);
}

/**
 * Wrap a route handler so thrown ApiFailures become their responses, and a unique violation (two requests
 * creating the same thing at once) a 409 rather than a 500.
 */
export function route<E>(fn: (event: E) => Promise<Response>): (event: E) => Promise<Response> {
	return async (event) => {
		try {
			return await fn(event);
		} catch (err) {
			if (err instanceof ApiFailure) return err.response;
			const violation = uniqueViolation(err);
			if (violation) return conflictResponse(violation);
			throw err;
		}
	};
}

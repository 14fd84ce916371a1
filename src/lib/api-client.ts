// The browser's small client for Galley's JSON API: one place that turns error bodies into messages.

export class ApiError extends Error {
	constructor(
		message: string,
		readonly status: number,
		readonly field?: string,
		/** The whole error body: a 409 on a stale version carries the current state beside `error`. */
		readonly body?: Record<string, unknown>
	) {
		super(message);
	}
}

/** `signal`: aborting it cancels the request, which then rejects with the abort's DOMException (not an ApiError). */
export async function api<T = unknown>(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
	let res: Response;
	try {
		res = await fetch(path, {
			method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
			headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
			body: init.body === undefined ? undefined : JSON.stringify(init.body),
			signal: init.signal
		});
	} catch (err) {
		if (init.signal?.aborted) throw err;
		throw new ApiError('Galley cannot be reached. Check your connection and try again.', 0);
	}
	const data = await res.json().catch(() => null);
	if (!res.ok) {
		throw new ApiError(data?.error?.message ?? `The request failed (${res.status})`, res.status, data?.error?.field, data ?? undefined);
	}
	return data as T;
}

import { fail, type ActionFailure, type RequestEvent } from '@sveltejs/kit';

/**
 * What a page shows after a refused submit: the message next to `field` (null: the form as a whole), and
 * what was typed, so nothing is lost (passwords are never sent back).
 */
export interface FormFailure {
	field: string | null;
	message: string;
	values: Record<string, string>;
}

/** An API route's handler (its exported POST, PUT, PATCH or DELETE). */
type Handler = (event: never) => Response | Promise<Response>;

/**
 * Submit a page's form through the API route that owns the change: the route's own handler runs with this
 * request's person, cookies and params, and the form's fields as its JSON body, so a form and a script
 * (Bearer token) pass the same validation, policies and commands; no rule is written twice. The request
 * has passed the hooks already (session, CSRF) as a POST to the page. A refusal comes back as
 * `fail(status, { field, message, values })`; an answer as the route's JSON.
 */
export async function submitToApi<T = unknown>(
	event: RequestEvent,
	handler: Handler,
	body: unknown,
	opts: { method?: string; params?: Record<string, string>; form?: FormData; query?: Record<string, string> } = {}
): Promise<{ ok: true; data: T } | ActionFailure<FormFailure>> {
	// the page's request headers (Host, cookies: what a route reads of them), with a JSON body instead of the form
	const headers = new Headers(event.request.headers);
	headers.set('content-type', 'application/json');
	headers.delete('content-length');
	// `query`: the route's own query parameters, in place of the page's (`?/action`)
	const url = opts.query ? new URL(`${event.url.pathname}?${new URLSearchParams(opts.query)}`, event.url) : event.url;
	const request = new Request(url, {
		method: opts.method ?? 'POST',
		headers,
		body: body === undefined ? undefined : JSON.stringify(body)
	});
	const res = await handler({ ...event, request, url, params: opts.params ?? event.params } as never);
	const data = await res.json().catch(() => null);
	if (!res.ok) {
		return fail(res.status, {
			field: data?.error?.field ?? null,
			message: data?.error?.message ?? `The request failed (${res.status})`,
			values: opts.form ? typedValues(opts.form) : {}
		});
	}
	return { ok: true, data: data as T };
}

/** A refusal of the form's own (a check no API route makes, e.g. a repeated password that differs). */
export function refuse(form: FormData, status: number, field: string | null, message: string): ActionFailure<FormFailure> {
	return fail(status, { field, message, values: typedValues(form) });
}

/** A form's text fields as typed, passwords left out. */
function typedValues(form: FormData): Record<string, string> {
	const values: Record<string, string> = {};
	for (const [name, value] of form) if (typeof value === 'string' && !/password/i.test(name)) values[name] = value;
	return values;
}

/** A form's text field ('' when absent). */
export function field(form: FormData, name: string): string {
	const value = form.get(name);
	return typeof value === 'string' ? value : '';
}

import { json, type RequestEvent } from '@sveltejs/kit';
import { describe, expect, it, vi } from 'vitest';
import { bodyLimit } from './body-limit';
import { MAX_REQUEST_BODY_BYTES } from '$lib/domain/limits';

const TOO_LARGE = { error: { message: 'The request body is too large: the limit is 5 MiB (5,242,880 bytes).' } };

function event(headers: Record<string, string> = {}, path = '/api/x'): RequestEvent {
	const url = new URL(path, 'http://galley.test');
	return { request: new Request(url, { method: 'POST', headers }), url } as unknown as RequestEvent;
}

describe('bodyLimit', () => {
	it('refuses a declared length over the limit without resolving the request', async () => {
		const resolve = vi.fn();
		const res = await bodyLimit({ event: event({ 'content-length': String(MAX_REQUEST_BODY_BYTES + 1) }), resolve });
		expect(resolve).not.toHaveBeenCalled();
		expect(res.status).toBe(413);
		expect(await res.json()).toEqual(TOO_LARGE);
	});

	it('turns SvelteKit’s own 413 (JSON or an HTML page) into the API’s error shape', async () => {
		for (const sveltekit of [json({ message: 'Payload Too Large' }, { status: 413 }), new Response('<!doctype html><h1>413</h1>', { status: 413, headers: { 'content-type': 'text/html' } })]) {
			const res = await bodyLimit({ event: event({ 'transfer-encoding': 'chunked' }), resolve: async () => sveltekit });
			expect(res.status).toBe(413);
			expect(await res.json()).toEqual(TOO_LARGE);
		}
	});

	it('leaves a 413 already in the API’s shape, and every other answer, as they are', async () => {
		const ours = json({ error: { message: 'The transcript is too large.', field: 'text' } }, { status: 413 });
		expect(await bodyLimit({ event: event(), resolve: async () => ours })).toBe(ours);
		const ok = json({ ok: true });
		expect(await bodyLimit({ event: event({ 'content-length': String(MAX_REQUEST_BODY_BYTES) }), resolve: async () => ok })).toBe(ok);
	});

	it('answers an oversized issue import with the import’s 422 (what it answers every text it cannot import)', async () => {
		const resolve = vi.fn();
		const declared = await bodyLimit({ event: event({ 'content-length': String(MAX_REQUEST_BODY_BYTES + 1) }, '/api/issues/import'), resolve });
		expect(resolve).not.toHaveBeenCalled();
		expect(declared.status).toBe(422);
		expect((await declared.json()).error).toMatchObject({ field: 'text', message: expect.stringMatching(/^The issue's text is too large: the limit is 5 MiB/) });
		const chunked = await bodyLimit({ event: event({ 'transfer-encoding': 'chunked' }, '/api/issues/import?dryRun=1'), resolve: async () => json({ message: 'Payload Too Large' }, { status: 413 }) });
		expect(chunked.status).toBe(422);
	});
});

// Against a real Galley process: one request body limit (5 MiB) on every route, answered in the API's error
// shape however the body comes (declared length or chunked, text or JSON); the security headers of pages, and
// exports served as sandboxed attachments. Outside clients: Bearer token, no Origin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGalley, type GalleyTestDatabase, type RunningGalley } from '../support/galley-server';
import { freshTestDatabase, serverEnv } from '../support/test-database';
import { setUpEditor, tokenClient, type TestClient } from '../support/api-client';
import { MAX_REQUEST_BODY_BYTES } from '../../src/lib/domain/limits';

const START_TIMEOUT = 120_000;
const MiB = 1024 * 1024;

/** A transcript of about `bytes` bytes: 32 long turns, alternating speakers. */
function transcript(bytes: number): string {
	const turn = Math.floor(bytes / 32);
	let text = '';
	for (let i = 0; i < 32; i++) text += `${i % 2 ? 'AG' : 'TM'}: ${'word '.repeat(Math.floor((turn - 6) / 5))}\n`;
	return text;
}

/** A body sent chunked (no content-length) in 64 KiB pieces. */
function chunked(text: string): { body: ReadableStream<Uint8Array>; duplex: 'half' } {
	const bytes = new TextEncoder().encode(text);
	let offset = 0;
	const body = new ReadableStream<Uint8Array>({
		pull(controller) {
			if (offset >= bytes.length) return controller.close();
			controller.enqueue(bytes.subarray(offset, offset + 64 * 1024));
			offset += 64 * 1024;
		}
	});
	return { body, duplex: 'half' };
}

describe('request limits and security headers', () => {
	let database: GalleyTestDatabase;
	let galley: RunningGalley;
	let script: TestClient;
	let auth: Record<string, string>;
	let interview: string;

	beforeAll(async () => {
		database = await freshTestDatabase('pglite');
		galley = await startGalley(serverEnv(database));
		script = await tokenClient(await setUpEditor(galley.url), 'script');
		auth = { authorization: `Bearer ${script.token}` };
		const res = await script.post('/api/pieces', { kind: 'interview', title: 'Élections: "Kabul" / 2026 <draft>' });
		expect(res.status).toBe(201);
		interview = res.json.piece.id;
	}, START_TIMEOUT);

	afterAll(async () => {
		await galley?.stop();
		await database?.drop();
	});

	/** POST with exactly these headers: Bearer, no cookie, no Origin. */
	async function post(path: string, init: RequestInit & { duplex?: 'half' }) {
		const res = await fetch(galley.url + path, { method: 'POST', ...init, headers: { ...auth, ...(init.headers as Record<string, string>) } });
		const text = await res.text();
		let json: unknown = null;
		try {
			json = JSON.parse(text);
		} catch {
			/* not JSON */
		}
		return { status: res.status, json, text, headers: res.headers };
	}

	const tooLarge = {
		error: { message: `The request body is too large: the limit is 5 MiB (${MAX_REQUEST_BODY_BYTES.toLocaleString('en-US')} bytes).` }
	};

	describe('one body limit of 5 MiB', () => {
		it('imports a 1 MiB transcript sent as text/plain (more than adapter-node’s default 512 KiB)', async () => {
			const text = transcript(MiB);
			expect(Buffer.byteLength(text)).toBeGreaterThan(MiB - 1024);
			const res = await post(`/api/pieces/${interview}/transcript`, { headers: { 'content-type': 'text/plain' }, body: text });
			expect(res.status, res.text).toBe(201);
			expect(res.json).toMatchObject({ dryRun: false, imported: 32 });
		});

		it('imports a 1 MiB transcript sent chunked, and a 1 MiB one as JSON (dry run)', async () => {
			const text = transcript(MiB);
			const plain = await post(`/api/pieces/${interview}/transcript?dryRun=1`, { headers: { 'content-type': 'text/plain' }, ...chunked(text) });
			expect(plain.status, plain.text).toBe(200);
			const json = await post(`/api/pieces/${interview}/transcript?dryRun=1`, { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
			expect(json.status, json.text).toBe(200);
			expect(json.json).toMatchObject({ dryRun: true });
		});

		it('refuses a 6 MiB transcript with 413 in the API’s error shape: text/plain with a content-length', async () => {
			const res = await post(`/api/pieces/${interview}/transcript`, { headers: { 'content-type': 'text/plain' }, body: transcript(6 * MiB) });
			expect(res.status).toBe(413);
			expect(res.headers.get('content-type')).toBe('application/json');
			expect(res.json).toEqual(tooLarge);
		});

		it('refuses a 6 MiB transcript sent chunked (no content-length) with 413 in the API’s error shape', async () => {
			const plain = await post(`/api/pieces/${interview}/transcript`, { headers: { 'content-type': 'text/plain' }, ...chunked(transcript(6 * MiB)) });
			expect(plain.status).toBe(413);
			expect(plain.json).toEqual(tooLarge);
			const json = await post(`/api/pieces/${interview}/transcript`, { headers: { 'content-type': 'application/json' }, ...chunked(JSON.stringify({ text: transcript(6 * MiB) })) });
			expect(json.status).toBe(413);
			expect(json.json).toEqual(tooLarge);
		});

		it('holds the same limit on every route: an over-limit JSON body is 413 (not 400) in the API’s shape, and changes nothing', async () => {
			const body = JSON.stringify({ kind: 'brief', title: 'x'.repeat(6 * MiB) });
			const declared = await post('/api/pieces', { headers: { 'content-type': 'application/json' }, body });
			expect(declared.status).toBe(413);
			expect(declared.json).toEqual(tooLarge);
			const streamed = await post('/api/pieces', { headers: { 'content-type': 'application/json' }, ...chunked(body) });
			expect(streamed.status).toBe(413);
			expect(streamed.json).toEqual(tooLarge);
			// a form post to a page is held to it too
			const page = await post('/login', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a='.padEnd(6 * MiB, 'a') });
			expect(page.status).toBe(413);
			expect(page.json).toEqual(tooLarge);
			const pieces = (await script.get('/api/pieces')).json.pieces as { kind: string }[];
			expect(pieces.filter((p) => p.kind === 'brief')).toEqual([]);
		});
	});
});

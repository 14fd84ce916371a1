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
	for (let i = 0; i < 32; i++) text += `${i % 2 ? 'AV' : 'BW'}: ${'word '.repeat(Math.floor((turn - 6) / 5))}\n`;
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
		const res = await script.post('/api/pieces', { kind: 'interview', title: 'Élections: "Varesh" / 2026 <draft>' });
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

	describe('security headers', () => {
		it('sends pages with a Content-Security-Policy (nonce for the hydration script, no framing) and the other headers', async () => {
			const res = await fetch(galley.url + '/login');
			expect(res.status).toBe(200);
			const csp = res.headers.get('content-security-policy') ?? '';
			const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values.join(' ')]));
			expect(directives['default-src']).toBe("'self'");
			expect(directives['script-src']).toMatch(/^'self' 'nonce-[A-Za-z0-9+/=]+'$/);
			expect(directives['connect-src']).toBe("'self'");
			expect(directives['object-src']).toBe("'none'");
			expect(directives['frame-ancestors']).toBe("'none'");
			// the nonce is the one on the inline hydration script
			const nonce = /'nonce-([^']+)'/.exec(directives['script-src'])![1];
			expect(await res.text()).toContain(`<script nonce="${nonce}">`);
			expect(res.headers.get('x-frame-options')).toBe('DENY');
			expect(res.headers.get('referrer-policy')).toBe('same-origin');
			expect(res.headers.get('x-content-type-options')).toBe('nosniff');
		});

		it('serves the HTML and Markdown exports as sandboxed attachments named after the piece, and JSON as before', async () => {
			const html = await fetch(`${galley.url}/api/pieces/${interview}/content?format=html`, { headers: auth });
			expect(html.status).toBe(200);
			expect(html.headers.get('content-type')).toMatch(/^text\/html/);
			expect(html.headers.get('content-security-policy')).toBe('sandbox');
			expect(html.headers.get('content-disposition')).toBe('attachment; filename="Elections-Varesh-2026-draft.html"');
			expect(html.headers.get('x-content-type-options')).toBe('nosniff');

			const md = await fetch(`${galley.url}/api/pieces/${interview}/content?format=markdown`, { headers: auth });
			expect(md.status).toBe(200);
			expect(md.headers.get('content-security-policy')).toBe('sandbox');
			expect(md.headers.get('content-disposition')).toBe('attachment; filename="Elections-Varesh-2026-draft.md"');
			expect(md.headers.get('x-content-type-options')).toBe('nosniff');

			const json = await fetch(`${galley.url}/api/pieces/${interview}/content?format=json`, { headers: auth });
			expect(json.status).toBe(200);
			expect(json.headers.get('content-type')).toBe('application/json');
			expect(json.headers.get('content-disposition')).toBeNull();
			expect(json.headers.get('content-security-policy')).toBeNull();
		});
	});
});

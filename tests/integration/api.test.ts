// The JSON API against a real Galley process: validation, authentication, authorization, CSRF, tokens,
// rendering. One server per database kind for the whole file.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { databaseKinds, startGalley, type GalleyTestDatabase, type RunningGalley } from '../support/galley-server';
import { freshTestDatabase, serverEnv } from '../support/test-database';
import { EDITOR, TestClient, setUpEditor, tokenClient } from '../support/api-client';
import { connectCollab } from '../support/collab-client';
import { openApiDocument } from '../../src/lib/server/api/openapi';

/** Starting a server on a 2-core machine busy with other test runs can take tens of seconds. */
const START_TIMEOUT = 120_000;

/** Every operation of the API's OpenAPI document that does not declare itself public (`security: []`). */
function protectedOperations(): [string, string][] {
	const doc = openApiDocument() as unknown as { paths: Record<string, Record<string, { security?: unknown[] }>> };
	const ops: [string, string][] = [];
	for (const [path, item] of Object.entries(doc.paths)) {
		for (const [method, op] of Object.entries(item)) {
			if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
			if (Array.isArray(op.security) && op.security.length === 0) continue;
			if (method === 'post' && path === '/api/auth/logout') continue; // signing out is idempotent: 200 for anyone
			ops.push([method.toUpperCase(), path]);
		}
	}
	return ops;
}

const CONTRIBUTOR = { email: 'carl@example.org', name: 'Carl Contributor', password: 'contributor secret 1', role: 'contributor' };

describe.each(databaseKinds())('API on %s', (kind) => {
	let database: GalleyTestDatabase;
	let galley: RunningGalley;
	let editor: TestClient; // signed in with a cookie, like the browser
	let script: TestClient; // Bearer token, like curl
	let contributor: TestClient;

	beforeAll(async () => {
		database = await freshTestDatabase(kind);
		galley = await startGalley(serverEnv(database));
	}, START_TIMEOUT);

	afterAll(async () => {
		await galley?.stop();
		await database?.drop();
	});

	/** A fetch with exactly these headers: no cookie, no Origin unless given. */
	const raw = (path: string, init: RequestInit = {}) => fetch(galley.url + path, { redirect: 'manual', ...init });

	describe('health and setup', () => {
		it('answers health with 200 and the database kind', async () => {
			const res = await new TestClient(galley.url).get('/api/health');
			expect(res.status).toBe(200);
			expect(res.json).toEqual({ ok: true, database: kind });
		});

		it('validates the setup body before creating anything, naming the field', async () => {
			const anon = new TestClient(galley.url);
			const short = await anon.post('/api/setup', { ...EDITOR, password: 'short' });
			expect(short.status).toBe(400);
			expect(short.json.error.field).toBe('password');
			const email = await anon.post('/api/setup', { ...EDITOR, email: 'not-an-address' });
			expect(email.status).toBe(400);
			expect(email.json.error.field).toBe('email');
			expect((await anon.get('/api/setup')).json).toEqual({ needed: true });
		});

		it('creates the editor with 201, then refuses a second setup with 409', async () => {
			editor = await setUpEditor(galley.url);
			expect(editor.cookie).toMatch(/^galley_session=./);
			const me = await editor.get('/api/me');
			expect(me.status).toBe(200);
			expect(me.json.user).toMatchObject({ email: EDITOR.email, name: EDITOR.name, role: 'editor' });

			const again = await new TestClient(galley.url).post('/api/setup', { ...EDITOR, email: 'other@example.org' });
			expect(again.status).toBe(409);
			expect((await editor.get('/api/setup')).json).toEqual({ needed: false });

			script = await tokenClient(editor, 'script');
			const people = await editor.post('/api/people', CONTRIBUTOR);
			expect(people.status).toBe(201);
			expect(people.json.user).toMatchObject({ email: CONTRIBUTOR.email, role: 'contributor' });
			contributor = new TestClient(galley.url);
			const login = await contributor.post('/api/auth/login', { email: CONTRIBUTOR.email, password: CONTRIBUTOR.password });
			expect(login.status).toBe(200);
			expect(contributor.cookie).toBeTruthy();
		});
	});

	describe('validation', () => {
		it('refuses an unknown piece kind with 400 naming `kind`', async () => {
			const res = await editor.post('/api/pieces', { kind: 'poem', title: 'Ode' });
			expect(res.status).toBe(400);
			expect(res.json.error.field).toBe('kind');
		});

		it('refuses an empty (or blank) title with 400 naming `title`', async () => {
			for (const title of ['', '   ']) {
				const res = await editor.post('/api/pieces', { kind: 'brief', title });
				expect(res.status).toBe(400);
				expect(res.json.error.field).toBe('title');
			}
		});

		it('refuses a short password when inviting with 400 naming `password`', async () => {
			const res = await editor.post('/api/people', { email: 'p@example.org', name: 'P', role: 'contributor', password: 'short' });
			expect(res.status).toBe(400);
			expect(res.json.error.field).toBe('password');
		});

		it('refuses a body that is not JSON with 400, and a non-JSON content type with 415', async () => {
			const broken = await editor.post('/api/pieces', '{"kind": "brief", ', { 'content-type': 'application/json' });
			expect(broken.status).toBe(400);
			expect(broken.json.error.message).toMatch(/not valid JSON/);
			const form = await editor.post('/api/pieces', 'kind=brief&title=x', { 'content-type': 'application/x-www-form-urlencoded' });
			expect(form.status).toBe(415);
			expect(form.json.error.message).toMatch(/application\/json/);
		});

		it('refuses an unknown field and an empty PATCH with 400', async () => {
			const created = await editor.post('/api/pieces', { kind: 'brief', title: 'To patch' });
			const id = created.json.piece.id;
			const unknown = await editor.patch(`/api/pieces/${id}`, { reviewState: 'published' });
			expect(unknown.status).toBe(400);
			const empty = await editor.patch(`/api/pieces/${id}`, {});
			expect(empty.status).toBe(400);
			const ok = await editor.patch(`/api/pieces/${id}`, { title: 'Patched' });
			expect(ok.status).toBe(200);
			expect(ok.json.piece.title).toBe('Patched');
			expect(ok.json.piece.reviewState).toBe('draft');
		});
	});

	describe('authentication', () => {
		it.each(protectedOperations())('%s %s requires authentication (401 without credentials)', async (method, path) => {
			const body = ['POST', 'PUT', 'PATCH'].includes(method) ? {} : undefined; // auth comes before validation
			const res = await new TestClient(galley.url).request(method, path.replace(/\{[^}]+\}/g, 'some-id'), body);
			expect(res.status).toBe(401);
			expect(res.json.error.message).toMatch(/Sign in/);
		});

		it('derives the protected operations from the OpenAPI document (whose paths the OpenAPI test checks)', () => {
			const ops = protectedOperations().map(([method, path]) => `${method} ${path}`);
			expect(ops).toEqual(expect.arrayContaining(['GET /api/me', 'POST /api/pieces', 'PATCH /api/pieces/{id}', 'GET /api/pieces/{id}/content', 'POST /api/people', 'DELETE /api/tokens/{id}']));
			expect(ops).not.toContain('GET /api/health');
			expect(ops).not.toContain('POST /api/auth/login');
			expect(ops).not.toContain('POST /api/setup');
		});

		it('refuses a made-up Bearer token with 401', async () => {
			const res = await raw('/api/me', { headers: { authorization: 'Bearer glly_not-a-real-token' } });
			expect(res.status).toBe(401);
		});

		it('answers a wrong password with 401 naming `password`', async () => {
			const res = await new TestClient(galley.url).post('/api/auth/login', { email: EDITOR.email, password: 'wrong password!' });
			expect(res.status).toBe(401);
			expect(res.json.error.field).toBe('password');
		});

		// Sign-in rate limits (per address, per account; no lock-out of the right password): rate-limits.test.ts

		it('signs out: the old session cookie stops working', async () => {
			const session = new TestClient(galley.url);
			expect((await session.post('/api/auth/login', { email: EDITOR.email, password: EDITOR.password })).status).toBe(200);
			const cookie = session.cookie!;
			expect((await session.post('/api/auth/logout')).status).toBe(200);
			const res = await raw('/api/me', { headers: { cookie } });
			expect(res.status).toBe(401);
		});
	});

	describe('authorization', () => {
		let editorsPiece: string;

		beforeAll(async () => {
			const res = await editor.post('/api/pieces', { kind: 'article', title: 'Editor only' });
			expect(res.status).toBe(201);
			editorsPiece = res.json.piece.id;
		});

		it('hides the editor’s piece from a contributor: not listed, and 404 on every piece route', async () => {
			const list = await contributor.get('/api/pieces');
			expect(list.status).toBe(200);
			expect(list.json.pieces.map((p: { id: string }) => p.id)).not.toContain(editorsPiece);
			expect((await contributor.get(`/api/pieces/${editorsPiece}`)).status).toBe(404);
			expect((await contributor.get(`/api/pieces/${editorsPiece}/content?format=markdown`)).status).toBe(404);
			expect((await contributor.patch(`/api/pieces/${editorsPiece}`, { title: 'Mine now' })).status).toBe(404);
			// the same answer as a piece that does not exist: ids are not confirmed
			expect((await contributor.get('/api/pieces/does-not-exist')).status).toBe(404);
			expect((await editor.get(`/api/pieces/${editorsPiece}`)).json.piece.title).toBe('Editor only');
		});

		it('lets a contributor see their own piece but not invite people (403)', async () => {
			const own = await contributor.post('/api/pieces', { kind: 'brief', title: 'Carl’s brief' });
			expect(own.status).toBe(201);
			expect(own.json.piece.actions).toMatchObject({ view: true, edit_text: true, delete: false });
			expect((await contributor.get(`/api/pieces/${own.json.piece.id}`)).status).toBe(200);
			// the editor sees everyone's pieces
			expect((await editor.get(`/api/pieces/${own.json.piece.id}`)).status).toBe(200);

			const invite = await contributor.post('/api/people', { email: 'friend@example.org', name: 'Friend', role: 'editor' });
			expect(invite.status).toBe(403);
			const people = await contributor.get('/api/people');
			expect(people.status).toBe(200);
			expect(people.json.invites).toEqual([]);
		});
	});

	describe('Bearer tokens and CSRF', () => {
		it('works with a Bearer token and no Origin header for GET, POST and PATCH, like curl', async () => {
			const auth = { authorization: `Bearer ${script.token}` };
			const me = await raw('/api/me', { headers: auth });
			expect(me.status).toBe(200);
			const created = await raw('/api/pieces', {
				method: 'POST',
				headers: { ...auth, 'content-type': 'application/json' },
				body: JSON.stringify({ kind: 'interview', title: 'From a script' })
			});
			expect(created.status).toBe(201);
			const { piece } = await created.json();
			const patched = await raw(`/api/pieces/${piece.id}`, {
				method: 'PATCH',
				headers: { ...auth, 'content-type': 'application/json' },
				body: JSON.stringify({ title: 'Renamed by a script' })
			});
			expect(patched.status).toBe(200);
			expect((await patched.json()).piece.title).toBe('Renamed by a script');
		});

		it('answers a Bearer text/plain POST to a JSON route with 415 from the route, not a CSRF 403', async () => {
			const res = await raw('/api/pieces', {
				method: 'POST',
				headers: { authorization: `Bearer ${script.token}`, 'content-type': 'text/plain' },
				body: 'Transcript of an interview'
			});
			expect(res.status).toBe(415);
			expect((await res.json()).error.message).toMatch(/application\/json/);
		});

		it('refuses a cookie-authenticated POST without Origin (403), and with a foreign Origin (403)', async () => {
			const body = JSON.stringify({ kind: 'brief', title: 'Forged' });
			const noOrigin = await raw('/api/pieces', { method: 'POST', headers: { cookie: editor.cookie!, 'content-type': 'application/json' }, body });
			expect(noOrigin.status).toBe(403);
			expect((await noOrigin.json()).error.message).toMatch(/Cross-site/);
			const foreign = await raw('/api/pieces', {
				method: 'POST',
				headers: { cookie: editor.cookie!, origin: 'http://evil.example', 'content-type': 'application/json' },
				body
			});
			expect(foreign.status).toBe(403);
			const foreignForm = await raw('/api/auth/logout', {
				method: 'POST',
				headers: { cookie: editor.cookie!, origin: 'http://evil.example', 'content-type': 'text/plain' },
				body: 'x'
			});
			expect(foreignForm.status).toBe(403);
			const titles = (await editor.get('/api/pieces')).json.pieces.map((p: { title: string }) => p.title);
			expect(titles).not.toContain('Forged');
		});

		it('accepts a cookie-authenticated POST carrying the app’s own Origin', async () => {
			const res = await raw('/api/pieces', {
				method: 'POST',
				headers: { cookie: editor.cookie!, origin: galley.url, 'content-type': 'application/json' },
				body: JSON.stringify({ kind: 'brief', title: 'Same origin' })
			});
			expect(res.status).toBe(201);
		});

		it('stops accepting a token once it is revoked (DELETE /api/tokens/:id)', async () => {
			const created = await editor.post('/api/tokens', { name: 'short-lived' });
			expect(created.status).toBe(201);
			const { id, token } = created.json;
			const auth = { authorization: `Bearer ${token}` };
			expect((await raw('/api/me', { headers: auth })).status).toBe(200);
			const listed = await editor.get('/api/tokens');
			expect(listed.json.tokens.map((t: { id: string }) => t.id)).toContain(id);
			expect(JSON.stringify(listed.json)).not.toContain(token);

			const revoked = await editor.request('DELETE', `/api/tokens/${id}`);
			expect(revoked.status).toBe(200);
			expect((await raw('/api/me', { headers: auth })).status).toBe(401);
			expect((await raw('/api/pieces', { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{"kind":"brief","title":"x"}' })).status).toBe(401);
			expect((await editor.request('DELETE', `/api/tokens/${id}`)).status).toBe(404);
			expect((await editor.get('/api/tokens')).json.tokens.map((t: { id: string }) => t.id)).not.toContain(id);
		});

		it('does not let one user revoke another user’s token', async () => {
			const theirs = await editor.post('/api/tokens', { name: 'editor’s' });
			expect((await contributor.request('DELETE', `/api/tokens/${theirs.json.id}`)).status).toBe(404);
			expect((await raw('/api/me', { headers: { authorization: `Bearer ${theirs.json.token}` } })).status).toBe(200);
		});
	});

	describe('content rendering', () => {
		let interview: string;

		beforeAll(async () => {
			const res = await script.post('/api/pieces', { kind: 'interview', title: 'An interview' });
			expect(res.status).toBe(201);
			interview = res.json.piece.id;
		});

		it('renders a new interview as json, markdown (with the BW: speaker label) and html', async () => {
			const json = await script.get(`/api/pieces/${interview}/content?format=json`);
			expect(json.status).toBe(200);
			expect(json.headers.get('content-type')).toBe('application/json');
			expect(json.json.type).toBe('doc');
			expect(JSON.stringify(json.json)).toContain('"label":"BW"');
			const byDefault = await script.get(`/api/pieces/${interview}/content`);
			expect(byDefault.json).toEqual(json.json);

			const md = await script.get(`/api/pieces/${interview}/content?format=markdown`);
			expect(md.status).toBe(200);
			expect(md.headers.get('content-type')).toMatch(/^text\/markdown/);
			// a question line starts with the interviewer’s label
			expect(md.text).toMatch(/^(\*\*)?BW:(\*\*)? /m);

			const html = await script.get(`/api/pieces/${interview}/content?format=html`);
			expect(html.status).toBe(200);
			expect(html.headers.get('content-type')).toMatch(/^text\/html/);
			expect(html.text).toContain('<strong>BW:</strong>');
		});

		it('refuses an unknown format with 400 naming `format`', async () => {
			const res = await script.get(`/api/pieces/${interview}/content?format=bad`);
			expect(res.status).toBe(400);
			expect(res.json.error.field).toBe('format');
		});

		it('escapes hostile text typed into the document when rendering HTML', async () => {
			const hostile = '<script>alert(1)</script><img src=x onerror=alert(2)>';
			const client = connectCollab(galley.wsUrl, interview, { token: script.token! });
			try {
				await client.synced;
				client.appendParagraph(hostile);
				await vi.waitFor(() => expect(client.ownEditsAcked()).toBe(true), { timeout: 10_000 });
			} finally {
				client.destroy();
			}
			const html = await script.get(`/api/pieces/${interview}/content?format=html`);
			expect(html.status).toBe(200);
			expect(html.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;');
			expect(html.text).not.toMatch(/<script|<img/i);
			expect(html.headers.get('x-content-type-options')).toBe('nosniff');
			const md = await script.get(`/api/pieces/${interview}/content?format=markdown`);
			expect(md.text).toContain('alert(1)');
		});
	});
});

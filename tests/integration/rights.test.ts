// Who may do what, against a real Galley process, called like outside scripts do (Bearer tokens, no
// Origin header): the lock of approved and published pieces covers details and authors too, the source
// library is the editor's to edit, review moves a role may never make are 403, contributors see no
// one else's e-mail address. (That the websocket confirms no piece id it will not open, 404 alike for a
// hidden piece and a missing one, is proved with its other upgrade checks in collab.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startGalley, type GalleyTestDatabase, type RunningGalley } from '../support/galley-server';
import { freshTestDatabase, serverEnv } from '../support/test-database';
import { EDITOR, TestClient, setUpEditor, tokenClient } from '../support/api-client';

/** Starting a server on a 2-core machine busy with other test runs can take tens of seconds. */
const START_TIMEOUT = 120_000;

const CARL = { email: 'carl@example.org', name: 'Carl Contributor', password: 'contributor secret 1', role: 'contributor' };
const DORA = { email: 'dora@example.org', name: 'Dora Contributor', password: 'contributor secret 2', role: 'contributor' };

describe.each(databaseKinds())('rights on %s', (kind) => {
	let database: GalleyTestDatabase;
	let galley: RunningGalley;
	let editor: TestClient; // Bearer, no Origin
	let carl: TestClient; // Bearer, no Origin
	let carlCookie: TestClient; // signed in like the browser

	beforeAll(async () => {
		database = await freshTestDatabase(kind);
		galley = await startGalley(serverEnv(database));
		const signedIn = await setUpEditor(galley.url);
		editor = await tokenClient(signedIn, 'rights tests');
		for (const person of [CARL, DORA]) expect((await editor.post('/api/people', person)).status).toBe(201);
		carlCookie = new TestClient(galley.url);
		expect((await carlCookie.post('/api/auth/login', { email: CARL.email, password: CARL.password })).status).toBe(200);
		carl = await tokenClient(carlCookie, 'rights tests');
		carlCookie.token = null;
	}, START_TIMEOUT);

	afterAll(async () => {
		await galley?.stop();
		await database?.drop();
	});

	const put = (client: TestClient, path: string, body: unknown) => client.request('PUT', path, body);

	/** A piece of Carl's, moved by him into review and by the editor to `state`. */
	async function carlsPieceIn(state: 'approved' | 'published', kind = 'interview'): Promise<string> {
		const created = await carl.post('/api/pieces', { kind, title: `Carl’s ${state} piece` });
		expect(created.status).toBe(201);
		const id = created.json.piece.id;
		expect((await carl.post(`/api/pieces/${id}/review`, { to: 'in_review' })).status).toBe(200);
		expect((await editor.post(`/api/pieces/${id}/review`, { to: 'approved' })).status).toBe(200);
		if (state === 'published') expect((await editor.post(`/api/pieces/${id}/review`, { to: 'published' })).status).toBe(200);
		return id;
	}

	describe('the lock of an approved or published piece', () => {
		it.each(['approved', 'published'] as const)('refuses to change the title, kind or authors of a %s piece (409), for its author and the editor alike, and changes nothing', async (state) => {
			const id = await carlsPieceIn(state);
			const before = await carl.get(`/api/pieces/${id}`);
			const authorsBefore = (await carl.get(`/api/pieces/${id}/authors`)).json.authors;
			expect(authorsBefore).toHaveLength(1);
			const dora = (await editor.get('/api/contributors')).json.contributors.find((c: { name: string }) => c.name === DORA.name);

			for (const client of [carl, editor]) {
				const title = await client.patch(`/api/pieces/${id}`, { title: 'Changed after approval' });
				expect(title.status).toBe(409);
				expect(title.json.error.message).toMatch(/locked/i);
				expect(title.json.error.message).toMatch(/reopen/i);
				expect((await client.patch(`/api/pieces/${id}`, { kind: 'brief' })).status).toBe(409);
				const authors = await put(client, `/api/pieces/${id}/authors`, { authors: [{ contributorId: dora.id, bioOverride: 'A fake bio' }] });
				expect(authors.status).toBe(409);
				expect(authors.json.error.message).toMatch(/locked/i);
			}

			const after = await carl.get(`/api/pieces/${id}`);
			expect(after.json.piece).toMatchObject({ title: before.json.piece.title, kind: 'interview', reviewState: state });
			expect((await carl.get(`/api/pieces/${id}/authors`)).json.authors).toEqual(authorsBefore);
		});

		it('says in the actions returned with a locked piece that its details may not be changed, for everyone', async () => {
			const id = await carlsPieceIn('approved');
			for (const client of [carl, editor]) {
				const { piece } = (await client.get(`/api/pieces/${id}`)).json;
				expect(piece.actions).toMatchObject({ view: true, edit_text: false, update_details: false });
				const listed = (await client.get('/api/pieces')).json.pieces.find((p: { id: string }) => p.id === id);
				expect(listed.actions.update_details).toBe(false);
			}
		});

		it('refuses a transcript import whose body was still arriving when the editor approved the piece (409), and imports nothing', async () => {
			const created = await carl.post('/api/pieces', { kind: 'interview', title: 'Approved while uploading' });
			const id = created.json.piece.id;
			expect((await carl.post(`/api/pieces/${id}/review`, { to: 'in_review' })).status).toBe(200);
			// a slow upload: the first half of the transcript now, the rest once the piece is approved
			let sendRest!: () => void;
			const body = new ReadableStream<Uint8Array>({
				start(controller) {
					controller.enqueue(new TextEncoder().encode('BW: Why now?\n'));
					sendRest = () => {
						controller.enqueue(new TextEncoder().encode('AV: Because the upload was slow.\n'));
						controller.close();
					};
				}
			});
			const upload = fetch(`${galley.url}/api/pieces/${id}/transcript`, {
				method: 'POST',
				headers: { authorization: `Bearer ${carl.token}`, 'content-type': 'text/plain' },
				body,
				duplex: 'half'
			} as RequestInit);
			await new Promise((r) => setTimeout(r, 300)); // the route has checked the rights and waits for the body
			expect((await editor.post(`/api/pieces/${id}/review`, { to: 'approved' })).status).toBe(200);
			sendRest();
			const res = await upload;
			expect(res.status).toBe(409);
			expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/locked/i);
			expect((await editor.get(`/api/pieces/${id}/content?format=markdown`)).text).not.toContain('the upload was slow');
		});

		it('refuses a transcript import into a locked piece with 409 (dry run included), and imports once the editor reopens it', async () => {
			const id = await carlsPieceIn('published');
			const transcript = 'BW: Why now?\nAV: Because it is time.';
			const locked = await carl.post(`/api/pieces/${id}/transcript`, transcript, { 'content-type': 'text/plain' });
			expect(locked.status).toBe(409);
			expect(locked.json.error.message).toMatch(/locked/i);
			expect((await carl.post(`/api/pieces/${id}/transcript?dryRun=1`, transcript, { 'content-type': 'text/plain' })).status).toBe(409);
			expect((await editor.post(`/api/pieces/${id}/transcript`, transcript, { 'content-type': 'text/plain' })).status).toBe(409);
			expect((await editor.get(`/api/pieces/${id}/content?format=markdown`)).text).not.toContain('Because it is time');

			expect((await editor.post(`/api/pieces/${id}/review`, { to: 'draft' })).status).toBe(200);
			expect((await carl.post(`/api/pieces/${id}/transcript`, transcript, { 'content-type': 'text/plain' })).status).toBe(201);
		});

		it('lets the author change details and authors again once the editor reopens the piece', async () => {
			const id = await carlsPieceIn('published', 'brief');
			expect((await editor.post(`/api/pieces/${id}/review`, { to: 'draft' })).status).toBe(200);
			const renamed = await carl.patch(`/api/pieces/${id}`, { title: 'Renamed after reopening', kind: 'article' });
			expect(renamed.status).toBe(200);
			expect(renamed.json.piece).toMatchObject({ title: 'Renamed after reopening', kind: 'article' });
			expect(renamed.json.piece.actions.update_details).toBe(true);
			expect((await put(carl, `/api/pieces/${id}/authors`, { authors: [] })).status).toBe(200);
		});

		it('still answers 404, not 409, to someone who may not see the locked piece', async () => {
			const id = await carlsPieceIn('approved');
			const dora = new TestClient(galley.url);
			expect((await dora.post('/api/auth/login', { email: DORA.email, password: DORA.password })).status).toBe(200);
			const doraApi = await tokenClient(dora, 'dora');
			expect((await doraApi.patch(`/api/pieces/${id}`, { title: 'x' })).status).toBe(404);
			expect((await put(doraApi, `/api/pieces/${id}/authors`, { authors: [] })).status).toBe(404);
		});
	});

	describe('review moves', () => {
		it('answers 403 when an author tries a move their role may never make (approve, publish, request changes), and changes nothing', async () => {
			const created = await carl.post('/api/pieces', { kind: 'brief', title: 'Carl approves himself' });
			const id = created.json.piece.id;
			expect((await carl.post(`/api/pieces/${id}/review`, { to: 'in_review' })).status).toBe(200);
			for (const to of ['approved', 'changes_requested', 'published']) {
				const res = await carl.post(`/api/pieces/${id}/review`, { to });
				expect(res.status, to).toBe(403);
				expect(res.json.error.message).toMatch(/only the editor/i);
				expect(res.json.error.field).toBe('to');
			}
			expect((await carl.get(`/api/pieces/${id}`)).json.piece.reviewState).toBe('in_review');
		});

		it('answers 403 when an author tries to reopen an approved piece (the editor’s move)', async () => {
			const id = await carlsPieceIn('approved', 'brief');
			const res = await carl.post(`/api/pieces/${id}/review`, { to: 'draft' });
			expect(res.status).toBe(403);
			expect((await carl.get(`/api/pieces/${id}`)).json.piece.reviewState).toBe('approved');
		});

		it('keeps 409 with the allowed moves for a move the author may make but not from the current state', async () => {
			const created = await carl.post('/api/pieces', { kind: 'brief', title: 'Carl resubmits too early' });
			const id = created.json.piece.id;
			expect((await carl.post(`/api/pieces/${id}/review`, { to: 'in_review' })).status).toBe(200);
			const res = await carl.post(`/api/pieces/${id}/review`, { to: 'in_review' });
			expect(res.status).toBe(409);
			expect(res.json.error.message).toMatch(/you may move it to: draft/);
			// and the editor, who may make every move, gets 409 for one the state forbids
			const skip = await editor.post(`/api/pieces/${id}/review`, { to: 'published' });
			expect(skip.status).toBe(409);
		});
	});

	describe('the source library', () => {
		it('lets a contributor add a source but not rename or re-point one (403, unchanged); the editor edits it', async () => {
			const added = await carl.post('/api/sources', { name: 'Varesh Daily', url: 'https://www.vareshdaily.example' });
			expect(added.status).toBe(201);
			const id = added.json.source.id;

			const renamed = await carl.patch(`/api/sources/${id}`, { name: 'Varesh Daily News (fake)', url: 'https://vareshdaily-fake.example' });
			expect(renamed.status).toBe(403);
			expect(renamed.json.error.message).toMatch(/editor/i);
			expect((await carl.patch(`/api/sources/${id}`, { url: 'https://vareshdaily-fake.example' })).status).toBe(403);
			const listed = (await carl.get('/api/sources?q=varesh')).json.sources;
			expect(listed).toEqual([{ id, name: 'Varesh Daily', url: 'https://www.vareshdaily.example' }]);

			const edited = await editor.patch(`/api/sources/${id}`, { url: 'https://www.vareshdaily.example/news' });
			expect(edited.status).toBe(200);
			expect(edited.json.source).toEqual({ id, name: 'Varesh Daily', url: 'https://www.vareshdaily.example/news' });
		});

		it('answers a contributor 403 for a source that does not exist too, and the editor 404', async () => {
			expect((await carl.patch('/api/sources/no-such-source', { name: 'x' })).status).toBe(403);
			expect((await editor.patch('/api/sources/no-such-source', { name: 'x' })).status).toBe(404);
		});
	});

	describe('e-mail addresses', () => {
		it('lists people to a contributor by name, without anyone else’s e-mail address; the editor sees them all', async () => {
			const forCarl = await carl.get('/api/people');
			expect(forCarl.status).toBe(200);
			const names = forCarl.json.people.map((p: { name: string }) => p.name);
			expect(names).toEqual(expect.arrayContaining([EDITOR.name, CARL.name, DORA.name]));
			for (const person of forCarl.json.people) {
				expect(Object.keys(person)).toEqual(expect.arrayContaining(['id', 'name', 'role']));
				if (person.name !== CARL.name) expect(person).not.toHaveProperty('email');
			}
			expect(forCarl.text).not.toContain(EDITOR.email);
			expect(forCarl.text).not.toContain(DORA.email);

			const forEditor = (await editor.get('/api/people')).json.people;
			expect(forEditor.map((p: { email: string }) => p.email)).toEqual(expect.arrayContaining([EDITOR.email, CARL.email, DORA.email]));
		});

		it('ships no one else’s e-mail address to a contributor in the pages either', async () => {
			for (const page of ['/people', '/pieces', '/settings']) {
				const res = await carlCookie.get(page);
				expect(res.status, page).toBe(200);
				expect(res.text, page).not.toContain(EDITOR.email);
				expect(res.text, page).not.toContain(DORA.email);
				// the __data.json of a client-side navigation too
				const data = await carlCookie.get(`${page}/__data.json`);
				expect(data.text, page).not.toContain(EDITOR.email);
				expect(data.text, page).not.toContain(DORA.email);
			}
			const editorsPage = await editor.get('/people');
			expect(editorsPage.text).toContain(DORA.email);
		});
	});
});

// Piece details (title, kind, authors, bios) edited by several people and scripts at once: a write that
// names an older details version is refused with 409 and the current state, so nobody overwrites what they
// have not seen; per-author changes leave the other authors alone; and every open connection of the piece
// gets the `piece` notice (its title, state, moves, lock, authors, computed for its person) after each
// change, also when the change came through the API of another process (Redis relay).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CollabNotice, LivePiece } from '../../src/lib/domain/collab';
import { databaseKinds, startGalley, type GalleyTestDatabase, type RunningGalley } from '../support/galley-server';
import { freshTestDatabase, serverEnv } from '../support/test-database';
import { TestClient, setUpEditor, tokenClient } from '../support/api-client';
import { connectCollab, type CollabClient } from '../support/collab-client';
import { describeTwoProcesses } from '../support/two-processes';

/** Starting a server on a 2-core machine busy with other test runs can take tens of seconds. */
const START_TIMEOUT = 120_000;
const CONTRIBUTOR = { email: 'carl@example.org', name: 'Carl Contributor', password: 'contributor secret 1', role: 'contributor' };

/** The latest `piece` notice a client received, or null. */
function latestPiece(client: CollabClient): LivePiece | null {
	const notices = client.notices.filter((n): n is Extract<CollabNotice, { type: 'piece' }> => n.type === 'piece');
	return notices.at(-1)?.piece ?? null;
}

/** A Bearer client sends no Origin and no cookie: what a script does. */
function withoutOrigin(client: TestClient): TestClient {
	expect(client.cookie).toBeNull();
	expect(client.token).toBeTruthy();
	return client;
}

describe.each(databaseKinds())('piece details on %s', (kind) => {
	let database: GalleyTestDatabase;
	let galley: RunningGalley;
	let editor: TestClient;
	let script: TestClient; // the editor's API token
	let carlScript: TestClient; // the contributor's API token
	let carlProfile: string;
	let editorProfile: string;
	const clients: CollabClient[] = [];

	beforeAll(async () => {
		database = await freshTestDatabase(kind);
		galley = await startGalley(serverEnv(database));
		editor = await setUpEditor(galley.url);
		script = withoutOrigin(await tokenClient(editor, 'details'));
		expect((await editor.post('/api/people', CONTRIBUTOR)).status).toBe(201);
		const carl = new TestClient(galley.url);
		expect((await carl.post('/api/auth/login', { email: CONTRIBUTOR.email, password: CONTRIBUTOR.password })).status).toBe(200);
		carlScript = withoutOrigin(await tokenClient(carl, 'details'));
		const listed = await script.get('/api/contributors');
		expect(listed.status, listed.text).toBe(200);
		const contributors = listed.json.contributors as { id: string; name: string }[];
		carlProfile = contributors.find((c) => c.name === CONTRIBUTOR.name)!.id;
		editorProfile = contributors.find((c) => c.name !== CONTRIBUTOR.name)!.id;
	}, START_TIMEOUT);

	afterAll(async () => {
		for (const c of clients) c.destroy();
		await galley?.stop();
		await database?.drop();
	});

	it('refuses a title change naming an older details version with 409 and the current piece (body version or If-Match), over a Bearer token without Origin', async () => {
		const pieceId = (await script.post('/api/pieces', { kind: 'brief', title: 'Basin Watch: river levels' })).json.piece.id;
		const read = await script.get(`/api/pieces/${pieceId}`);
		expect(read.status).toBe(200);
		const v1 = read.json.piece.detailsVersion as number;
		expect(read.headers.get('etag')).toBe(`"${v1}"`);

		// one person renames, naming the version they saw
		const first = await script.patch(`/api/pieces/${pieceId}`, { title: 'Basin Watch: the river rises', version: v1 });
		expect(first.status, first.text).toBe(200);
		expect(first.json.piece).toMatchObject({ title: 'Basin Watch: the river rises', detailsVersion: v1 + 1 });
		expect(first.headers.get('etag')).toBe(`"${v1 + 1}"`);

		// another, who read v1 too, is refused and shown the current piece; nothing they sent is written
		const second = await script.patch(`/api/pieces/${pieceId}`, { title: 'Basin Watch: a stale rename', version: v1 });
		expect(second.status, second.text).toBe(409);
		expect(second.json.error.field).toBe('version');
		expect(second.json.piece).toMatchObject({ title: 'Basin Watch: the river rises', detailsVersion: v1 + 1 });
		expect(second.headers.get('etag')).toBe(`"${v1 + 1}"`);

		// the same with If-Match instead of the body's version
		const stale = await script.request('PATCH', `/api/pieces/${pieceId}`, { kind: 'article' }, { 'if-match': `"${v1}"` });
		expect(stale.status, stale.text).toBe(409);
		const current = await script.request('PATCH', `/api/pieces/${pieceId}`, { kind: 'article' }, { 'if-match': `"${v1 + 1}"` });
		expect(current.status, current.text).toBe(200);
		expect(current.json.piece).toMatchObject({ kind: 'article', title: 'Basin Watch: the river rises', detailsVersion: v1 + 2 });
		const malformed = await script.request('PATCH', `/api/pieces/${pieceId}`, { title: 'x' }, { 'if-match': 'seven' });
		expect(malformed.status).toBe(400);
		expect((await script.get(`/api/pieces/${pieceId}`)).json.piece.title).toBe('Basin Watch: the river rises');
	});

	it('adds and removes one author without touching the others, and refuses a stale whole-list or bio write with 409 and the current authors', async () => {
		const pieceId = (await script.post('/api/pieces', { kind: 'article', title: 'Basin Watch: dams upstream' })).json.piece.id;
		const start = (await script.get(`/api/pieces/${pieceId}/authors`)).json;
		expect(start.authors.map((a: { contributorId: string }) => a.contributorId)).toEqual([editorProfile]);

		// a page that read `start` adds Carl; another that read `start` too removes the editor: both stand
		const added = await script.post(`/api/pieces/${pieceId}/authors`, { contributorId: carlProfile });
		expect(added.status, added.text).toBe(200);
		expect(added.json.version).toBe(start.version + 1);
		const removed = await script.request('DELETE', `/api/pieces/${pieceId}/authors/${editorProfile}`);
		expect(removed.status, removed.text).toBe(200);
		expect(removed.json.authors.map((a: { contributorId: string }) => a.contributorId)).toEqual([carlProfile]);

		// the old way, a whole list from the stale read, is refused instead of wiping Carl
		const wipe = await script.request('PUT', `/api/pieces/${pieceId}/authors`, { authors: [], version: start.version });
		expect(wipe.status, wipe.text).toBe(409);
		expect(wipe.json.authors.map((a: { contributorId: string }) => a.contributorId)).toEqual([carlProfile]);
		expect(wipe.json.version).toBe(start.version + 2);

		// two bios written against the same version: the second is refused and the first kept
		const v = wipe.json.version as number;
		const bio = await script.request('PATCH', `/api/pieces/${pieceId}/authors/${carlProfile}`, { bioOverride: 'Carl Contributor covers the basin’s dams.', version: v });
		expect(bio.status, bio.text).toBe(200);
		const staleBio = await script.request('PATCH', `/api/pieces/${pieceId}/authors/${carlProfile}`, { bioOverride: 'An older draft of the bio.', version: v });
		expect(staleBio.status, staleBio.text).toBe(409);
		expect(staleBio.json.authors[0].bio).toBe('Carl Contributor covers the basin’s dams.');
		const notAuthor = await script.request('PATCH', `/api/pieces/${pieceId}/authors/${editorProfile}`, { bioOverride: 'Not an author any more.' });
		expect(notAuthor.status).toBe(404);
		// adding someone twice and removing someone absent change nothing
		const again = await script.post(`/api/pieces/${pieceId}/authors`, { contributorId: carlProfile });
		expect(again.status).toBe(200);
		expect(again.json.version).toBe(v + 1);
		expect((await script.request('DELETE', `/api/pieces/${pieceId}/authors/${editorProfile}`)).json.version).toBe(v + 1);
		expect((await script.post(`/api/pieces/${pieceId}/authors`, { contributorId: 'nobody' })).status).toBe(400);
	});

	it('sends every open connection the piece after connecting and after each change of details, review state or lock, with that person’s own actions and moves', async () => {
		const pieceId = (await carlScript.post('/api/pieces', { kind: 'brief', title: 'Basin Watch: the ferry' })).json.piece.id;
		const carl = connectCollab(galley.wsUrl, pieceId, { token: carlScript.token! });
		const eda = connectCollab(galley.wsUrl, pieceId, { token: script.token! });
		clients.push(carl, eda);
		await Promise.all([carl.synced, eda.synced]);
		await vi.waitFor(() => expect(latestPiece(carl)).toMatchObject({ title: 'Basin Watch: the ferry', reviewState: 'draft', locked: false }), { timeout: 10_000 });
		expect(latestPiece(carl)!.transitions.map((t) => t.to)).toEqual(['in_review']);

		// a rename through the API by a script reaches both
		expect((await script.patch(`/api/pieces/${pieceId}`, { title: 'Basin Watch: the ferry stops' })).status).toBe(200);
		await vi.waitFor(() => {
			expect(latestPiece(carl)?.title).toBe('Basin Watch: the ferry stops');
			expect(latestPiece(eda)?.title).toBe('Basin Watch: the ferry stops');
		}, { timeout: 10_000 });
		// an author added reaches both
		expect((await script.post(`/api/pieces/${pieceId}/authors`, { contributorId: editorProfile })).status).toBe(200);
		await vi.waitFor(() => expect(latestPiece(carl)?.authors.map((a) => a.contributorId)).toEqual([carlProfile, editorProfile]), { timeout: 10_000 });
		// so does a change of an author's profile (the bio that ends the piece unless overridden)
		expect((await script.patch(`/api/contributors/${editorProfile}`, { bio: 'Eda Editor edits Basin Watch from the delta.' })).status).toBe(200);
		await vi.waitFor(() => expect(latestPiece(carl)?.authors[1].bio).toBe('Eda Editor edits Basin Watch from the delta.'), { timeout: 10_000 });

		// Carl submits; the editor approves: Carl's moves are gone and the piece is locked for both
		expect((await carlScript.post(`/api/pieces/${pieceId}/review`, { to: 'in_review' })).status).toBe(200);
		await vi.waitFor(() => {
			expect(latestPiece(carl)).toMatchObject({ reviewState: 'in_review' });
			expect(latestPiece(carl)!.transitions.map((t) => t.to)).toEqual(['draft']); // withdraw
			expect(latestPiece(eda)!.transitions.map((t) => t.to).sort()).toEqual(['approved', 'changes_requested', 'draft']);
		}, { timeout: 10_000 });
		expect((await script.post(`/api/pieces/${pieceId}/review`, { to: 'approved' })).status).toBe(200);
		await vi.waitFor(() => {
			expect(latestPiece(carl)).toMatchObject({ reviewState: 'approved', locked: true, transitions: [] });
			expect(latestPiece(carl)!.actions).toMatchObject({ edit_text: false, update_details: false });
		}, { timeout: 10_000 });
		// reopened: editable again, without anything but the notice
		expect((await script.post(`/api/pieces/${pieceId}/review`, { to: 'draft' })).status).toBe(200);
		await vi.waitFor(() => {
			expect(latestPiece(carl)).toMatchObject({ reviewState: 'draft', locked: false });
			expect(latestPiece(carl)!.actions).toMatchObject({ edit_text: true, update_details: true });
		}, { timeout: 10_000 });
	});

	it('closes the connections of a session that signed out with 4401 (signed out), and those of a revoked API token with 4003', async () => {
		const pieceId = (await carlScript.post('/api/pieces', { kind: 'brief', title: 'Basin Watch: signing out' })).json.piece.id;
		const session = new TestClient(galley.url);
		expect((await session.post('/api/auth/login', { email: CONTRIBUTOR.email, password: CONTRIBUTOR.password })).status).toBe(200);
		const carlToken = await tokenClient(session, 'to revoke');
		const byCookie = connectCollab(galley.wsUrl, pieceId, { headers: { cookie: session.cookie!, origin: galley.url } });
		const byToken = connectCollab(galley.wsUrl, pieceId, { token: carlToken.token! });
		clients.push(byCookie, byToken);
		await Promise.all([byCookie.synced, byToken.synced]);

		expect((await session.post('/api/auth/logout')).status).toBe(200);
		await vi.waitFor(() => expect(byCookie.closes.at(-1)).toEqual({ code: 4401, reason: 'you signed out' }), { timeout: 10_000 });
		expect(byToken.closes).toEqual([]);
		const tokens = (await carlToken.get('/api/tokens')).json.tokens as { id: string; name: string }[];
		expect((await carlToken.request('DELETE', `/api/tokens/${tokens.find((t) => t.name === 'to revoke')!.id}`)).status).toBe(200);
		await vi.waitFor(() => expect(byToken.closes.at(-1)?.code).toBe(4003), { timeout: 10_000 });
	});
});

describeTwoProcesses('piece notices across two processes', (galleys) => {
	const { clients } = galleys;

	it('a change made through the API of a process where nobody has the piece open reaches a page connected to the other process', async () => {
		const [one, two] = await galleys.start();
		const editor = await setUpEditor(one.url);
		const script = await tokenClient(editor, 'relay');
		expect((await editor.post('/api/people', CONTRIBUTOR)).status).toBe(201);
		const carl = new TestClient(one.url);
		expect((await carl.post('/api/auth/login', { email: CONTRIBUTOR.email, password: CONTRIBUTOR.password })).status).toBe(200);
		const carlScript = await tokenClient(carl, 'relay');
		const pieceId = (await carlScript.post('/api/pieces', { kind: 'brief', title: 'Basin Watch: two processes' })).json.piece.id;

		// Carl's page on process 2; the scripts talk to process 1, which has not loaded the piece
		const page = connectCollab(two.wsUrl, pieceId, { token: carlScript.token! });
		clients.push(page);
		await page.synced;
		await vi.waitFor(() => expect(latestPiece(page)?.title).toBe('Basin Watch: two processes'), { timeout: 10_000 });

		expect((await script.patch(`/api/pieces/${pieceId}`, { title: 'Basin Watch: relayed rename' })).status).toBe(200);
		await vi.waitFor(() => expect(latestPiece(page)?.title).toBe('Basin Watch: relayed rename'), { timeout: 10_000 });

		expect((await carlScript.post(`/api/pieces/${pieceId}/review`, { to: 'in_review' })).status).toBe(200);
		await vi.waitFor(() => expect(latestPiece(page)).toMatchObject({ reviewState: 'in_review' }), { timeout: 10_000 });
		// approving changes Carl's access (edit → read): process 2 re-checks it, and the reconnected page is told
		expect((await script.post(`/api/pieces/${pieceId}/review`, { to: 'approved' })).status).toBe(200);
		await vi.waitFor(() => expect(latestPiece(page)).toMatchObject({ reviewState: 'approved', locked: true, transitions: [] }), { timeout: 10_000 });
		await vi.waitFor(() => expect(page.closes.map((c) => c.code)).toContain(4001), { timeout: 10_000 });
	});
});

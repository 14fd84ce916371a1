// Versions of a piece against a real Galley process, as a script uses them (a Bearer token, no Origin): a
// version at every review move, named versions, a version's content in three formats, the diff marks (text,
// a Q&A turn, a citation, an endnote), and a restore with two stock y-websocket clients connected and a third
// offline that reconnects with its own edits: all converge on the restored text plus the offline edits,
// nothing the restore removed comes back and nothing doubles. Refused while locked (409) and to a viewer (403).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { databaseKinds, startGalley, type GalleyTestDatabase, type RunningGalley } from '../support/galley-server';
import { freshTestDatabase, serverEnv } from '../support/test-database';
import { TestClient, setUpEditor, tokenClient } from '../support/api-client';
import { connectCollab, type CollabClient } from '../support/collab-client';
import { BODY_FRAGMENT } from '../../src/lib/server/content/document';

const START_TIMEOUT = 180_000;
const VIEWER = { email: 'vera@example.org', name: 'Vera Viewer', password: 'viewer secret 1', role: 'contributor' };

const bodyOf = (c: CollabClient) => c.doc.getXmlFragment(BODY_FRAGMENT);
const paragraphText = (c: CollabClient, i: number) => (bodyOf(c).get(i) as Y.XmlElement).get(0) as Y.XmlText;

describe.each(databaseKinds())('versions on %s', (kind) => {
	let database: GalleyTestDatabase;
	let galley: RunningGalley;
	let editor: TestClient;
	let viewer: TestClient;
	let viewerId: string;
	const open: CollabClient[] = [];

	const connect = async (pieceId: string) => {
		const client = connectCollab(galley.wsUrl, pieceId, { token: editor.token! }, { presence: false });
		open.push(client);
		await client.synced;
		return client;
	};
	/** Wait until the server has stored everything `client` sent so far. */
	const stored = async (client: CollabClient) => {
		const frame = client.framesSent();
		await vi.waitFor(() => expect(client.settledFrames()).toBeGreaterThanOrEqual(frame), { timeout: 10_000 });
	};
	const brief = async (title: string, text: string) => {
		const res = await editor.post('/api/pieces', { kind: 'brief', title, text });
		expect(res.status, res.text).toBe(201);
		const id = res.json.piece.id as string;
		expect((await editor.post(`/api/pieces/${id}/assignments`, { userId: viewerId, role: 'viewer' })).status).toBe(201);
		return id;
	};
	const move = async (id: string, to: string, comment?: string) => {
		const res = await editor.post(`/api/pieces/${id}/review`, { to, ...(comment ? { comment } : {}) });
		expect(res.status, res.text).toBe(200);
	};

	beforeAll(async () => {
		database = await freshTestDatabase(kind);
		galley = await startGalley(serverEnv(database));
		editor = await tokenClient(await setUpEditor(galley.url), 'versions');
		expect((await editor.post('/api/people', VIEWER)).status).toBe(201);
		const signedIn = new TestClient(galley.url);
		expect((await signedIn.post('/api/auth/login', { email: VIEWER.email, password: VIEWER.password })).status).toBe(200);
		viewer = await tokenClient(signedIn, 'versions');
		viewerId = ((await editor.get('/api/people')).json.people as { id: string; email: string }[]).find((p) => p.email === VIEWER.email)!.id;
	}, START_TIMEOUT);

	afterAll(async () => {
		open.forEach((c) => c.destroy());
		await galley?.stop();
		await database?.drop();
	});

	it('saves a version at every review move, labelled with the move and pointing at it, newest first', async () => {
		const id = await brief('Moves of the Halm weir brief', 'The Halm weir opens in April.');
		await move(id, 'in_review');
		await move(id, 'changes_requested', 'Say who opens it.');
		await move(id, 'in_review');
		await move(id, 'approved');
		await move(id, 'published');
		await move(id, 'draft');
		const res = await editor.get(`/api/pieces/${id}/versions`);
		expect(res.status, res.text).toBe(200);
		const versions = res.json.versions as { kind: string; label: string; reviewEventId: number | null; createdBy: { name: string } | null; restoredFrom: string | null }[];
		expect(versions.map((v) => v.label)).toEqual(['Reopened', 'Published', 'Approved', 'Resubmitted for review', 'Changes requested', 'Submitted for review']);
		for (const v of versions) expect(v).toMatchObject({ kind: 'review', reviewEventId: expect.any(Number), createdBy: { name: 'Eda Editor' }, restoredFrom: null });
		expect(new Set(versions.map((v) => v.reviewEventId)).size).toBe(6);
		// a viewer reads them; a piece the caller may not see answers 404
		expect((await viewer.get(`/api/pieces/${id}/versions`)).status).toBe(200);
		const hidden = await editor.post('/api/pieces', { kind: 'brief', title: 'Not shared' });
		expect((await viewer.get(`/api/pieces/${hidden.json.piece.id}/versions`)).status).toBe(404);
	});

	it('saves named versions (trimmed label, 422 when empty or too long; 403 for a viewer) and renders one in three formats', async () => {
		const id = await brief('Named versions of the delta brief', 'Herders reach the delta in May.\n\nThe ferry waits for them.');
		const saved = await editor.post(`/api/pieces/${id}/versions`, { label: '  Before the editor’s cuts  ' });
		expect(saved.status, saved.text).toBe(201);
		expect(saved.json.version).toMatchObject({ kind: 'named', label: 'Before the editor’s cuts', reviewEventId: null, restoredFrom: null, createdBy: { name: 'Eda Editor' } });
		expect((await editor.post(`/api/pieces/${id}/versions`, { label: '   ' })).status).toBe(422);
		expect((await editor.post(`/api/pieces/${id}/versions`, { label: 'x'.repeat(201) })).status).toBe(422);
		expect((await editor.post(`/api/pieces/${id}/versions`, { label: 7 })).status).toBe(400);
		expect((await viewer.post(`/api/pieces/${id}/versions`, { label: 'Mine' })).status).toBe(403);

		// the text changes after the version: the version still renders as it was
		const client = await connect(id);
		paragraphText(client, 0).insert(0, 'Early: ');
		await stored(client);
		const base = `/api/pieces/${id}/versions/${saved.json.version.id}/content`;
		const json = await editor.get(`${base}?format=json`);
		expect(json.status).toBe(200);
		expect(json.json.content.map((n: { content: { text: string }[] }) => n.content[0].text)).toEqual(['Herders reach the delta in May.', 'The ferry waits for them.']);
		const md = await editor.get(`${base}?format=markdown`);
		expect(md.text).toBe('Herders reach the delta in May.\n\nThe ferry waits for them.\n');
		expect(md.headers.get('content-security-policy')).toBe('sandbox');
		const html = await editor.get(`${base}?format=html`);
		expect(html.text).toBe('<p>Herders reach the delta in May.</p><p>The ferry waits for them.</p>');
		expect(html.headers.get('content-disposition')).toMatch(/^attachment/);
		expect((await editor.get(`${base}?format=pdf`)).status).toBe(400);
		// a version of another piece: 404
		const other = await brief('Another brief', 'Dams.');
		expect((await editor.get(`/api/pieces/${other}/versions/${saved.json.version.id}/content`)).status).toBe(404);
		client.destroy();
	});

	it('marks what changed from a version to the current text: words, a Q&A turn with its speaker, a citation, an endnote', async () => {
		const created = await editor.post('/api/pieces', { kind: 'interview', title: 'The warden of the Lower Marl' });
		const id = created.json.piece.id as string;
		const imported = await editor.post(`/api/pieces/${id}/transcript`, 'Basin Watch: Who reads the gauges now?\n\nIlona Serk: We do, every morning.', { 'content-type': 'text/plain' });
		expect(imported.status, imported.text).toBe(201);
		const client = await connect(id);
		// a paragraph with a citation and an endnote after the turns
		const paragraph = new Y.XmlElement('paragraph');
		const cited = new Y.XmlText();
		const note = new Y.XmlElement('endnote');
		note.setAttribute('id', 'note-gauges');
		note.insert(0, [new Y.XmlText('Gauge readings of May.')]);
		paragraph.insert(0, [cited, note]);
		bodyOf(client).push([paragraph]);
		cited.insert(0, 'The river fell ');
		cited.insert(15, 'Varesh Daily', { citation: { sourceId: null, source: 'Varesh Daily', url: 'https://example.org/varesh', date: 'March 12', qualifier: null } });
		await stored(client);
		const version = (await editor.post(`/api/pieces/${id}/versions`, { label: 'As imported' })).json.version.id as string;

		// the second turn goes, a new one comes; the citation's date and the note's text change
		const body = bodyOf(client);
		client.doc.transact(() => {
			const turns = body.toArray().filter((n) => n instanceof Y.XmlElement && n.nodeName === 'qaBlock') as Y.XmlElement[];
			const answer = turns[1];
			const added = new Y.XmlElement('qaBlock');
			added.setAttribute('speaker', answer.getAttribute('speaker')!);
			added.setAttribute('kind', 'answer');
			const p = new Y.XmlElement('paragraph');
			p.insert(0, [new Y.XmlText('The wardens, since the flood.')]);
			added.insert(0, [p]);
			body.insert(body.toArray().indexOf(answer), [added]);
			body.delete(body.toArray().indexOf(answer), 1);
			cited.format(15, 12, { citation: { sourceId: null, source: 'Varesh Daily', url: 'https://example.org/varesh', date: 'March 14', qualifier: null } });
			const noteText = note.get(0) as Y.XmlText;
			noteText.delete(noteText.length - 4, 3);
			noteText.insert(noteText.length - 1, 'June');
		});
		await stored(client);

		const diff = await editor.get(`/api/pieces/${id}/versions/${version}/diff?against=current&format=json`);
		expect(diff.status, diff.text).toBe(200);
		const html = diff.json.html as string;
		expect(html).toMatch(/data-diff="deleted"[^>]*><p[^>]*><del><strong class="qa-label">Ilona Serk:<\/strong> <\/del><del>We do, every morning\.<\/del>/);
		expect(html).toMatch(/data-diff="inserted"[^>]*><p[^>]*><ins><strong class="qa-label">Ilona Serk:<\/strong> <\/ins><ins>The wardens, since the flood\.<\/ins>/);
		expect(html).toMatch(/<del><a [^>]*>Varesh Daily<\/a><\/del><del>, March 12\)<\/del><ins>\(<\/ins><ins><a [^>]*>Varesh Daily<\/a><\/ins><ins>, March 14\)<\/ins>/);
		expect(html).toMatch(/<p class="endnote">\[1\] Gauge readings of <del>May<\/del><ins>June<\/ins>\.<\/p>/);
		expect(diff.json).toMatchObject({ insertions: expect.any(Number), deletions: expect.any(Number) });

		const fragment = await editor.get(`/api/pieces/${id}/versions/${version}/diff`);
		expect(fragment.headers.get('content-type')).toMatch(/^text\/html/);
		expect(fragment.headers.get('content-security-policy')).toBe('sandbox');
		expect(fragment.text).toBe(html);
		// against another version: nothing changed between a version and itself
		expect((await editor.get(`/api/pieces/${id}/versions/${version}/diff?against=${version}&format=json`)).json).toMatchObject({ insertions: 0, deletions: 0 });
		expect((await editor.get(`/api/pieces/${id}/versions/${version}/diff?against=nope`)).status).toBe(404);
		expect((await editor.get(`/api/pieces/${id}/versions/${version}/diff?format=pdf`)).status).toBe(400);
		client.destroy();
	});

	it('restores a version as a new change: two connected clients see it, an offline one reconnects with its own edits, nothing revived or doubled', async () => {
		const id = await brief('Restoring the ferry brief', 'The ferry runs twice a day.\n\nHerders cross at dawn.\n\nThe dam gates stay shut.');
		const version = (await editor.post(`/api/pieces/${id}/versions`, { label: 'Three paragraphs' })).json.version.id as string;
		const [a, b, offline] = [await connect(id), await connect(id), await connect(id)];
		offline.provider.disconnect();

		// online, after the version: a paragraph added, one changed
		a.appendParagraph('A paragraph added after the version.');
		paragraphText(a, 1).insert(paragraphText(a, 1).length - 1, ' and at dusk');
		await stored(a);
		await vi.waitFor(() => expect(b.paragraphs()).toContain('A paragraph added after the version.'), { timeout: 10_000 });
		// offline meanwhile: a word in the third paragraph, and a paragraph of its own
		paragraphText(offline, 2).insert(paragraphText(offline, 2).length - 1, ' until June');
		offline.appendParagraph('Written offline.');

		const restored = await editor.post(`/api/pieces/${id}/versions/${version}/restore`);
		expect(restored.status, restored.text).toBe(200);
		expect(restored.json.version).toMatchObject({ kind: 'before_restore', restoredFrom: version, label: 'Before restoring “Three paragraphs”' });
		expect(restored.json.piece).toMatchObject({ id, reviewState: 'draft' });
		const versionText = ['The ferry runs twice a day.', 'Herders cross at dawn.', 'The dam gates stay shut.'];
		for (const client of [a, b]) await vi.waitFor(() => expect(client.paragraphs()).toEqual(versionText), { timeout: 10_000 });

		offline.provider.connect();
		const converged = ['The ferry runs twice a day.', 'Herders cross at dawn.', 'The dam gates stay shut until June.', 'Written offline.'];
		for (const client of [a, b, offline]) await vi.waitFor(() => expect(client.paragraphs()).toEqual(converged), { timeout: 10_000 });
		await stored(offline);
		const md = await editor.get(`/api/pieces/${id}/content?format=markdown`);
		expect(md.text).toBe(converged.join('\n\n') + '\n');
		// the before_restore version holds the text as it was before the restore
		const before = await editor.get(`/api/pieces/${id}/versions/${restored.json.version.id}/content?format=markdown`);
		expect(before.text).toBe('The ferry runs twice a day.\n\nHerders cross at dawn and at dusk.\n\nThe dam gates stay shut.\n\nA paragraph added after the version.\n');
		const kinds = (await editor.get(`/api/pieces/${id}/versions`)).json.versions.map((v: { kind: string }) => v.kind);
		expect(kinds).toEqual(['before_restore', 'named']);
		[a, b, offline].forEach((c) => c.destroy());
	});

	it('refuses a restore while the piece is locked (409: reopen it first) and to a viewer (403)', async () => {
		const id = await brief('Locked brief', 'The gauges read low.');
		const version = (await editor.post(`/api/pieces/${id}/versions`, { label: 'First' })).json.version.id as string;
		expect((await viewer.post(`/api/pieces/${id}/versions/${version}/restore`)).status).toBe(403);
		await move(id, 'in_review');
		await move(id, 'approved');
		const locked = await editor.post(`/api/pieces/${id}/versions/${version}/restore`);
		expect(locked.status).toBe(409);
		expect(locked.json.error.message).toMatch(/reopen it first/);
		expect((await editor.post(`/api/pieces/${id}/versions/nope/restore`)).status).toBe(409);
		await move(id, 'draft');
		expect((await editor.post(`/api/pieces/${id}/versions/nope/restore`)).status).toBe(404);
		expect((await editor.post(`/api/pieces/${id}/versions/${version}/restore`)).status).toBe(200);
	});
});
